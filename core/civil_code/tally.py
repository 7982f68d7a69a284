"""Counting heads and exclusive areas, exactly, from an electorate and its ballots."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, Inexact, localcontext
from typing import TYPE_CHECKING

from .matters import (
    Choice,
    DuplicateUnitError,
    InvalidCountsError,
    UnknownOwnerError,
    VotingRuleError,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

# --------------------------------------------------------------------------- inputs


def _exact_sum(values: Iterable[Decimal]) -> Decimal:
    """Decimal addition rounds at 28 digits by default; here it must never round at all."""
    context = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact])
    with localcontext(context):
        return sum(values, Decimal(0))


def _checked_area(area: object, what: str) -> Decimal:
    """Areas feed exact comparisons, so only exact, finite, non-negative numbers are accepted."""
    if isinstance(area, bool) or not isinstance(area, Decimal | int):
        raise TypeError(f"{what}必须是 Decimal（平方米），不能是 {type(area).__name__}。")
    value = Decimal(area)
    if not value.is_finite():
        raise InvalidCountsError(f"{what}必须是有限数值，而不是 {value}。")
    if value < 0:
        raise InvalidCountsError(f"{what}不能为负数（{value:f} 平方米）。")
    return value


@dataclass(frozen=True)
class ElectorateUnit:
    """One exclusive part (专有部分) on the roll, by its registered area.

    Units sharing an ``owner_key`` belong to one owner and count as one head (司法解释第九条):
    give co-owners of a unit a single key, and give unsold or undelivered units of the developer
    the developer's key.
    """

    unit_id: str | int
    owner_key: str
    area: Decimal

    def __post_init__(self) -> None:
        area = _checked_area(self.area, f"专有部分“{self.unit_id}”的面积")
        if area == 0:
            raise InvalidCountsError(f"专有部分“{self.unit_id}”的登记面积必须大于零。")
        object.__setattr__(self, "area", area)


@dataclass(frozen=True)
class Ballot:
    """One owner's answer; it covers every unit that owner holds on the roll."""

    owner_key: str
    choice: Choice

    def __post_init__(self) -> None:
        try:
            choice = Choice(self.choice)
        except ValueError:
            raise VotingRuleError(
                f"业主“{self.owner_key}”的表决选项“{self.choice}”无效，只能是同意、反对或弃权。"
            ) from None
        object.__setattr__(self, "choice", choice)


@dataclass(frozen=True)
class Measure:
    """A group of owners measured both ways the law requires: by heads and by area."""

    heads: int
    area: Decimal

    def __post_init__(self) -> None:
        if isinstance(self.heads, bool) or not isinstance(self.heads, int):
            raise TypeError(f"业主人数必须是整数，不能是 {type(self.heads).__name__}。")
        if self.heads < 0:
            raise InvalidCountsError(f"业主人数不能为负数（{self.heads} 人）。")
        area = _checked_area(self.area, "专有部分面积")
        if self.heads == 0 and area != 0:
            raise InvalidCountsError(f"没有业主却有专有部分面积（{area:f} 平方米），数据不一致。")
        object.__setattr__(self, "area", area)


@dataclass(frozen=True)
class TallyCounts:
    """The figures a decision rests on, whoever counted them (Python or SQL).

    They are checked on construction so that an aggregation bug surfaces as an error rather
    than as a resolution wrongly declared passed.
    """

    eligible: Measure
    participating: Measure
    for_: Measure
    against: Measure
    abstain: Measure

    def __post_init__(self) -> None:
        answered_heads = self.for_.heads + self.against.heads + self.abstain.heads
        if answered_heads != self.participating.heads:
            raise InvalidCountsError(
                f"同意、反对、弃权的人数之和（{answered_heads} 人）"
                f"不等于参与表决人数（{self.participating.heads} 人）。"
            )
        answered_area = _exact_sum((self.for_.area, self.against.area, self.abstain.area))
        if answered_area != self.participating.area:
            raise InvalidCountsError(
                f"同意、反对、弃权的面积之和（{answered_area:f} 平方米）"
                f"不等于参与表决面积（{self.participating.area:f} 平方米）。"
            )
        if self.participating.heads > self.eligible.heads:
            raise InvalidCountsError(
                f"参与表决人数（{self.participating.heads} 人）"
                f"超过了业主总人数（{self.eligible.heads} 人）。"
            )
        if self.participating.area > self.eligible.area:
            raise InvalidCountsError(
                f"参与表决面积（{self.participating.area:f} 平方米）"
                f"超过了专有部分总面积（{self.eligible.area:f} 平方米）。"
            )


# --------------------------------------------------------------------------- counting


def tally(electorate: Iterable[ElectorateUnit], ballots: Iterable[Ballot]) -> TallyCounts:
    """Count ballots against the roll, one head per owner and every square metre they hold.

    Ballots are taken in recording order and an owner's last ballot replaces earlier ones,
    because an owner may change their answer before the vote closes.
    """
    owner_area: dict[str, list[Decimal]] = {}
    seen_units: set[str | int] = set()
    for unit in electorate:
        if unit.unit_id in seen_units:
            raise DuplicateUnitError(unit.unit_id)
        seen_units.add(unit.unit_id)
        owner_area.setdefault(unit.owner_key, []).append(unit.area)

    final_choice: dict[str, Choice] = {}
    for ballot in ballots:
        if ballot.owner_key not in owner_area:
            raise UnknownOwnerError(ballot.owner_key)
        final_choice[ballot.owner_key] = ballot.choice

    def measure(owners: Iterable[str]) -> Measure:
        keys = list(owners)
        return Measure(len(keys), _exact_sum(a for key in keys for a in owner_area[key]))

    def answered(choice: Choice) -> Measure:
        return measure(key for key, answer in final_choice.items() if answer is choice)

    return TallyCounts(
        eligible=measure(owner_area),
        participating=measure(final_choice),
        for_=answered(Choice.FOR),
        against=answered(Choice.AGAINST),
        abstain=answered(Choice.ABSTAIN),
    )
