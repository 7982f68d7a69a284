"""The steps of a report: started from its schedule's outline, submitted, acknowledged or
returned. Each is checked (who, and the report's state), logged in the audit log, and announced
(``signals.report_moved``, inside the transaction, so its notifications commit with the step).

A refused step raises ``ReportRefused`` with a Chinese message and changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from content_types.roles.models import Role
from content_types.roles.scope import is_active_superuser, scope_roles_for

from .dues import current_period
from .models import (
    REVIEWER_ROLES,
    WRITABLE_STATUSES,
    Report,
    ReportSchedule,
    ReportSection,
    ReportStatus,
)
from .signals import report_moved

if TYPE_CHECKING:
    import datetime

    from content_types.structure.models import CompoundPage

# Audit-log actions of the steps, with their labels (registered in ``wagtail_hooks``).
LOG_ACTIONS = {
    "reports.submit": "提交工作报告",
    "reports.acknowledge": "阅知工作报告",
    "reports.return": "退回工作报告",
}


class ReportRefused(Exception):
    """A step that may not be taken; the message says why, in Chinese."""


def roles_over(user: Any, compound_id: int) -> frozenset[str]:
    return scope_roles_for(user).get(compound_id, ("", frozenset()))[1]


def may_write(user: Any, report: Report) -> bool:
    """The holders of the report's role over its compound write it."""
    return is_active_superuser(user) or report.role in roles_over(user, report.compound_id)


def may_edit(user: Any, report: Report) -> bool:
    return report.status in WRITABLE_STATUSES and may_write(user, report)


def may_review(user: Any, report: Report) -> bool:
    """The community office over the compound reads reports back."""
    return is_active_superuser(user) or bool(
        roles_over(user, report.compound_id) & set(REVIEWER_ROLES)
    )


def may_start(user: Any, schedule: ReportSchedule, compound: CompoundPage) -> bool:
    return compound.path.startswith(schedule.scope.path) and (
        is_active_superuser(user) or schedule.role in roles_over(user, compound.pk)
    )


def start(
    schedule: ReportSchedule, compound: CompoundPage, user: Any, today: datetime.date | None = None
) -> Report:
    """The compound's report for the schedule's current period, begun from its outline if new."""
    if not may_start(user, schedule, compound):
        role = Role(schedule.role).label
        raise ReportRefused(f"“{schedule.name}”由{compound.title}的{role}撰写，您不能撰写。")
    period = current_period(schedule, today or timezone.localdate())
    found = Report.objects.filter(schedule=schedule, compound=compound, period_start=period.start)
    if existing := found.first():
        return existing
    try:
        with transaction.atomic():
            report = Report.objects.create(
                compound=compound,
                schedule=schedule,
                role=schedule.role,
                title=f"{compound.title}{period.label}{schedule.name}",
                period_start=period.start,
                period_end=period.end,
                due_on=period.deadline,
                created_by=user,
            )
            ReportSection.objects.bulk_create(
                ReportSection(report=report, heading=heading, sort_order=index)
                for index, heading in enumerate(schedule.headings or ["报告内容"])
            )
            log(report, "wagtail.create", user=user)
    except IntegrityError:  # begun by a colleague at the same moment
        return found.get()
    return report


def _locked(report: Report, statuses: tuple[str, ...], doing: str) -> Report:
    fresh = Report.objects.select_for_update().select_related("compound").get(pk=report.pk)
    if fresh.status not in statuses:
        raise ReportRefused(f"该报告当前状态为“{fresh.get_status_display()}”，不能{doing}。")
    return fresh


def _announce(report: Report, action: str, user: Any, comment: str = "") -> None:
    log(report, action, user=user, data={"comment": comment} if comment else None)
    report_moved.send(sender=Report, report=report, action=action, actor=user, comment=comment)


def submit(report: Report, user: Any) -> Report:
    """Send the report to the community office; every part of the outline must be written."""
    with transaction.atomic():
        report = _locked(report, WRITABLE_STATUSES, "提交")
        if not may_write(user, report):
            raise ReportRefused(f"该报告由{report.get_role_display()}撰写和提交，您不能提交。")
        empty = [s.heading for s in report.sections.all() if not s.body.strip()]
        if empty or not report.sections.exists():
            missing = "、".join(f"“{heading}”" for heading in empty) or "报告内容"
            raise ReportRefused(f"请先填写{missing}，再提交（没有可写的内容请写“无”）。")
        report.status = ReportStatus.SUBMITTED
        report.submitted_by = user
        report.submitted_at = timezone.now()
        report.save(update_fields=["status", "submitted_by", "submitted_at"])
        _announce(report, "reports.submit", user)
    return report


def _review(report: Report, user: Any, status: str, comment: str, doing: str) -> Report:
    with transaction.atomic():
        report = _locked(report, (ReportStatus.SUBMITTED,), doing)
        if not may_review(user, report):
            raise ReportRefused(f"工作报告由社区微治办阅知，您不能{doing}。")
        report.status = status
        report.reviewed_by = user
        report.reviewed_at = timezone.now()
        report.review_comment = comment
        report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
        action = "reports.acknowledge" if status == ReportStatus.ACKNOWLEDGED else "reports.return"
        _announce(report, action, user, comment)
    return report


def acknowledge(report: Report, user: Any, comment: str = "") -> Report:
    return _review(report, user, ReportStatus.ACKNOWLEDGED, (comment or "").strip(), "阅知")


def return_report(report: Report, user: Any, comment: str) -> Report:
    """Send the report back to its writers with what to change."""
    comment = (comment or "").strip()
    if not comment:
        raise ReportRefused("退回报告请填写修改意见。")
    return _review(report, user, ReportStatus.RETURNED, comment, "退回")
