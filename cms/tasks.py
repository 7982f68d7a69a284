"""Project-wide periodic jobs run by the Celery worker and scheduled by beat."""

from __future__ import annotations

import socket

from celery import shared_task
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from .models import WorkerHeartbeat


@shared_task(name="cms.tasks.publish_scheduled_content")
def publish_scheduled_content() -> None:
    """Publish what is due and unpublish what has expired, pages and snippets alike.

    Notices carry valid-from / valid-until dates through Wagtail's scheduled
    publishing; without this job they would never go live or come down.
    """
    call_command("publish_scheduled")


@shared_task(name="cms.tasks.record_worker_heartbeat", bind=True)
def record_worker_heartbeat(self) -> str:
    worker = (self.request.hostname or socket.gethostname()) if self.request else "unknown"
    updated = WorkerHeartbeat.objects.filter(worker=worker).update(
        last_seen_at=timezone.now(), beats=F("beats") + 1
    )
    if not updated:
        WorkerHeartbeat.objects.create(worker=worker, beats=1)
    return worker
