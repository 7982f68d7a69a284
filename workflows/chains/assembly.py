"""The owners' assembly step follows its vote: the final result approves or rejects it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wagtail.log_actions import log
from wagtail.models import TaskState, WorkflowState

from core.civil_code import Outcome
from workflows.voting.services import VotingError

from .finish import publish_decided_item
from .steps.assembly_vote import AssemblyVoteTaskState
from .steps.base import compound_of

if TYPE_CHECKING:
    from workflows.voting.models import Vote, VoteResult


def tally_text(result: VoteResult) -> str:
    """The result with both measures (owners and area), as the step's comment and the notice."""
    rows = (
        ("应参与表决", result.eligible_heads, result.eligible_area),
        ("参与表决", result.participating_heads, result.participating_area),
        ("同意", result.for_heads, result.for_area),
        ("反对", result.against_heads, result.against_area),
        ("弃权", result.abstain_heads, result.abstain_area),
    )
    figures = "；".join(
        f"{label} {heads} 人、专有部分面积 {area} 平方米" for label, heads, area in rows
    )
    return f"业主大会表决结果：{Outcome(result.outcome).label}。{figures}。{result.reason}"


MISMATCH = "表决的事项、议案或范围与本申请不符，其结果不能作为业主大会审定的依据，请重新提交。"


def decides(vote: Vote, state: AssemblyVoteTaskState) -> bool:
    """Whether ``vote`` is still what the step put to the owners: its item's matter, by all of
    its compound's owners. The vote form keeps these fixed; this holds whatever changed them."""
    item = state.revision.as_object() if state.revision else None
    return (
        item is not None
        and vote.proposal_id == item.pk
        and vote.matter == getattr(item, "matter", None)
        and not vote.buildings
        and vote.compound_id == getattr(compound_of(item), "pk", None)
    )


def on_vote_finalised(
    sender: type, vote: Vote, result: VoteResult, user: Any = None, **kwargs: Any
) -> None:
    """Approve or reject the step waiting on ``vote``; a failed proposal is published as failed."""
    waiting = AssemblyVoteTaskState.objects.filter(
        vote=vote, status=TaskState.STATUS_IN_PROGRESS
    ).select_related("workflow_state", "revision")
    if not waiting.exists():
        return  # a vote no step waits on, such as a committee election
    comment = tally_text(result)
    for state in waiting:
        if not decides(vote, state):
            state.reject(user=user, comment=MISMATCH)
            continue
        if result.outcome == Outcome.PASSED:
            state.approve(user=user, comment=comment)
        else:
            state.reject(user=user, comment=comment)
            publish_decided_item(state.revision, user=user)


def on_vote_rerun(
    sender: type, vote: Vote, previous: Vote, user: Any = None, **kwargs: Any
) -> None:
    """Bring the proposal's chain back to the owners' assembly step, waiting on the re-run.

    The step's earlier reviews stand: they judged the proposal, not the turnout. So the chain
    that ended when ``previous`` failed resumes at the step that waited on it, provided the
    proposal is still what those reviews and that vote saw — not edited since, and not
    submitted afresh. A vote no chain waited on needs nothing here.
    """
    state = (
        AssemblyVoteTaskState.objects.filter(vote=previous)
        .select_related("workflow_state", "task", "revision")
        .order_by("-pk")
        .first()
    )
    if state is None:
        return
    workflow_state = state.workflow_state
    item = workflow_state.content_object.specific
    latest = WorkflowState.objects.for_instance(item).order_by("-created_at", "-pk").first()
    if latest != workflow_state or workflow_state.status not in (
        WorkflowState.STATUS_CANCELLED,
        WorkflowState.STATUS_NEEDS_CHANGES,
    ):
        raise VotingError("该申请在表决后已重新提交审核，不能再对原表决重新表决。")
    if item.get_latest_revision() != state.revision:
        raise VotingError("申请在表决后已修改，须重新提交审核，不能直接重新表决。")
    workflow_state.status = WorkflowState.STATUS_IN_PROGRESS
    workflow_state.current_task_state = None
    workflow_state.save()
    task = state.task.specific
    workflow_state.current_task_state = task.wait_on(workflow_state, vote, compound_of(item), user)
    workflow_state.save()
    log(
        instance=item,
        action="wagtail.workflow.resume",
        data={
            "workflow": {
                "id": workflow_state.workflow_id,
                "title": workflow_state.workflow.name,
                "status": workflow_state.status,
                "task_state_id": workflow_state.current_task_state.pk,
                "task": {"id": task.pk, "title": task.name},
            }
        },
        revision=state.revision,
        user=user,
    )
