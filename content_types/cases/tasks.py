"""The worker's part in cases: overdue cases go up a level by themselves."""

from __future__ import annotations

from celery import shared_task

from .services import escalate_overdue


@shared_task(name="content_types.cases.tasks.escalate_overdue_cases")
def escalate_overdue_cases() -> int:
    """Run by beat every ten minutes; each escalation tells the next level (outbox)."""
    return len(escalate_overdue())
