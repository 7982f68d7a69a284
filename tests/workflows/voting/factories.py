"""Factories and helpers for owners' assembly votes.

Usage::

    vote = VoteFactory(compound=compound)  # a draft: opens an hour ago, closes tomorrow
    vote = VoteFactory(compound=compound, matter=Matter.REBUILD, buildings=["1幢"])
    vote = open_vote(vote, user)  # freeze the roll (the real service)
    codes = codes_by_unit(issue_codes(vote, user))  # {"1幢1单元101室": "ABCD-EFGH-JKLM"}
    move_clock(vote, closes=-1)  # the close time passed a minute ago
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

import factory
from django.utils import timezone

from core.civil_code import Matter
from workflows.voting.models import Vote

if TYPE_CHECKING:
    from workflows.voting.services import IssuedCode

# A voting code as printed on a letter.
CODE = re.compile(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}")


class VoteFactory(factory.django.DjangoModelFactory):
    matter = Matter.OTHER_MAJOR.value
    title = factory.Sequence(lambda n: f"第{n}号表决：增设电动自行车充电桩")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    objection_days = 7

    class Meta:
        model = Vote


def codes_by_unit(issued: list[IssuedCode]) -> dict[str, str]:
    """Each code under every home of its owner, as a letter would be addressed."""
    return {unit.label: item.code for item in issued for unit in item.elector.units.all()}


def move_clock(
    vote: Vote, *, opens: int | None = None, closes: int | None = None, deadline: int | None = None
) -> Vote:
    """Shift the vote's times to ``now + minutes`` instead of waiting for them."""
    now = timezone.now()
    changes = {
        field: now + timedelta(minutes=minutes)
        for field, minutes in (
            ("opens_at", opens),
            ("closes_at", closes),
            ("objection_deadline", deadline),
        )
        if minutes is not None
    }
    if (
        "closes_at" in changes
        and "opens_at" not in changes
        and vote.opens_at >= changes["closes_at"]
    ):
        changes["opens_at"] = changes["closes_at"] - timedelta(hours=2)
    Vote.objects.filter(pk=vote.pk).update(**changes)
    vote.refresh_from_db()
    return vote
