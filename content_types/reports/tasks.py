"""The worker's part in reports: a daily reminder of every overdue report."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from content_types.structure.models import CompoundPage

from .dues import DueState, report_dues
from .models import Report
from .signals import report_overdue


@shared_task(name="content_types.reports.tasks.remind_overdue_reports")
def remind_overdue_reports() -> int:
    """Run by beat once a day; the outbox tells each overdue report's writers (once a day)."""
    today = timezone.localdate()
    late = [
        due
        for due in report_dues(CompoundPage.objects.live(), today)
        if due.state == DueState.OVERDUE
    ]
    for due in late:
        report_overdue.send(sender=Report, due=due, today=today)
    return len(late)
