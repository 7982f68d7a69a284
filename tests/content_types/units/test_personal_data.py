"""Owners' names and phones at rest: encrypted in the column, readable through the model,
re-encrypted by a key rotation, and still found through their keyed digests."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from content_types.units.models import Unit, phone_digest

from .factories import UnitFactory

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def raw_columns(unit: Unit) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT owner_name, owner_phone FROM units_unit WHERE id = %s", [unit.pk])
        return cursor.fetchone()


@pytest.fixture
def unit(street_tree):
    return UnitFactory(compound=street_tree.compound_a1, owner_name="王小明", owner_phone=PHONE)


def test_the_column_holds_neither_the_name_nor_any_phone_digits(unit):
    name, phone = raw_columns(unit)

    assert "王小明" not in name
    assert not any(part in phone for part in (PHONE, PHONE[-4:], PHONE[:3] + PHONE[-4:]))
    assert phone.startswith("gAAAA")  # a Fernet token
    stored = Unit.objects.get(pk=unit.pk)
    assert (stored.owner_name, stored.owner_phone) == ("王小明", PHONE)


def test_the_owner_key_is_a_keyed_digest_that_changes_with_the_key(unit):
    with override_settings(WEIZHI_PERSONAL_DATA_DIGEST_KEY="another-key-" * 4):
        other = UnitFactory.build(compound=unit.compound, owner_phone=PHONE)
        other.derive_digests()

    assert other.owner_key != unit.owner_key
    assert other.owner_phone_digest != unit.owner_phone_digest


def test_a_phone_is_found_through_its_digest_never_its_value(unit):
    assert list(Unit.objects.filter(owner_phone_digest=phone_digest("+86 139-1234-5678"))) == [unit]
    with pytest.raises(FieldError):
        Unit.objects.filter(owner_phone=PHONE).exists()


def test_a_rotation_re_encrypts_every_row_with_the_newest_key(unit, street_tree):
    before = raw_columns(unit)
    new = Fernet.generate_key().decode()
    with override_settings(
        WEIZHI_FIELD_ENCRYPTION_KEYS=[new, *settings.WEIZHI_FIELD_ENCRYPTION_KEYS]
    ):
        out = StringIO()
        call_command("rotate_personal_data_key", stdout=out)

    assert "房屋：已重新加密 1 条" in out.getvalue()

    name, phone = raw_columns(unit)
    assert Fernet(new).decrypt(phone.encode()).decode() == PHONE
    assert Fernet(new).decrypt(name.encode()).decode() == "王小明"
    assert (name, phone) != before
    with override_settings(WEIZHI_FIELD_ENCRYPTION_KEYS=[new]):  # the old key retired
        assert Unit.objects.get(pk=unit.pk).owner_phone == PHONE
    with pytest.raises(ImproperlyConfigured, match="无法解密"):  # the data is gone without it
        Unit.objects.get(pk=unit.pk)
