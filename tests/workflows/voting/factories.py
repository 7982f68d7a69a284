"""Factories and helpers for owners' assembly votes.

Usage::

    vote = VoteFactory(compound=compound)  # a draft: opens an hour ago, closes tomorrow
    VoteResultFactory(vote=vote, for_heads=120)  # a final result, passed
    vote = VoteFactory(compound=compound, matter=Matter.REBUILD, buildings=["1幢"])
    vote = open_vote(vote, user)  # freeze the roll (the real service)
    codes = codes_by_unit(issue_codes(vote, user))  # {"1幢1单元101室": "ABCD-EFGH-JKLM"}
    move_clock(vote, closes=-1)  # the close time passed a minute ago
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import factory
from django.utils import timezone

from core.civil_code import Matter
from workflows.voting.models import ResultStage, Vote, VoteResult

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


class VoteResultFactory(factory.django.DjangoModelFactory):
    """A counted result, both measures; a passed one by default."""

    stage = ResultStage.FINAL
    eligible_heads = 300
    eligible_area = Decimal("30000.00")
    participating_heads = 250
    participating_area = Decimal("26000.50")
    for_heads = 200
    for_area = Decimal("21000.25")
    against_heads = 30
    against_area = Decimal("3000.00")
    abstain_heads = 20
    abstain_area = Decimal("2000.25")
    outcome = "passed"
    reason = "参与表决和同意均达到法定比例。"

    class Meta:
        model = VoteResult


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
