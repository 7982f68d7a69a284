"""三方联席会议审议: the step the community, the committee and the firm sign together."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, Task, TaskState

from content_types.meetings.models import JointMeeting
from content_types.roles.models import Role
from content_types.roles.scope import (
    user_holds_role_over,
)
from core.ids import id_from_text
from workflows.chains.forms import JointMeetingApprovalForm

from .base import ScopedReviewTask, compound_of, items_in_reach

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class Party(models.TextChoices):
    """The three parties of 三方联席会议 and the roles that speak for each."""

    COMMUNITY = "community", "社区"
    COMMITTEE = "committee", "业委会"
    FIRM = "firm", "物业服务企业"


PARTY_ROLES: dict[str, tuple[str, ...]] = {
    Party.COMMUNITY: (Role.COMMUNITY_OFFICE, Role.COMMUNITY_PARTY),
    Party.COMMITTEE: (Role.OWNERS_COMMITTEE,),
    Party.FIRM: (Role.PROPERTY_FIRM,),
}
ALL_PARTY_ROLES = tuple(role for roles in PARTY_ROLES.values() for role in roles)


class JointMeetingTask(ScopedReviewTask, Task):
    """三方联席会议审议: passes once the community, the committee and the firm have all signed.

    Each party signs in the approve form, naming the compound's recorded meeting
    (with minutes) the decision was taken at; one party's rejection sends the
    item back to its author, and a resubmission starts the signatures afresh.
    Wagtail's group task passes on one approval; this one waits for three.
    """

    task_state_class: Any = None  # set below, once the state class exists

    class Meta:
        verbose_name = "三方联席会议审议"
        verbose_name_plural = "三方联席会议审议"

    def parties_of(self, obj: Any, user: AbstractBaseUser) -> list[str]:
        """The parties ``user`` speaks for on ``obj``: by their roles over its compound."""
        compound = compound_of(obj)
        if compound is None:
            return []
        return [
            party
            for party, roles in PARTY_ROLES.items()
            if user_holds_role_over(user, compound, roles)
        ]

    def party_to_sign(self, task_state: TaskState, user: AbstractBaseUser) -> str | None:
        """The first of the user's parties that has not signed ``task_state`` yet."""
        state = task_state.specific
        for party in self.parties_of(state.workflow_state.content_object, user):
            if getattr(state, f"{party}_by_id") is None:
                return party
        return None

    def reviewer_roles(self) -> tuple[str, ...]:
        return ALL_PARTY_ROLES

    def review_anchor(self, obj: Any) -> Page | None:
        return compound_of(obj)

    def get_actions(self, obj: Any, user: AbstractBaseUser) -> list[tuple[str, str, bool]]:
        state = obj.current_workflow_task_state
        if state is None or state.task_id != self.pk:
            return []
        party = self.party_to_sign(state, user)
        if party is None:
            return []
        label = Party(party).label
        return [("reject", f"退回修改（{label}）", True), ("approve", f"签署同意（{label}）", True)]

    def get_form_for_action(self, action: str) -> type:
        if action == "approve":
            return JointMeetingApprovalForm
        return super().get_form_for_action(action)

    def get_template_for_action(self, action: str) -> str:
        if action == "approve":
            return "chains/joint_meeting_approve_modal.html"
        return ""

    @transaction.atomic
    def on_action(
        self, task_state: TaskState, user: AbstractBaseUser, action_name: str, **kwargs: Any
    ) -> None:
        state = JointMeetingTaskState.objects.select_for_update().get(pk=task_state.pk)
        party = self.party_to_sign(state, user)
        if party is None or state.status != TaskState.STATUS_IN_PROGRESS:
            raise PermissionDenied
        label = Party(party).label
        comment = (kwargs.get("comment") or "").strip()
        kwargs.pop("step", None)
        if action_name == "reject":
            state.reject(user=user, comment=f"{label}：{comment or '退回修改'}")
            return
        if action_name != "approve":
            raise PermissionDenied
        # An id from the approve form, or from the page editor's JSON (the browser's to alter).
        meeting_id = id_from_text(kwargs.get("meeting"))
        meeting = state.meeting_options().filter(pk=meeting_id).first() if meeting_id else None
        if meeting is None or not meeting.minutes.strip():
            raise PermissionDenied
        now = timezone.now()
        setattr(state, f"{party}_by", user)
        setattr(state, f"{party}_at", now)
        state.meeting = meeting
        name = getattr(user, "get_full_name", lambda: "")() or user.get_username()
        signature = f"{label}（{name}）同意"
        state.comment = "；".join(
            part
            for part in (state.comment, signature + (f"：{comment}" if comment else ""))
            if part
        )
        state.save()
        log(
            state.revision.as_object(),
            "chains.joint_meeting_sign",
            user=user,
            data={"party": party, "meeting": meeting.pk, "comment": comment},
            revision=state.revision,
        )
        if state.all_signed:
            state.approve(user=user, comment=f"依据{meeting}：{state.comment}")

    def waiting_for(self, user: AbstractBaseUser) -> Q:
        """Waiting meetings in the user's compounds that their party has not signed yet."""
        condition = Q(pk__in=[])
        for party, roles in PARTY_ROLES.items():
            condition |= items_in_reach(user, roles) & Q(
                **{f"jointmeetingtaskstate__{party}_by__isnull": True}
            )
        return condition

    @classmethod
    def get_description(cls) -> str:
        return "社区、业委会、物业服务企业三方均签署同意，并附有会议纪要的三方联席会议记录后通过。"


class JointMeetingTaskState(TaskState):
    """Who signed for each of the three parties, and when; and the meeting they decided at."""

    meeting = models.ForeignKey(
        "meetings.JointMeeting",
        verbose_name="三方联席会议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    community_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="社区签署人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    community_at = models.DateTimeField("社区签署时间", null=True, blank=True)
    committee_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="业委会签署人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    committee_at = models.DateTimeField("业委会签署时间", null=True, blank=True)
    firm_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="物业服务企业签署人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    firm_at = models.DateTimeField("物业服务企业签署时间", null=True, blank=True)

    class Meta:
        verbose_name = "三方联席会议审议状态"
        verbose_name_plural = "三方联席会议审议状态"

    @property
    def all_signed(self) -> bool:
        return self.meeting_id is not None and all(
            getattr(self, f"{party}_by_id") is not None for party in Party.values
        )

    def meeting_options(self) -> QuerySet:
        """The compound's recorded meetings, for the approve form (none of other compounds)."""
        compound = compound_of(self.workflow_state.content_object)
        if compound is None:
            return JointMeeting.objects.none()
        return JointMeeting.objects.filter(compound=compound).order_by("-date", "-pk")


JointMeetingTask.task_state_class = JointMeetingTaskState
