"""How far an open vote is from its quorum, and who has not answered yet.

Most assemblies that fail, fail on participation; committees reach two-thirds by knocking on
doors in the last days. So while a vote is open, its managers see turnout by head and by area
against the line 第二百七十八条 draws, overall and per building, and the owners still to ask —
never anyone's choice: only whether an owner has answered.

Per building, an owner counts once in each building where they hold a unit, with the area
they hold there; only the whole electorate's figures decide the vote.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

from core.civil_code import PARTICIPATION_THRESHOLD, Measure, Threshold

from .models import Ballot, Elector, ElectorUnit, Vote, centi_to_area

if TYPE_CHECKING:
    from collections.abc import Iterable


def needed_to_meet(threshold: Threshold, whole: int) -> int:
    """The smallest part of ``whole`` that meets ``threshold`` (exact; ``whole`` > 0)."""
    product = threshold.required * whole
    return math.ceil(product) if threshold.inclusive else math.floor(product) + 1


@dataclass(frozen=True)
class Turnout:
    """Answered against eligible, in heads and in area (0.01 m² units, as the roll keeps it)."""

    label: str
    eligible_heads: int
    eligible_centi: int
    answered_heads: int
    answered_centi: int

    @property
    def eligible(self) -> Measure:
        return Measure(self.eligible_heads, centi_to_area(self.eligible_centi))

    @property
    def answered(self) -> Measure:
        return Measure(self.answered_heads, centi_to_area(self.answered_centi))

    @property
    def missing_heads(self) -> int:
        if self.eligible_heads == 0:
            return 0
        needed = needed_to_meet(PARTICIPATION_THRESHOLD, self.eligible_heads)
        return max(0, needed - self.answered_heads)

    @property
    def missing_area(self) -> Decimal:
        if self.eligible_centi == 0:
            return centi_to_area(0)
        needed = needed_to_meet(PARTICIPATION_THRESHOLD, self.eligible_centi)
        return centi_to_area(max(0, needed - self.answered_centi))

    @property
    def heads_percent(self) -> Decimal | None:
        return _percent(self.answered_heads, self.eligible_heads)

    @property
    def area_percent(self) -> Decimal | None:
        return _percent(self.answered_centi, self.eligible_centi)

    @property
    def reached(self) -> bool:
        return PARTICIPATION_THRESHOLD.is_met(
            self.answered_heads, self.eligible_heads
        ) and PARTICIPATION_THRESHOLD.is_met(self.answered_centi, self.eligible_centi)

    @property
    def shortfall(self) -> str:
        """What is still missing, as the committee says it: 还差 N 位业主、X 平方米."""
        if self.eligible_heads == 0:
            return "业主名册为空。"
        if self.reached:
            return f"已达到{PARTICIPATION_THRESHOLD.label}。"
        parts = []
        if self.missing_heads:
            parts.append(f"{self.missing_heads} 位业主")
        if self.missing_area:
            parts.append(f"{self.missing_area:f} 平方米")
        return "还差 " + "、".join(parts) + "。"


def _percent(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


def _answered(elector_ref: str) -> Exists:
    return Exists(Ballot.objects.filter(elector=OuterRef(elector_ref)))


WHOLE_ELECTORATE = "全体业主"


def turnout(vote: Vote) -> Turnout:
    """The whole electorate's turnout, in one query."""
    return turnouts([vote])[vote.pk]


def turnouts(votes: Iterable[Vote]) -> dict[int, Turnout]:
    """Each vote's whole-electorate turnout by its id, all in one query (public screens list
    every open vote of a compound)."""
    ids = [vote.pk for vote in votes]
    rows = (
        Elector.objects.filter(vote__in=ids)
        .annotate(answered=_answered("pk"))
        .values("vote_id")
        .annotate(
            heads=Count("pk"),
            centi=Coalesce(Sum("area_centi"), 0),
            answered_heads=Count("pk", filter=Q(answered=True)),
            answered_centi=Coalesce(Sum("area_centi", filter=Q(answered=True)), 0),
        )
        .order_by()
    )
    found = {
        row["vote_id"]: Turnout(
            WHOLE_ELECTORATE,
            row["heads"],
            row["centi"],
            row["answered_heads"],
            row["answered_centi"],
        )
        for row in rows
    }
    return {pk: found.get(pk, Turnout(WHOLE_ELECTORATE, 0, 0, 0, 0)) for pk in ids}


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """2幢 before 10幢: numbers compare as numbers, the rest as text."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|\D+", text)
    )


def turnout_by_building(vote: Vote) -> list[Turnout]:
    """Each building's turnout, in one query."""
    rows = (
        ElectorUnit.objects.filter(elector__vote=vote)
        .annotate(answered=_answered("elector"))
        .values("building")
        .annotate(
            heads=Count("elector", distinct=True),
            centi=Coalesce(Sum("area_centi"), 0),
            answered_heads=Count("elector", distinct=True, filter=Q(answered=True)),
            answered_centi=Coalesce(Sum("area_centi", filter=Q(answered=True)), 0),
        )
        .order_by()
    )
    buildings = [
        Turnout(
            row["building"],
            row["heads"],
            row["centi"],
            row["answered_heads"],
            row["answered_centi"],
        )
        for row in rows
    ]
    return sorted(buildings, key=lambda building: natural_key(building.label))


def unanswered_homes(vote: Vote, building: str = "") -> list[ElectorUnit]:
    """The homes whose owner has not answered, in the order a committee walks them: building,
    entrance, room, numbers as numbers (so 2幢 comes before 10幢)."""
    units = ElectorUnit.objects.filter(elector__vote=vote).exclude(_answered("elector"))
    if building:
        units = units.filter(building=building)
    return sorted(
        units,
        key=lambda unit: tuple(
            natural_key(part) for part in (unit.building, unit.entrance, unit.room)
        ),
    )
