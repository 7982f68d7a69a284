"""Fixtures of the voting tests: a small compound roll, committee members, and open votes.

The roll of 锦绣花园 (compound_a1) has five owners and six units, 500 m² in all:

    owner A: 1幢1单元101室 100 m² and 1幢1单元102室 50 m² (one owner, two units)
    owner B: 1幢1单元201室 80 m²      owner C: 2幢1单元101室 120 m²
    owner D: 2幢1单元201室 90 m²      owner E: 2幢1单元301室 60 m²
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.core.cache import cache

from content_types.roles.models import Role
from tests.content_types.units.factories import UnitFactory
from workflows.voting.services import issue_codes, open_vote

from .factories import VoteFactory, codes_by_unit

if TYPE_CHECKING:
    from content_types.units.models import Unit
    from workflows.voting.models import Vote

ROLL = [
    # (building, entrance, room, area, owner, phone)
    ("1幢", "1", "101", "100.00", "甲", "13800000001"),
    ("1幢", "1", "102", "50.00", "甲", "13800000001"),
    ("1幢", "1", "201", "80.00", "乙", "13800000002"),
    ("2幢", "1", "101", "120.00", "丙", "13800000003"),
    ("2幢", "1", "201", "90.00", "丁", "13800000004"),
    ("2幢", "1", "301", "60.00", "戊", "13800000005"),
]
A, B, C, D, E = "1幢1单元101室", "1幢1单元201室", "2幢1单元101室", "2幢1单元201室", "2幢1单元301室"
TAIL = {A: "0001", B: "0002", C: "0003", D: "0004", E: "0005"}


@pytest.fixture(autouse=True)
def _empty_cache():
    """The failure counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def compound(street_tree):
    return street_tree.compound_a1


@pytest.fixture
def roll(compound) -> list[Unit]:
    return [
        UnitFactory(
            compound=compound,
            building=building,
            entrance=entrance,
            room=room,
            exclusive_area=Decimal(area),
            owner_name=owner,
            owner_phone=phone,
        )
        for building, entrance, room, area, owner, phone in ROLL
    ]


@pytest.fixture
def committee(role_user, compound):
    return role_user(Role.OWNERS_COMMITTEE, compound, username="committee_a1")


@pytest.fixture
def committee2(role_user, compound):
    return role_user(Role.OWNERS_COMMITTEE, compound, username="committee_a1_second")


@pytest.fixture
def other_committee(role_user, street_tree):
    return role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a2, username="committee_a2")


@dataclass
class OpenVote:
    vote: Vote
    codes: dict[str, str]


@pytest.fixture
def open_ballot(compound, roll, committee) -> OpenVote:
    """A vote of the whole compound, open now, with a code for every owner."""
    vote = open_vote(VoteFactory(compound=compound), committee)
    return OpenVote(vote, codes_by_unit(issue_codes(vote, committee)))
