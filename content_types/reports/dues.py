"""Which reports each compound owes now, and how far each has got.

Each schedule asks, of every compound under its scope, for the latest calendar period that has
ended (``last_finished_period``, as disclosures do), due ``grace_days`` after it. A period without
a report, or with only a draft, is 待提交 until its day and 已逾期 after; a returned report is
已退回 until its day and 已逾期 after; a submitted one waits for the community (待阅知) and an
acknowledged one is done (已阅知). Three queries, however many compounds and reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models

from content_types.disclosures.periods import DuePeriod, last_finished_period
from content_types.roles.models import Role
from content_types.roles.scope import compounds_for, is_active_superuser, scope_roles_for

from .models import READER_ROLES, REVIEWER_ROLES, Report, ReportSchedule, ReportStatus

if TYPE_CHECKING:
    import datetime

    from django.db.models import QuerySet

    from content_types.structure.models import CompoundPage


class DueState(models.TextChoices):
    DUE = "due", "待提交"
    OVERDUE = "overdue", "已逾期"
    RETURNED = "returned", "已退回"
    SUBMITTED = "submitted", "待阅知"
    ACKNOWLEDGED = "acknowledged", "已阅知"


# The states someone still has to act on, the writers' first.
OPEN_STATES: tuple[str, ...] = (
    DueState.OVERDUE,
    DueState.RETURNED,
    DueState.DUE,
    DueState.SUBMITTED,
)


@dataclass(frozen=True)
class ReportDue:
    """One compound's report for one schedule's period now asked for."""

    schedule: ReportSchedule
    compound: CompoundPage
    period: DuePeriod
    report: Report | None
    state: str

    @property
    def state_label(self) -> str:
        return DueState(self.state).label

    @property
    def missing(self) -> bool:
        """Nothing has reached the community yet: no report, or only a draft."""
        return self.report is None or self.report.status == ReportStatus.DRAFT


def state_of(report: Report | None, period: DuePeriod, today: datetime.date) -> str:
    status = report.status if report is not None else None
    if status == ReportStatus.ACKNOWLEDGED:
        return DueState.ACKNOWLEDGED
    if status == ReportStatus.SUBMITTED:
        return DueState.SUBMITTED
    if period.is_overdue(today):
        return DueState.OVERDUE
    return DueState.RETURNED if status == ReportStatus.RETURNED else DueState.DUE


def current_period(schedule: ReportSchedule, today: datetime.date) -> DuePeriod:
    return last_finished_period(schedule.period, schedule.grace_days, today)


def report_dues(compounds: QuerySet[CompoundPage], today: datetime.date) -> list[ReportDue]:
    """Every schedule's current period for each of ``compounds`` under its scope."""
    schedules = list(ReportSchedule.objects.select_related("scope").order_by("code"))
    if not schedules:
        return []
    rows = list(compounds.order_by("path").only("pk", "title", "path", "depth"))
    periods = {schedule.pk: current_period(schedule, today) for schedule in schedules}
    reports = {
        (report.schedule_id, report.compound_id, report.period_start): report
        for report in Report.objects.filter(
            schedule__in=[schedule.pk for schedule in schedules],
            compound__in=compounds.values("pk"),
            period_start__in={period.start for period in periods.values()},
        )
    }
    found = []
    for compound in rows:
        for schedule in schedules:
            if not compound.path.startswith(schedule.scope.path):
                continue
            period = periods[schedule.pk]
            report = reports.get((schedule.pk, compound.pk, period.start))
            found.append(
                ReportDue(schedule, compound, period, report, state_of(report, period, today))
            )
    return found


def dues_for(user: Any, today: datetime.date) -> list[ReportDue]:
    """What ``user`` has to do with: all of their compounds' reports for the community and
    street offices, their own role's reports for a committee, firm or commissioner."""
    dues = report_dues(compounds_for(user, READER_ROLES), today)
    if is_active_superuser(user):
        return dues
    roles = scope_roles_for(user)
    readers = {*REVIEWER_ROLES, Role.STREET_OFFICE}
    kept = []
    for due in dues:
        held = roles.get(due.compound.pk, ("", frozenset()))[1]
        if held & readers or due.schedule.role in held:
            kept.append(due)
    return kept
