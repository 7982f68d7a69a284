"""Owners' names and phones encrypted in place; owner keys and phone lookups re-derived with the
keyed digest, replacing the unkeyed digest of the phone, which could be reversed by trying
every phone number."""

import hashlib

from django.db import migrations

from content_types.accounts.personal_data import convert_columns, decrypt, encrypt
from content_types.units.models import derive_owner_key, normalise_phone, phone_digest

COLUMNS = ["owner_name", "owner_phone"]


def unkeyed_owner_key(phone):
    """The key 0001 derived from a phone, to tell derived keys from ones an import supplied."""
    digest = hashlib.sha256(f"weizhi-owner|{phone.strip().upper()}".encode()).hexdigest()
    return f"ok-{digest[:32]}"


def encrypt_and_rekey(apps, schema_editor):
    convert_columns(schema_editor, "units_unit", COLUMNS, encrypt)
    Unit = apps.get_model("units", "Unit")
    units = list(Unit.objects.only("owner_phone", "owner_key"))
    for unit in units:
        phone = normalise_phone(unit.owner_phone)
        unit.owner_phone_digest = phone_digest(phone)
        if unit.owner_key in ("", unkeyed_owner_key(phone)):
            unit.owner_key = derive_owner_key(phone)
    Unit.objects.bulk_update(units, ["owner_phone_digest", "owner_key"], batch_size=1000)


def decrypt_again(apps, schema_editor):
    convert_columns(schema_editor, "units_unit", COLUMNS, decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0002_personal_data_encrypted"),
    ]

    operations = [
        migrations.RunPython(encrypt_and_rekey, decrypt_again),
    ]
