"""业主大会审定: the step that puts a proposal to the owners and waits for their result."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from wagtail.models import Task, TaskState

from workflows.chains.notifications import on_vote_waiting
from workflows.voting.models import Vote

from .base import compound_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.db.models import QuerySet


class AssemblyVoteTask(Task):
    """业主大会审定: puts the proposal's matter to the owners and waits for the final result.

    When an item reaches this step a draft vote of its compound is created on
    the item's matter; the committee opens it in 业主大会表决 (freezing the
    register), and when its result is final the step approves or rejects by
    the result with the tally as its comment. Nobody approves it by hand.
    """

    voting_days = models.PositiveSmallIntegerField(
        "表决期（天）",
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="自动创建的表决自创建时起的截止天数；业委会开启表决前可在表决中修改。",
    )

    admin_form_fields = [*Task.admin_form_fields, "voting_days"]
    task_state_class: Any = None  # set below

    class Meta:
        verbose_name = "业主大会审定"
        verbose_name_plural = "业主大会审定"

    def start(self, workflow_state: Any, user: Any = None) -> TaskState:
        obj = workflow_state.content_object.specific
        compound = compound_of(obj)
        if compound is None or not getattr(obj, "matter", ""):
            raise ValueError("业主大会审定只适用于小区内、载明表决事项的议案。")
        now = timezone.now()
        vote = Vote.objects.create(
            compound_id=compound.pk,
            proposal=obj,
            matter=obj.matter,
            title=f"关于“{obj.title}”的业主大会表决",
            description=getattr(obj, "purpose", ""),
            opens_at=now,
            closes_at=now + timedelta(days=self.voting_days),
            created_by=user,
        )
        return self.wait_on(workflow_state, vote, compound, user)

    def wait_on(
        self, workflow_state: Any, vote: Vote, compound: Any, user: Any = None
    ) -> TaskState:
        """Start the step on ``vote``: the one it made, or the re-run of one that failed for want
        of participation (``assembly.on_vote_rerun``)."""
        state = super().start(workflow_state, user=user)
        state.vote = vote
        state.save(update_fields=["vote"])
        on_vote_waiting(state, vote, compound)
        return state

    def user_can_access_editor(self, obj: Any, user: AbstractBaseUser) -> bool:
        return False

    def locked_for_user(self, obj: Any, user: AbstractBaseUser) -> bool:
        # What the owners vote on must not change under them.
        return True

    def get_actions(self, obj: Any, user: AbstractBaseUser) -> list[tuple[str, str, bool]]:
        return []

    def on_action(self, task_state: TaskState, user: Any, action_name: str, **kwargs: Any) -> None:
        raise PermissionDenied("业主大会审定由表决结果决定，不能手动审核。")

    def get_task_states_user_can_moderate(self, user: AbstractBaseUser, **kwargs: Any) -> QuerySet:
        return TaskState.objects.none()

    @classmethod
    def get_description(cls) -> str:
        return "自动发起业主大会表决，表决结果确认后按结果通过或退回，并附计票结果。"


class AssemblyVoteTaskState(TaskState):
    """The vote this step waits on."""

    vote = models.ForeignKey(
        "voting.Vote",
        verbose_name="业主大会表决",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assembly_task_states",
    )

    class Meta:
        verbose_name = "业主大会审定状态"
        verbose_name_plural = "业主大会审定状态"


AssemblyVoteTask.task_state_class = AssemblyVoteTaskState
