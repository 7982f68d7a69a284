"""Keep a candidate's 考察阶段 in step with the vetting chain it is going through.

The stage is the chain's current step, read from Wagtail's workflow state,
so the pool can be listed and filtered by stage without joining the workflow
tables; a rejected candidate stays at the step that sent it back. A step says
its stage by its key in the site configuration (``key: community_review``),
so renaming a step changes nothing here.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from wagtail.models import Task, TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved

from .models import CommitteeCandidate, VettingStage


def stage_of_step(task: Task) -> str:
    """The stage a vetting step decides, by the step's key; before the first step, recommended."""
    key = getattr(task.specific, "key", "")
    return key if key in VettingStage.values else VettingStage.RECOMMENDED


def vetting_stage_of(candidate: CommitteeCandidate) -> str:
    state = (
        WorkflowState.objects.for_instance(candidate)
        .exclude(status=WorkflowState.STATUS_CANCELLED)
        .select_related("current_task_state__task")
        .order_by("-created_at")
        .first()
    )
    if state is None or state.current_task_state is None:
        return VettingStage.RECOMMENDED
    return stage_of_step(state.current_task_state.task)


def sync_vetting_stage(candidate: CommitteeCandidate, stage: str | None = None) -> None:
    stage = stage or vetting_stage_of(candidate)
    if stage != candidate.vetting_stage:
        CommitteeCandidate.objects.filter(pk=candidate.pk).update(vetting_stage=stage)
        candidate.vetting_stage = stage


def on_candidate_saved(sender: type, instance: CommitteeCandidate, **kwargs: Any) -> None:
    # Saving a draft writes back the stage its revision was taken at.
    if not kwargs.get("raw"):
        sync_vetting_stage(instance)


def on_step_started(sender: type, instance: TaskState, **kwargs: Any) -> None:
    # Sent before the workflow state points at this step, so the step says the stage.
    candidate = instance.workflow_state.content_object
    if isinstance(candidate, CommitteeCandidate):
        sync_vetting_stage(candidate, stage_of_step(instance.task))


def on_chain_approved(sender: type, instance: WorkflowState, **kwargs: Any) -> None:
    candidate = instance.content_object
    if isinstance(candidate, CommitteeCandidate):
        sync_vetting_stage(candidate)


def register() -> None:
    post_save.connect(
        on_candidate_saved, sender=CommitteeCandidate, dispatch_uid="weizhi_candidate_stage"
    )
    task_submitted.connect(on_step_started, dispatch_uid="weizhi_candidate_stage_step")
    workflow_approved.connect(on_chain_approved, dispatch_uid="weizhi_candidate_stage_approved")
