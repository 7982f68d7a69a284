"""Keep a candidate's 考察阶段 in step with the vetting chain it is going through.

The stage is the chain's current step, read from Wagtail's workflow state,
so the pool can be listed and filtered by stage without joining the workflow
tables; a rejected candidate stays at the step that sent it back.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved

from .models import CommitteeCandidate, VettingStage

# The chain's steps are named after the stages they decide (measure 5).
STAGE_BY_STEP_NAME = {stage.label: stage.value for stage in VettingStage}


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
    return STAGE_BY_STEP_NAME.get(state.current_task_state.task.name, VettingStage.RECOMMENDED)


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
        stage = STAGE_BY_STEP_NAME.get(instance.task.name, VettingStage.RECOMMENDED)
        sync_vetting_stage(candidate, stage)


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
