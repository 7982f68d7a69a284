"""使用情况公开: which approved proposals still owe their usage report, and to whom.

A proposal is approved when its chain ended in approval (Wagtail's workflow
state says so); its report is the live ``UsageReportPage`` below it. One still
missing after ``usage_report_due`` is overdue: flagged on the dashboards of
the compound's committee, commissioner and community, and reminded daily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import Page, WorkflowState

from content_types.roles.models import Role
from content_types.roles.scope import (
    is_active_superuser,
    pages_in_reach,
    users_holding_role_over,
)

from .models import ExpenditureProposalPage, UsageReportPage

if TYPE_CHECKING:
    from datetime import date

    from django.contrib.auth.models import AbstractBaseUser


def awaiting_usage_report() -> QuerySet[ExpenditureProposalPage]:
    """Approved proposals without a live usage report, earliest deadline first."""
    approved = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        status=WorkflowState.STATUS_APPROVED,
    ).values("object_id")
    reported = UsageReportPage.objects.filter(
        live=True,
        path__startswith=OuterRef("path"),
        depth=OuterRef("depth") + 1,
    )
    return (
        ExpenditureProposalPage.objects.annotate(object_id_text=Cast("pk", CharField()))
        .filter(object_id_text__in=approved)
        .exclude(Exists(reported))
        .order_by("usage_report_due", "pk")
    )


def overdue_usage_reports(today: date | None = None) -> QuerySet[ExpenditureProposalPage]:
    return awaiting_usage_report().filter(usage_report_due__lt=today or timezone.localdate())


def for_user(
    proposals: QuerySet[ExpenditureProposalPage], user: AbstractBaseUser
) -> QuerySet[ExpenditureProposalPage]:
    """Only the proposals of compounds where ``user`` answers for usage reports."""
    if is_active_superuser(user):
        return proposals
    return proposals.filter(pk__in=pages_in_reach(user, Role.USAGE_REPORTERS).values("pk"))


def responsible_users(proposal: Page) -> QuerySet:
    """The committee, commissioner and community of the proposal's compound."""
    return users_holding_role_over(proposal, Role.USAGE_REPORTERS, inclusive=False)


def overdue_reminder(proposal: ExpenditureProposalPage, today: date) -> tuple[str, str]:
    """The subject and body of the daily reminder of an overdue usage report."""
    days = (today - proposal.usage_report_due).days
    return (
        f"【逾期提醒】{proposal.title} 的使用情况尚未公开",
        f"“{proposal.title}”已审定通过，使用情况应于"
        f"{proposal.usage_report_due:%Y年%m月%d日}前公开，现已逾期 {days} 天。"
        "请尽快在该申请下发布“资金使用情况公开”。",
    )
