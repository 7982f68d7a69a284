"""Review-chain building blocks on Wagtail's workflow engine, and the notification outbox.

Wagtail's stock approval task names fixed groups, so one chain would be needed
per compound. A scoped task names a *role* instead and resolves its reviewers
at review time from the item's place in the tree: one "社区党组织审核" serves
every compound of the street.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, Task, TaskState, Workflow

from cms.ids import id_from_text
from content_types.roles.models import Role
from content_types.roles.scope import (
    is_active_superuser,
    pages_in_reach,
    user_holds_role_over,
    users_holding_role_over,
)


def scope_anchor(obj: Any) -> Page | None:
    """The page whose ancestors decide who reviews ``obj``: a page itself, or a row's compound."""
    if isinstance(obj, Page):
        return obj
    compound = getattr(obj, "compound", None)
    return compound if isinstance(compound, Page) else None


def _ids_as_text(queryset: QuerySet) -> QuerySet:
    """``queryset``'s keys as text, to compare with ``WorkflowState.object_id`` in one query."""
    return queryset.annotate(object_id_text=Cast("pk", CharField())).values("object_id_text")


def _compound_workflow_models() -> list[tuple[type[models.Model], str]]:
    """Snippet models that belong to a compound and can go through a review chain.

    Each with the name of its foreign key to the compound.
    """
    from wagtail.models import WorkflowMixin

    from content_types.roles.permissions import scoped_snippet_models

    return [
        (model, model.scope_field)
        for model in scoped_snippet_models()
        if issubclass(model, WorkflowMixin)
    ]


class ScopedRoleApprovalTask(Task):
    """Approved by whoever holds ``role`` over the item's page, found when the item arrives."""

    role = models.CharField(
        "审核角色",
        max_length=32,
        choices=Role.choices,
        help_text="由该内容所在小区、社区或街道中担任此角色的人员审核。",
    )

    admin_form_fields = [*Task.admin_form_fields, "role"]

    class Meta:
        verbose_name = "按范围角色审核"
        verbose_name_plural = "按范围角色审核"

    def is_reviewer(self, obj: Any, user: AbstractBaseUser) -> bool:
        if is_active_superuser(user):
            return True
        anchor = scope_anchor(obj)
        return anchor is not None and user_holds_role_over(user, anchor, [self.role])

    def reviewers_for(self, obj: Any) -> QuerySet:
        """The users who may act on ``obj`` at this step (superusers aside)."""
        from django.contrib.auth import get_user_model

        anchor = scope_anchor(obj)
        if anchor is None:
            return get_user_model().objects.none()
        return users_holding_role_over(anchor, [self.role])

    def user_can_access_editor(self, obj: Any, user: AbstractBaseUser) -> bool:
        return self.is_reviewer(obj, user)

    def locked_for_user(self, obj: Any, user: AbstractBaseUser) -> bool:
        return not self.is_reviewer(obj, user)

    def user_can_lock(self, obj: Any, user: AbstractBaseUser) -> bool:
        return self.is_reviewer(obj, user)

    def get_actions(self, obj: Any, user: AbstractBaseUser) -> list[tuple[str, str, bool]]:
        if not self.is_reviewer(obj, user):
            return []
        return [
            ("reject", "退回修改", True),
            ("approve", "审核通过", False),
            ("approve", "审核通过并附意见", True),
        ]

    def get_task_states_user_can_moderate(self, user: AbstractBaseUser, **kwargs: Any) -> QuerySet:
        """Waiting steps on pages under the user's role scopes, and on rows of compounds there."""
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if is_active_superuser(user):
            return states
        pages = pages_in_reach(user, [self.role])
        condition = models.Q(
            workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
            workflow_state__object_id__in=_ids_as_text(pages),
        )
        for model, compound_field in _compound_workflow_models():
            rows = model._default_manager.filter(**{f"{compound_field}__in": pages.values("pk")})
            condition |= models.Q(
                workflow_state__base_content_type=ContentType.objects.get_for_model(model),
                workflow_state__object_id__in=_ids_as_text(rows),
            )
        return states.filter(condition)

    @classmethod
    def get_description(cls) -> str:
        return "由内容所在范围内担任指定角色的人员审核，一个流程定义可服务所有小区。"


