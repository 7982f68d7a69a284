"""Daily reminders of waiting reviews, late usage reports and annual task deadlines, run by the
Celery worker."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from wagtail.models import TaskState

from content_types.expenditures.usage_reports import (
    overdue_reminder,
    overdue_usage_reports,
    responsible_users,
)
from content_types.governance_tasks.reminders import deadline_reminders

from .notifications import admin_url, reviewers_of
from .outbox import Notification, notify


@shared_task(name="workflows.chains.tasks.remind_waiting_reviewers")
def remind_waiting_reviewers() -> int:
    """Remind the reviewers of every item waiting longer than the configured days, once a day."""
    cutoff = timezone.now() - timedelta(days=settings.WEIZHI_REVIEW_REMINDER_DAYS)
    today = timezone.localdate()
    sent = 0
    waiting = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS, started_at__lte=cutoff
    ).select_related("task", "workflow_state")
    for task_state in waiting:
        already = Notification.objects.filter(
            task_state=task_state,
            event=Notification.Event.REMINDER,
            created_at__date=today,
        ).exists()
        if already:
            continue
        obj = task_state.workflow_state.content_object
        days = (timezone.now() - task_state.started_at).days
        sent += len(
            notify(
                reviewers_of(task_state),
                Notification.Event.REMINDER,
                subject=f"【审核提醒】{obj} 已等待 {days} 天",
                body=f"“{obj}”在“{task_state.task.name}”步骤已等待审核 {days} 天，请尽快处理。",
                url=admin_url(obj),
                task_state=task_state,
            )
        )
    return sent


@shared_task(name="workflows.chains.tasks.remind_overdue_usage_reports")
def remind_overdue_usage_reports() -> int:
    """Once a day, remind each compound's committee, commissioner and community of late reports."""
    today = timezone.localdate()
    sent = 0
    for proposal in overdue_usage_reports(today):
        url = admin_url(proposal)
        reminded = Notification.objects.filter(
            event=Notification.Event.OVERDUE, url=url, created_at__date=today
        ).values("recipient_id")
        recipients = responsible_users(proposal).exclude(pk__in=reminded)
        subject, body = overdue_reminder(proposal, today)
        sent += len(notify(recipients, Notification.Event.OVERDUE, subject, body, url=url))
    return sent


@shared_task(name="workflows.chains.tasks.remind_annual_task_deadlines")
def remind_annual_task_deadlines() -> int:
    """Once a day, tell the owners of annual tasks near or past their deadline; each owner
    hears of each task (and community) once before the deadline and once after it."""
    sent = 0
    for reminder in deadline_reminders(timezone.localdate()):
        told = Notification.objects.filter(
            event=Notification.Event.ANNUAL_TASK, url=reminder.url, subject=reminder.subject
        ).values("recipient_id")
        recipients = reminder.recipients.exclude(pk__in=told)
        sent += len(
            notify(
                recipients,
                Notification.Event.ANNUAL_TASK,
                reminder.subject,
                reminder.body,
                url=reminder.url,
            )
        )
    return sent
