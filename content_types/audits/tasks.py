"""The worker's part in audits: open the end-of-term and rotation audits that have come due."""

from __future__ import annotations

from celery import shared_task

from .services import open_due_audits


@shared_task(name="content_types.audits.tasks.open_due_audits")
def open_due_audits_task() -> int:
    """Run by beat every morning; each audit is opened once, so a missed day is made up."""
    return len(open_due_audits())