class Notification(models.Model):
    """A message to one user about a review step: shown in the admin and e-mailed by the worker.

    Written in the same transaction as the step itself, so a broker outage can
    delay an e-mail but never lose it: undelivered rows are swept and sent
    again by a periodic job once the broker answers.
    """

    class Event(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "被退回"
        REMINDER = "reminder", "审核提醒"
        OVERDUE = "overdue", "逾期提醒"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="weizhi_notifications",
    )
    event = models.CharField("事件", max_length=16, choices=Event.choices)
    subject = models.CharField("标题", max_length=255)
    body = models.TextField("内容")
    url = models.CharField("链接", max_length=500, blank=True)
    task_state = models.ForeignKey(
        TaskState,
        verbose_name="审核步骤",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    delivered_at = models.DateTimeField("邮件投递时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "审核通知"
        verbose_name_plural = "审核通知"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["delivered_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.subject}"


class ChainRuleQuerySet(models.QuerySet):
    def workflow_for(self, page: Page, amount: Decimal | None = None) -> Workflow | None:
        """The chain the rules give ``page``, or None to leave it to the subtree's attachment.

        Rules for the page's type are considered; the nearest scope wins (a rule
        without a scope covers the whole site and is the farthest), and within
        it the highest tier whose minimum does not exceed ``amount``. A page
        without an amount only matches a tier without a minimum.
        """
        if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True) or not page.path:
            return None
        ancestors = Page.objects.ancestor_of(page, inclusive=True)
        rules = (
            self.filter(
                content_type=ContentType.objects.get_for_model(page.specific_class),
                workflow__active=True,
            )
            .filter(models.Q(scope__isnull=True) | models.Q(scope__in=ancestors))
            .select_related("workflow", "scope")
        )
        best: ChainRule | None = None
        for rule in rules:
            floor = rule.min_amount
            if floor is not None and (amount is None or amount < floor):
                continue
            if best is None or rule.rank() > best.rank():
                best = rule
        return best.workflow if best else None


class ChainRule(models.Model):
    """Which chain a page type takes within a subtree, by amount tier.

    Written by ``setup.ensure_expenditure_chains`` and by the site
    configuration; read by the ``get_workflow()`` of page types that have
    amounts. One row per (page type, subtree, tier):

    * ``scope`` — the rule covers this page and everything below it; empty
      means the whole site. The nearest scope that has a matching tier wins.
    * ``min_amount`` — the tier applies from this amount (inclusive) upwards;
      empty means from zero. Within a scope the highest applicable minimum
      wins, so tiers need no maximum: ``None`` → short chain and
      ``50000`` → 四审两公开 means "below 50,000 short, from 50,000 long".

    Page types without a matching rule keep the chain attached to their
    subtree (``setup.attach``), as notices do.
    """

    workflow = models.ForeignKey(
        Workflow, verbose_name="审核流程", on_delete=models.CASCADE, related_name="chain_rules"
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name="页面类型",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="规则适用的页面类型，如“大额资金使用申请”。",
    )
    scope = models.ForeignKey(
        Page,
        verbose_name="适用范围",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chain_rules",
        help_text="该页面及其下级页面适用此规则；留空表示全站。",
    )
    min_amount = models.DecimalField(
        "起始金额（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="金额不低于此数时适用；留空表示从 0 元起。同一范围内取适用的最高一档。",
    )

    objects = ChainRuleQuerySet.as_manager()

    class Meta:
        verbose_name = "审核流程规则"
        verbose_name_plural = "审核流程规则"
        ordering = ["content_type", "scope", "min_amount"]

    def __str__(self) -> str:
        where = self.scope.title if self.scope_id else "全站"
        floor = f"{self.min_amount} 元起" if self.min_amount is not None else "不限金额"
        return f"{where} · {floor} → {self.workflow}"

    def rank(self) -> tuple[int, Decimal]:
        """Nearer scope first, then higher tier."""
        depth = self.scope.depth if self.scope_id else 0
        return depth, self.min_amount if self.min_amount is not None else Decimal("-1")


class AmountTieredWorkflowMixin:
    """For page types whose chain depends on an amount: ``ChainRule`` first, then the subtree."""

    workflow_amount_field = "amount"

    def get_workflow(self) -> Workflow | None:
        amount = getattr(self, self.workflow_amount_field, None)
        return ChainRule.objects.workflow_for(self, amount) or super().get_workflow()


# --------------------------------------------------------------------------- 四审两公开 steps


def compound_of(obj: Any) -> Page | None:
    """The compound a page sits in (or a row belongs to): the scope of the three parties."""
    from content_types.structure.models import CompoundPage

    anchor = scope_anchor(obj)
    if anchor is None:
        return None
    if isinstance(anchor, CompoundPage):
        return anchor
    return CompoundPage.objects.ancestor_of(anchor, inclusive=True).first()


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


class JointMeetingTask(Task):
    """三方联席会议审议: passes once the community, the committee and the firm have all signed.

    Each party signs in the approve form, naming the compound's recorded meeting
    (with minutes) the decision was taken at; one party's rejection sends the
    item back to its author, and a resubmission starts the signatures afresh.
    Wagtail's group task passes on one approval; this one waits for three.
    """

    task_state_class = None  # set below, once the state class exists

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

    def is_reviewer(self, obj: Any, user: AbstractBaseUser) -> bool:
        return is_active_superuser(user) or bool(self.parties_of(obj, user))

    def reviewers_for(self, obj: Any) -> QuerySet:
        from django.contrib.auth import get_user_model

        compound = compound_of(obj)
        if compound is None:
            return get_user_model().objects.none()
        return users_holding_role_over(compound, ALL_PARTY_ROLES)

    def user_can_access_editor(self, obj: Any, user: AbstractBaseUser) -> bool:
        return self.is_reviewer(obj, user)

    def locked_for_user(self, obj: Any, user: AbstractBaseUser) -> bool:
        return not self.is_reviewer(obj, user)

    def user_can_lock(self, obj: Any, user: AbstractBaseUser) -> bool:
        return self.is_reviewer(obj, user)

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
        from .forms import JointMeetingApprovalForm

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
        from django.core.exceptions import PermissionDenied

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
        signature = f"{label}（{user.get_full_name() or user.get_username()}）同意"
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

    def get_task_states_user_can_moderate(self, user: AbstractBaseUser, **kwargs: Any) -> QuerySet:
        """Waiting meetings in the user's compounds that their party has not signed yet."""
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if is_active_superuser(user):
            return states
        page_type = ContentType.objects.get_for_model(Page)
        condition = models.Q(pk__in=[])
        for party, roles in PARTY_ROLES.items():
            pages = pages_in_reach(user, roles)
            condition |= models.Q(
                workflow_state__base_content_type=page_type,
                workflow_state__object_id__in=pages.annotate(
                    object_id_text=Cast("pk", CharField())
                ).values("object_id_text"),
                **{f"jointmeetingtaskstate__{party}_by__isnull": True},
            )
        return states.filter(condition)

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
        from content_types.meetings.models import JointMeeting

        compound = compound_of(self.workflow_state.content_object)
        if compound is None:
            return JointMeeting.objects.none()
        return JointMeeting.objects.filter(compound=compound).order_by("-date", "-pk")


JointMeetingTask.task_state_class = JointMeetingTaskState


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
    task_state_class = None  # set below

    class Meta:
        verbose_name = "业主大会审定"
        verbose_name_plural = "业主大会审定"

    def start(self, workflow_state: Any, user: Any = None) -> TaskState:
        from workflows.voting.models import Vote

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
        state = super().start(workflow_state, user=user)
        state.vote = vote
        state.save(update_fields=["vote"])
        from .notifications import on_vote_waiting

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
        from django.core.exceptions import PermissionDenied

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
