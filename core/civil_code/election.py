"""Electing the owners' committee (matter 3): several candidates on one ballot, each judged alone.

Beside ``decide`` and as pure: participation is judged once for the whole election
(two-thirds of heads and of area, 第二百七十八条第二款); then each candidate passes on their own
by the double majority of the participants (more than half by head and by area). When more pass
than there are seats, seats go in the configured order (heads for, then area for, by default);
a tie at the last seat is reported for a runoff and never broken silently. Nothing depends on
the order in which candidates or ballots come: results are ranked, then named in a fixed order.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from .matters import ORDINARY_SUPPORT_THRESHOLD, PARTICIPATION_THRESHOLD, InvalidCountsError
from .tally import Measure

if TYPE_CHECKING:
    from collections.abc import Iterable


class SeatOrder(StrEnum):
    """How passing candidates are ranked when they outnumber the seats."""

    HEADS_THEN_AREA = "heads_then_area"
    AREA_THEN_HEADS = "area_then_heads"


class ElectionOutcome(StrEnum):
    FAILED_PARTICIPATION = "failed_participation"
    ELECTED = "elected"
    TIE_AT_LAST_SEAT = "tie_at_last_seat"

    @property
    def label(self) -> str:
        return {
            ElectionOutcome.FAILED_PARTICIPATION: "参与表决未达到三分之二，选举无效",
            ElectionOutcome.ELECTED: "选举产生",
            ElectionOutcome.TIE_AT_LAST_SEAT: "最后席位得票相同，须另行选举",
        }[self]


@dataclass(frozen=True)
class CandidateCounts:
    """One candidate's answers among the participants; a blank counts as none of the three."""

    candidate: str
    for_: Measure
    against: Measure
    abstain: Measure


@dataclass(frozen=True)
class ElectionCounts:
    eligible: Measure
    participating: Measure
    candidates: tuple[CandidateCounts, ...]
    seats: int

    def __post_init__(self) -> None:
        if self.seats < 1:
            raise InvalidCountsError(f"应选名额至少为 1（现为 {self.seats}）。")
        names = [item.candidate for item in self.candidates]
        if len(set(names)) != len(names):
            raise InvalidCountsError("候选人名单中有重复的候选人。")
        if (
            self.participating.heads > self.eligible.heads
            or self.participating.area > self.eligible.area
        ):
            raise InvalidCountsError("参与表决的人数或面积超过了业主总数，数据不一致。")
        for item in self.candidates:
            heads = item.for_.heads + item.against.heads + item.abstain.heads
            area = item.for_.area + item.against.area + item.abstain.area
            if heads > self.participating.heads or area > self.participating.area:
                raise InvalidCountsError(
                    f"候选人“{item.candidate}”的同意、反对、弃权合计超过了参与表决的人数或面积。"
                )


@dataclass(frozen=True)
class CandidateResult:
    candidate: str
    for_: Measure
    against: Measure
    abstain: Measure
    passed_heads: bool
    passed_area: bool
    elected: bool
    tied: bool

    @property
    def passed(self) -> bool:
        return self.passed_heads and self.passed_area


@dataclass(frozen=True)
class ElectionDecision:
    outcome: ElectionOutcome
    participation_heads_met: bool
    participation_area_met: bool
    seats: int
    # Passing candidates in seat order, then those who did not pass, by name.
    results: tuple[CandidateResult, ...]

    @property
    def participation_met(self) -> bool:
        return self.participation_heads_met and self.participation_area_met

    @property
    def elected(self) -> tuple[str, ...]:
        return tuple(item.candidate for item in self.results if item.elected)

    @property
    def tied(self) -> tuple[str, ...]:
        return tuple(item.candidate for item in self.results if item.tied)


def _rank(item: CandidateCounts, order: SeatOrder) -> tuple[object, ...]:
    heads, area = item.for_.heads, item.for_.area
    return (heads, area) if order == SeatOrder.HEADS_THEN_AREA else (area, heads)


