"""Review-chain building blocks on Wagtail's workflow engine, and the notification outbox.

Wagtail's stock approval task names fixed groups, so one chain would be needed
per compound. A scoped task names a *role* instead and resolves its reviewers
at review time from the item's place in the tree: one "社区党组织审核" serves
every compound of the street.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from wagtail.models import Page, Task, TaskState, Workflow

from content_types.roles.models import Role
from content_types.roles.scope import scope_pages_for, user_holds_role_over


def scope_anchor(obj: Any) -> Page | None:
    """The page whose ancestors decide who reviews ``obj``: a page itself, or a row's compound."""
    if isinstance(obj, Page):
        return obj
    compound = getattr(obj, "compound", None)
    return compound if isinstance(compound, Page) else None


def pages_within(scopes: QuerySet[Page]) -> QuerySet[Page]:
    """Every page at or below one of ``scopes``, as one query."""
    paths = list(scopes.values_list("path", flat=True))
    if not paths:
        return Page.objects.none()
    condition = models.Q()
    for path in paths:
        condition |= models.Q(path__startswith=path)
    return Page.objects.filter(condition)


def _ids_as_text(queryset: QuerySet) -> QuerySet:
    """``queryset``'s keys as text, to compare with ``WorkflowState.object_id`` in one query."""
    return queryset.annotate(object_id_text=Cast("pk", CharField())).values("object_id_text")


def _compound_workflow_models() -> list[type[models.Model]]:
    """Snippet models that belong to a compound and can go through a review chain."""
    from wagtail.models import WorkflowMixin

    from content_types.roles.permissions import compound_scoped_models

    return [model for model in compound_scoped_models() if issubclass(model, WorkflowMixin)]


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
        if user.is_superuser:
            return True
        anchor = scope_anchor(obj)
        return anchor is not None and user_holds_role_over(user, anchor, [self.role])

    def reviewers_for(self, obj: Any) -> QuerySet:
        """The users who may act on ``obj`` at this step (superusers aside)."""
        from django.contrib.auth import get_user_model

        anchor = scope_anchor(obj)
        if anchor is None:
            return get_user_model().objects.none()
        return (
            get_user_model()
            .objects.filter(
                is_active=True,
                role_assignments__role=self.role,
                role_assignments__scope__in=Page.objects.ancestor_of(anchor, inclusive=True),
            )
            .distinct()
        )

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
        if user.is_superuser:
            return states
        pages = pages_within(scope_pages_for(user, [self.role]))
        condition = models.Q(
            workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
            workflow_state__object_id__in=_ids_as_text(pages),
        )
        for model in _compound_workflow_models():
            rows = model._default_manager.filter(compound__in=pages.values("pk"))
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
