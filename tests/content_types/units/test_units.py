"""The units register: one row per home, its area, and an owner identity for the head count."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from content_types.units.models import Unit, derive_owner_key

from .factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_a_home_is_registered_once_per_compound(street_tree):
    UnitFactory(compound=street_tree.compound_a1, building="3幢", entrance="1", room="502")
    twin = UnitFactory.build(
        compound=street_tree.compound_a1, building="3幢", entrance="1", room="502"
    )

    with pytest.raises(ValidationError) as refused:
        twin.full_clean()
    assert "该小区已登记过这套房屋" in str(refused.value)
    with transaction.atomic(), pytest.raises(IntegrityError):
        twin.save()
    # The same address in another compound is another home.
    UnitFactory(compound=street_tree.compound_a2, building="3幢", entrance="1", room="502")
    assert Unit.objects.count() == 2


@pytest.mark.parametrize("area", ["0", "0.00", "-5"])
def test_the_exclusive_area_must_be_positive(street_tree, area):
    unit = UnitFactory.build(compound=street_tree.compound_a1, exclusive_area=Decimal(area))

    with pytest.raises(ValidationError) as refused:
        unit.full_clean()

    assert "专有部分面积必须大于零" in str(refused.value)


def test_a_phone_that_cannot_serve_as_second_factor_is_refused(street_tree):
    unit = UnitFactory.build(compound=street_tree.compound_a1, owner_phone="无")

    with pytest.raises(ValidationError) as refused:
        unit.full_clean()

    assert "请填写有效的业主手机号" in str(refused.value)


def test_units_under_one_phone_count_as_one_owner(street_tree):
    compound = street_tree.compound_a1
    first = UnitFactory(compound=compound, owner_phone="13800000001")
    second = UnitFactory.build(compound=compound, owner_phone="+86 138-0000-0001")
    second.full_clean()
    second.save()
    other = UnitFactory(compound=compound, owner_phone="13800000002")

    assert first.owner_key == second.owner_key != other.owner_key
    assert "13800000001" not in first.owner_key  # a pseudonym, not the phone itself


def test_an_explicit_owner_key_is_kept(street_tree):
    key = derive_owner_key("id:330682198001011234")
    unit = UnitFactory(compound=street_tree.compound_a1, owner_key=key)

    assert Unit.objects.get(pk=unit.pk).owner_key == key


@pytest.mark.parametrize(
    "building, entrance, room, label",
    [
        ("3", "1", "502", "3幢1单元502室"),
        ("3幢", "1单元", "502室", "3幢1单元502室"),
        ("A座", "", "1201", "A座1201室"),
    ],
)
def test_homes_are_labelled_as_owners_write_them(building, entrance, room, label):
    assert str(Unit(building=building, entrance=entrance, room=room)) == label
