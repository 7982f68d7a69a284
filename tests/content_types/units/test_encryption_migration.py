"""The migration that encrypts the register converts the rows already there: names and phones
encrypted, owner keys re-derived with the keyed digest, and a frozen roll's keys and phone-tail
digests moved along, so an owner still votes with the same code and phone tail."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from content_types.units.models import Unit, derive_owner_key, phone_digest
from workflows.voting.codes import phone_tail_digests
from workflows.voting.models import Elector, ElectorUnit

BEFORE = [("units", "0001_initial"), ("voting", "0001_initial")]
PHONE = "13912345678"
UNKEYED = "ok-" + hashlib.sha256(f"weizhi-owner|{PHONE}".encode()).hexdigest()[:32]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_encrypted_and_rekeyed(street_tree):
    old = migrate(BEFORE)
    now = timezone.now()
    unit = old.get_model("units", "Unit").objects.create(
        compound_id=street_tree.compound_a1.pk,
        building="3幢",
        room="502",
        exclusive_area="90.00",
        owner_name="王小明",
        owner_phone=PHONE,
        owner_key=UNKEYED,
    )
    vote = old.get_model("voting", "Vote").objects.create(
        compound_id=street_tree.compound_a1.pk,
        matter="assembly_rules",
        title="表决",
        opens_at=now,
        closes_at=now + timedelta(days=1),
    )
    elector = old.get_model("voting", "Elector").objects.create(
        vote=vote, owner_key=UNKEYED, area_centi=9000
    )
    old.get_model("voting", "ElectorUnit").objects.create(
        elector=elector,
        unit=unit,
        building="3幢",
        room="502",
        owner_name="王小明",
        area_centi=9000,
        phone_tail_digest=phone_tail_digests(vote.pk, UNKEYED, "5678")[0],
    )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    with connection.cursor() as cursor:
        cursor.execute("SELECT owner_name, owner_phone FROM units_unit")
        [(name, phone)] = cursor.fetchall()
        cursor.execute("SELECT owner_name FROM voting_electorunit")
        [(roll_name,)] = cursor.fetchall()
    assert "王小明" not in name + roll_name and "5678" not in phone
    migrated = Unit.objects.get(pk=unit.pk)
    assert (migrated.owner_name, migrated.owner_phone) == ("王小明", PHONE)
    assert migrated.owner_key == derive_owner_key(PHONE) != UNKEYED
    assert migrated.owner_phone_digest == phone_digest(PHONE)
    roll = Elector.objects.get(pk=elector.pk)
    assert roll.owner_key == migrated.owner_key
    frozen = ElectorUnit.objects.get(elector=roll)
    assert frozen.owner_name == "王小明"
    assert frozen.phone_tail_digest in phone_tail_digests(vote.pk, roll.owner_key, "5678")
