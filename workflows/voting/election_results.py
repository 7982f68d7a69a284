"""Counting a committee election: each owner's counting ballot, judged by the election rules.

The counting ballot is chosen as for every vote (the latest not superseded, ``effective_ballots``);
its answers are then tallied by ``core.civil_code.election``, which judges participation once
and each candidate on their own. Candidates are named by their ballot key, never by name, so two
candidates of the same name stay apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import JSONField, OuterRef, Subquery

from core.civil_code import Measure
from core.civil_code.decide import participation_checks, support_checks
from core.civil_code.election import (
    CandidateResult,
    ElectionBallot,
    ElectionCounts,
    ElectionDecision,
    ElectionOutcome,
    SeatOrder,
    decide_election,
    tally_election,
)
from core.civil_code.matters import ORDINARY_SUPPORT_THRESHOLD

from .models import CandidateResult as StoredCandidateResult
from .models import Elector, VoteResult, centi_to_area, election_decision
from .selectors import effective_ballots

if TYPE_CHECKING:
    from core.civil_code.decide import ThresholdCheck

    from .models import Election, ElectionCandidate, Vote


def count_election(vote: Vote, election: Election) -> ElectionCounts:
    """The election's figures now: one query for the roll with each owner's counting answers."""
    latest = effective_ballots().filter(elector=OuterRef("pk"))
    rows = (
        Elector.objects.filter(vote=vote)
        .annotate(
            ballot=Subquery(latest.values("pk")[:1]),
            answers=Subquery(latest.values("answers")[:1], output_field=JSONField()),
        )
        .values_list("owner_key", "area_centi", "ballot", "answers")
    )
    electorate: dict[str, Measure] = {}
    ballots = []
    for owner_key, area_centi, ballot, answers in rows:
        electorate[owner_key] = Measure(1, centi_to_area(area_centi))
        if ballot is not None:
            ballots.append(ElectionBallot(owner_key, dict(answers or {})))
    keys = [candidate.key for candidate in election.candidates.all()]
    return tally_election(electorate, ballots, keys, election.seats)


def names_of(election: Election, keys: tuple[str, ...]) -> str:
    by_key = {candidate.key: candidate.name for candidate in election.candidates.all()}
    return "、".join(by_key[key] for key in keys)


def reason_of(decision: ElectionDecision, election: Election) -> str:
    """The result in a sentence, as the notice board says it."""
    if decision.outcome == ElectionOutcome.FAILED_PARTICIPATION:
        return "参与表决的业主人数或专有部分面积未达到三分之二，本次选举无效，须重新组织选举。"
    elected = names_of(election, decision.elected) or "无"
    text = (
        f"应选 {election.seats} 名，经参与表决专有部分面积过半数且参与表决人数过半数的业主同意，"
        f"当选：{elected}。"
    )
    if decision.tied:
        text += (
            f"{names_of(election, decision.tied)}同意票相同，争最后的席位，"
            "须另行选举决定，不以其他方式决定。"
        )
    elif len(decision.elected) < election.seats:
        text += f"尚缺 {election.seats - len(decision.elected)} 名，须另行补选。"
    return text


def store_election_result(vote: Vote, election: Election, stage: str) -> VoteResult:
    counts = count_election(vote, election)
    decision = decide_election(counts, election.order)
    zero = {
        f"{name}_{measure}": 0
        for name in ("for", "against", "abstain")
        for measure in ("heads", "area")
    }
    result = VoteResult.objects.create(
        vote=vote,
        stage=stage,
        eligible_heads=counts.eligible.heads,
        eligible_area=counts.eligible.area,
        participating_heads=counts.participating.heads,
        participating_area=counts.participating.area,
        outcome=decision.outcome.value,
        reason=reason_of(decision, election),
        **zero,
    )
    by_key: dict[str, ElectionCandidate] = {c.key: c for c in election.candidates.all()}
    StoredCandidateResult.objects.bulk_create(
        StoredCandidateResult(
            result=result,
            candidate=by_key[item.candidate],
            **StoredCandidateResult.figures(item),
        )
        for item in counts.candidates
    )
    return result


@dataclass(frozen=True)
class CandidateRow:
    """A candidate's line of the result: figures, and the two majorities checked."""

    name: str
    result: CandidateResult
    heads: ThresholdCheck
    area: ThresholdCheck


def result_rows(
    election: Election, decision: ElectionDecision, eligible: Measure, participating: Measure
) -> tuple[tuple[ThresholdCheck, ...], list[CandidateRow]]:
    """Participation (two-thirds of heads and area) and each candidate's line, in seat order."""
    on_ballot = {candidate.key: candidate for candidate in election.candidates.all()}
    counts = ElectionCounts(eligible, participating, (), election.seats)
    passed = [item for item in decision.results if item.passed and decision.participation_met]
    # The rest by what they received, as the seats are ranked, then in ballot order.
    rest = sorted(
        (item for item in decision.results if item not in passed),
        key=lambda item: (
            (-item.for_.heads, -item.for_.area, on_ballot[item.candidate].position)
            if election.order == SeatOrder.HEADS_THEN_AREA
            else (-item.for_.area, -item.for_.heads, on_ballot[item.candidate].position)
        ),
    )
    rows = [
        CandidateRow(
            on_ballot[item.candidate].name,
            item,
            *support_checks(item.for_, participating, ORDINARY_SUPPORT_THRESHOLD),
        )
        for item in (*passed, *rest)
    ]
    return participation_checks(counts.eligible, counts.participating), rows


@dataclass(frozen=True)
class StageResult:
    """One stage of an election's result as the admin lists it."""

    result: VoteResult
    decision: ElectionDecision
    participation: tuple[ThresholdCheck, ...]
    rows: list[CandidateRow]


def election_results(vote: Vote, election: Election | None) -> list[StageResult]:
    """Each stored stage of an election, judged again by the rules; empty for other votes."""
    if election is None:
        return []
    stages = []
    for result in vote.results.order_by("computed_at", "pk"):
        decision = election_decision(result, election)
        eligible = Measure(result.eligible_heads, result.eligible_area)
        participating = Measure(result.participating_heads, result.participating_area)
        stages.append(
            StageResult(result, decision, *result_rows(election, decision, eligible, participating))
        )
    return stages
