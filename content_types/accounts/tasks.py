"""The worker's purge of audit events past their retention."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import AuditEvent


@shared_task(name="content_types.accounts.tasks.purge_audit_events")
def purge_audit_events() -> int:
    """Delete events older than ``WEIZHI_AUDIT_RETENTION_DAYS``; how many were deleted.

    The only deletion of audit events: a queryset delete, which ``AuditEvent.delete`` (refusing
    any single removal) does not stand in the way of.
    """
    cutoff = timezone.now() - timedelta(days=settings.WEIZHI_AUDIT_RETENTION_DAYS)
    deleted, _ = AuditEvent.objects.filter(time__lt=cutoff).delete()
    return deleted
