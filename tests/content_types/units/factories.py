"""Factories for the units register.

Usage::

    unit = UnitFactory(compound=compound, building="3幢", room="502", exclusive_area=Decimal("90"))
    UnitFactory(compound=compound, room="503", owner_phone=unit.owner_phone)  # same owner

``owner_key`` is derived from the phone on save, so units sharing a phone share an owner.
"""

from decimal import Decimal

import factory

from content_types.units.models import Unit


class UnitFactory(factory.django.DjangoModelFactory):
    building = "1幢"
    entrance = "1"
    room = factory.Sequence(lambda n: f"{101 + n}")
    exclusive_area = Decimal("89.50")
    owner_name = factory.Sequence(lambda n: f"业主{n}")
    owner_phone = factory.Sequence(lambda n: f"138{n:08d}")

    class Meta:
        model = Unit
