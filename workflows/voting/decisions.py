"""审定结果: what a proposal's public page says was decided, from the vote or the chain.

The proposal's page type sits below the votes and chains that decide it, so the
decision is read here and handed to its template (``proposal_decisions`` tags).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from wagtail.models import Page, WorkflowState

from core.civil_code import Outcome

from .models import ResultStage, Vote, VoteResult, VoteStatus

if TYPE_CHECKING:
    from datetime import datetime


@dataclass(frozen=True)
class ProposalDecision:
    """What the public page says was decided, and the tally when the owners voted."""

    passed: bool
    label: str
    decided_at: datetime
    result: VoteResult | None


def proposal_decision(proposal: Page) -> ProposalDecision | None:
    """The owners' final vote, or the approval of a chain without a vote; None while undecided.

    A final vote newer than the last submission decides (passed or failed,
    with its tally); otherwise an approved chain means the proposal was
    decided without a vote (the committee's short chain). A vote that failed
    for want of participation and was put to the owners again decides
    nothing: its re-run does, once final.
    """
    result = (
        VoteResult.objects.filter(
            vote__proposal=proposal, stage=ResultStage.FINAL, vote__rerun__isnull=True
        )
        .select_related("vote")
        .order_by("-vote__finalised_at", "-pk")
        .first()
    )
    state = (
        WorkflowState.objects.for_instance(proposal)
        .select_related("workflow")
        .order_by("-created_at", "-pk")
        .first()
    )
    finalised = result.vote.finalised_at if result is not None else None
    if finalised is not None and (state is None or finalised >= state.created_at):
        outcome = Outcome(result.outcome)  # type: ignore[union-attr]
        return ProposalDecision(
            passed=outcome is Outcome.PASSED,
            label=f"业主大会审定{outcome.label}",
            decided_at=finalised,
            result=result,
        )
    if state is not None and state.status == WorkflowState.STATUS_APPROVED:
        last = state.task_states.order_by("-finished_at").first()
        return ProposalDecision(
            passed=True,
            label=f"经“{state.workflow.name}”审核通过",
            decided_at=last.finished_at if last else state.created_at,
            result=None,
        )
    return None


def proposal_votes(proposal: Page) -> list[Vote]:
    """Every vote the owners were asked on ``proposal``, first to last, each with its latest
    result (``latest_result``, None while open): a failed vote and its re-run side by side.

    Drafts are left out; the rest is as public as the proposal's own page showing them, which
    sits in the same compound.
    """
    votes = list(
        Vote.objects.filter(proposal=proposal)
        .exclude(status=VoteStatus.DRAFT)
        .prefetch_related("results")
        .order_by("opens_at", "pk")
    )
    for vote in votes:
        results = sorted(vote.results.all(), key=lambda result: (result.computed_at, result.pk))
        vote.latest_result = results[-1] if results else None  # type: ignore[attr-defined]
    return votes