def decide_election(
    counts: ElectionCounts, order: SeatOrder = SeatOrder.HEADS_THEN_AREA
) -> ElectionDecision:
    participation = (
        PARTICIPATION_THRESHOLD.is_met(counts.participating.heads, counts.eligible.heads),
        PARTICIPATION_THRESHOLD.is_met(counts.participating.area, counts.eligible.area),
    )
    by_name = sorted(counts.candidates, key=lambda item: item.candidate)

    def support(item: CandidateCounts) -> tuple[bool, bool]:
        return (
            ORDINARY_SUPPORT_THRESHOLD.is_met(item.for_.heads, counts.participating.heads),
            ORDINARY_SUPPORT_THRESHOLD.is_met(item.for_.area, counts.participating.area),
        )

    if not all(participation):
        results = tuple(_result(item, support(item), False, False) for item in by_name)
        return ElectionDecision(
            ElectionOutcome.FAILED_PARTICIPATION, *participation, counts.seats, results
        )

    passing = [item for item in by_name if all(support(item))]
    failing = [item for item in by_name if not all(support(item))]
    # Stable sort over names: equal ranks stay in name order, whatever order came in.
    passing.sort(key=lambda item: _rank(item, order), reverse=True)
    elected: set[str] = set()
    tied: set[str] = set()
    if len(passing) <= counts.seats:
        elected = {item.candidate for item in passing}
    else:
        last = _rank(passing[counts.seats - 1], order)
        above = [item for item in passing if _rank(item, order) > last]
        at_last = [item for item in passing if _rank(item, order) == last]
        elected = {item.candidate for item in above}
        if len(above) + len(at_last) == counts.seats:
            elected |= {item.candidate for item in at_last}
        else:
            tied = {item.candidate for item in at_last}

    results = tuple(
        _result(item, support(item), item.candidate in elected, item.candidate in tied)
        for item in (*passing, *failing)
    )
    outcome = ElectionOutcome.TIE_AT_LAST_SEAT if tied else ElectionOutcome.ELECTED
    return ElectionDecision(outcome, *participation, counts.seats, results)


def _result(
    item: CandidateCounts, support: tuple[bool, bool], elected: bool, tied: bool
) -> CandidateResult:
    return CandidateResult(
        item.candidate, item.for_, item.against, item.abstain, *support, elected, tied
    )


@dataclass(frozen=True)
class ElectionBallot:
    """One owner's answers: candidate → "for" / "against" / "abstain"; a missing one is blank."""

    owner_key: str
    answers: dict[str, str]


def tally_election(
    electorate: dict[str, Measure],
    ballots: Iterable[ElectionBallot],
    candidates: Iterable[str],
    seats: int,
) -> ElectionCounts:
    """Count ballots (one per owner, the latest already chosen) against the frozen roll."""
    names = list(candidates)
    sums: dict[str, dict[str, list[Measure]]] = {
        name: {"for": [], "against": [], "abstain": []} for name in names
    }
    participants: list[Measure] = []
    seen: set[str] = set()
    for ballot in ballots:
        owner = electorate.get(ballot.owner_key)
        if owner is None:
            raise InvalidCountsError(f"表决票中的业主“{ballot.owner_key}”不在业主名册中。")
        if ballot.owner_key in seen:
            raise InvalidCountsError(f"业主“{ballot.owner_key}”有两张计票的选票。")
        seen.add(ballot.owner_key)
        participants.append(owner)
        for name, answer in ballot.answers.items():
            if name not in sums or answer not in sums[name]:
                raise InvalidCountsError(f"选票中有无效的候选人或意见：{name} {answer}。")
            sums[name][answer].append(owner)

    def total(measures: Iterable[Measure]) -> Measure:
        group = list(measures)
        return Measure(len(group), sum((item.area for item in group), Decimal(0)))

    return ElectionCounts(
        eligible=total(electorate.values()),
        participating=total(participants),
        candidates=tuple(
            CandidateCounts(
                name,
                total(sums[name]["for"]),
                total(sums[name]["against"]),
                total(sums[name]["abstain"]),
            )
            for name in names
        ),
        seats=seats,
    )
