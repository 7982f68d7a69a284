"""审定结果: what a proposal's public page says was decided, from the vote or the chain.

The proposal's page type sits below the votes and chains that decide it, so the
decision is read here and handed to its template (``proposal_decisions`` tags).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wagtail.models import Page, TaskState, WorkflowState, WorkflowTask

from core.civil_code import Outcome

from .models import ResultStage, Vote, VoteResult, VoteStatus

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime


@dataclass(frozen=True)
class ProposalDecision:
    """What the public page says was decided, and the tally when the owners voted."""

    passed: bool
    label: str
    decided_at: datetime
    result: VoteResult | None


def proposal_decision(proposal: Page) -> ProposalDecision | None:
    """The owners' final vote, or the approval of a chain without a vote; None while undecided."""
    return proposal_records([proposal])[proposal.pk].decision


@dataclass(frozen=True)
class ReviewStep:
    """One step of a proposal's chain as the public reads it: its name, outcome and when."""

    name: str
    outcome: str
    at: datetime | None
    passed: bool | None


@dataclass(frozen=True)
class ProposalRecord:
    """What was decided on a proposal and the steps of its latest submission, in order."""

    decision: ProposalDecision | None
    steps: list[ReviewStep]


STEP_OUTCOMES = {
    TaskState.STATUS_APPROVED: ("通过", True),
    TaskState.STATUS_REJECTED: ("未通过", False),
    TaskState.STATUS_CANCELLED: ("已终止", False),
    TaskState.STATUS_SKIPPED: ("已跳过", None),
    TaskState.STATUS_IN_PROGRESS: ("进行中", None),
}


def proposal_records(proposals: Iterable[Page]) -> dict[int, ProposalRecord]:
    """Each proposal's decision and steps, by id, in four queries whatever their number.

    A final vote newer than the last submission decides (passed or failed, with its tally);
    otherwise an approved chain means the proposal was decided without a vote (the
    committee's short chain). A vote that failed for want of participation and was put to the
    owners again decides nothing: its re-run does, once final. The steps are the chain's tasks
    in order, each with the outcome of the latest submission (who reviewed is not said: only
    the step, its outcome and date).
    """
    ids = [proposal.pk for proposal in proposals]
    if not ids:
        return {}
    results: dict[int, VoteResult] = {}
    for result in (
        VoteResult.objects.filter(
            vote__proposal_id__in=ids, stage=ResultStage.FINAL, vote__rerun__isnull=True
        )
        .select_related("vote")
        .order_by("-vote__finalised_at", "-pk")
    ):
        if (proposal_id := result.vote.proposal_id) is not None:
            results.setdefault(proposal_id, result)
    states: dict[int, WorkflowState] = {}
    for state in (
        WorkflowState.objects.filter(
            base_content_type__app_label="wagtailcore",
            base_content_type__model="page",
            object_id__in=[str(pk) for pk in ids],
        )
        .select_related("workflow")
        .order_by("-created_at", "-pk")
    ):
        states.setdefault(int(state.object_id), state)
    task_states: dict[int, dict[int, TaskState]] = defaultdict(dict)
    for task_state in TaskState.objects.filter(
        workflow_state__in=[state.pk for state in states.values()]
    ).order_by("started_at", "pk"):
        task_states[task_state.workflow_state_id][task_state.task_id] = task_state
    tasks: dict[int, list[WorkflowTask]] = defaultdict(list)
    for link in (
        WorkflowTask.objects.filter(workflow__in={state.workflow_id for state in states.values()})
        .select_related("task")
        .order_by("sort_order", "pk")
    ):
        tasks[link.workflow_id].append(link)
    records = {}
    for pk in ids:
        state = states.get(pk)
        done = task_states[state.pk] if state is not None else {}
        steps = [
            _step(link.task.name, done.get(link.task_id))
            for link in (tasks[state.workflow_id] if state is not None else [])
        ]
        records[pk] = ProposalRecord(_decision(results.get(pk), state, done), steps)
    return records


def _step(name: str, task_state: TaskState | None) -> ReviewStep:
    if task_state is None:
        return ReviewStep(name, "未进行", None, None)
    outcome, passed = STEP_OUTCOMES.get(task_state.status, ("", None))
    return ReviewStep(name, outcome, task_state.finished_at or task_state.started_at, passed)


def _decision(
    result: VoteResult | None, state: WorkflowState | None, task_states: dict[int, TaskState]
) -> ProposalDecision | None:
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
        finished = [each.finished_at for each in task_states.values() if each.finished_at]
        return ProposalDecision(
            passed=True,
            label=f"经“{state.workflow.name}”审核通过",
            decided_at=max(finished, default=state.created_at),
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
