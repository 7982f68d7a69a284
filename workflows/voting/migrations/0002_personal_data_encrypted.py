"""Names on the frozen rolls encrypted in place; an owner key that is the unkeyed digest of a
phone (reversible by trying every phone number) re-derived with the keyed digest, with the
roll's phone-tail digests, which include the key, recomputed where the register's phone still
matches them."""

import hashlib

from django.db import migrations

import content_types.accounts.personal_data
from content_types.accounts.personal_data import convert_columns, decrypt, encrypt
from content_types.units.models import derive_owner_key, normalise_phone
from workflows.voting.codes import phone_tail_digests


def unkeyed_owner_key(phone):
    digest = hashlib.sha256(f"weizhi-owner|{phone.strip().upper()}".encode()).hexdigest()
    return f"ok-{digest[:32]}"


def rekey_electors(apps):
    Unit = apps.get_model("units", "Unit")
    Elector = apps.get_model("voting", "Elector")
    ElectorUnit = apps.get_model("voting", "ElectorUnit")
    phone_of = {}
    for phone in Unit.objects.values_list("owner_phone", flat=True):
        phone = normalise_phone(phone)
        phone_of[unkeyed_owner_key(phone)] = phone
    for elector in Elector.objects.filter(owner_key__in=list(phone_of)):
        phone = phone_of[elector.owner_key]
        new_key = derive_owner_key(phone)
        units = list(ElectorUnit.objects.filter(elector=elector))
        tail = phone[-4:]
        if not all(
            unit.phone_tail_digest in phone_tail_digests(elector.vote_id, elector.owner_key, tail)
            for unit in units
        ):
            continue  # the register's phone changed since the roll was frozen: left as it was
        for unit in units:
            unit.phone_tail_digest = phone_tail_digests(elector.vote_id, new_key, tail)[0]
        ElectorUnit.objects.bulk_update(units, ["phone_tail_digest"])
        elector.owner_key = new_key
        elector.save(update_fields=["owner_key"])


def encrypt_and_rekey(apps, schema_editor):
    convert_columns(schema_editor, "voting_electorunit", ["owner_name"], encrypt)
    rekey_electors(apps)


def decrypt_again(apps, schema_editor):
    convert_columns(schema_editor, "voting_electorunit", ["owner_name"], decrypt)


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0003_personal_data_rekeyed"),
        ("voting", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="electorunit",
            name="owner_name",
            field=content_types.accounts.personal_data.EncryptedCharField(
                max_length=100, verbose_name="业主姓名"
            ),
        ),
        migrations.RunPython(encrypt_and_rekey, decrypt_again),
    ]
