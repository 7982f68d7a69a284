"""Committee elections (matter 3): a vote that puts several vetted candidates on one ballot.

An election is a ``Vote`` with an ``Election`` beside it: the seats, the seat order fixed when
it was set up (from the site configuration's ``voting`` section, so a later change
of the file never re-ranks a counted election) and the candidates, each copied from the vetted
pool with their name as it stood. A ballot of an election carries one answer per candidate
(``Ballot.answers``); each stage's result keeps every candidate's figures, and the decision —
who is elected, or who is tied at the last seat — is re-derived from them by the rules.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from content_types.committees.models import CommitteeCandidate, OwnersCommittee
from core.civil_code import Measure
from core.civil_code.election import (
    CandidateCounts,
    ElectionCounts,
    ElectionDecision,
    SeatOrder,
    decide_election,
)

from .ballots import VoteResult
from .votes import SEAT_ORDER_CHOICES, Vote

# One ballot lists every candidate; more would not fit a printed ballot or a phone screen.
MAX_CANDIDATES = 30


class Election(models.Model):
    """The election side of a vote: its seats, its seat order and its candidates."""

    vote = models.OneToOneField(
        Vote, verbose_name="表决", on_delete=models.CASCADE, related_name="election"
    )
    seats = models.PositiveSmallIntegerField(
        "应选名额", validators=[MinValueValidator(1), MaxValueValidator(MAX_CANDIDATES)]
    )
    seat_order = models.CharField("席位排序", max_length=20, choices=SEAT_ORDER_CHOICES)
    # The new term's committee drafted from the final result, for its own review.
    committee = models.ForeignKey(
        OwnersCommittee,
        verbose_name="新一届业委会（草稿）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "业委会选举"
        verbose_name_plural = "业委会选举"

    def __str__(self) -> str:
        return f"{self.vote}（应选 {self.seats} 名）"

    @property
    def order(self) -> SeatOrder:
        return SeatOrder(self.seat_order)


class ElectionCandidate(models.Model):
    """A candidate on the ballot, as the vetted pool held them when the election was set up."""

    election = models.ForeignKey(
        Election, verbose_name="选举", on_delete=models.CASCADE, related_name="candidates"
    )
    candidate = models.ForeignKey(
        CommitteeCandidate,
        verbose_name="储备库人选",
        on_delete=models.PROTECT,
        related_name="election_candidacies",
    )
    name = models.CharField("姓名", max_length=50)
    position = models.PositiveSmallIntegerField("选票上的序号")

    class Meta:
        verbose_name = "选举候选人"
        verbose_name_plural = "选举候选人"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "candidate"], name="unique_candidate_per_election"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        """How a ballot's answers name this candidate."""
        return str(self.pk)


class CandidateResult(models.Model):
    """One candidate's figures at one stage of an election's result, both measures."""

    result = models.ForeignKey(
        VoteResult,
        verbose_name="表决结果",
        on_delete=models.CASCADE,
        related_name="candidate_results",
    )
    candidate = models.ForeignKey(
        ElectionCandidate, verbose_name="候选人", on_delete=models.PROTECT, related_name="results"
    )
    for_heads = models.PositiveIntegerField("同意人数")
    for_area = models.DecimalField("同意面积", max_digits=14, decimal_places=2)
    against_heads = models.PositiveIntegerField("反对人数")
    against_area = models.DecimalField("反对面积", max_digits=14, decimal_places=2)
    abstain_heads = models.PositiveIntegerField("弃权人数")
    abstain_area = models.DecimalField("弃权面积", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = "候选人得票"
        verbose_name_plural = "候选人得票"
        constraints = [
            models.UniqueConstraint(
                fields=["result", "candidate"], name="unique_candidate_per_result"
            )
        ]

    def __str__(self) -> str:
        return f"{self.result} · {self.candidate}"

    @classmethod
    def figures(cls, counts: CandidateCounts) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for name in ("for", "against", "abstain"):
            measure: Measure = getattr(counts, "for_" if name == "for" else name)
            fields[f"{name}_heads"] = measure.heads
            fields[f"{name}_area"] = measure.area
        return fields

    def counts(self) -> CandidateCounts:
        def measure(name: str) -> Measure:
            return Measure(getattr(self, f"{name}_heads"), getattr(self, f"{name}_area"))

        return CandidateCounts(
            self.candidate.key, measure("for"), measure("against"), measure("abstain")
        )


def election_decision(result: VoteResult, election: Election) -> ElectionDecision:
    """The stored figures of an election's result judged again by the rules."""
    rows = result.candidate_results.select_related("candidate").order_by("candidate__position")
    counts = ElectionCounts(
        eligible=Measure(result.eligible_heads, result.eligible_area),
        participating=Measure(result.participating_heads, result.participating_area),
        candidates=tuple(row.counts() for row in rows),
        seats=election.seats,
    )
    return decide_election(counts, election.order)


def election_of(vote: Vote) -> Election | None:
    """The vote's election, or None for a single question."""
    try:
        return vote.election
    except Election.DoesNotExist:
        return None


__all__ = [
    "MAX_CANDIDATES",
    "SEAT_ORDER_CHOICES",
    "CandidateResult",
    "Election",
    "ElectionCandidate",
    "election_decision",
    "election_of",
]
