"""The worker's cleanup of configuration drafts that were planned in the admin and never applied."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import ConfigVersion


@shared_task(name="site_config.tasks.delete_stale_config_drafts")
def delete_stale_config_drafts() -> int:
    """Delete unapplied drafts older than ``WEIZHI_CONFIG_DRAFT_DAYS``; how many went.

    A draft is only a plan someone looked at; once it is that old nobody will apply it. Applied
    versions are the history and stay, and so does a draft tied to one: a rollback to an
    applied version, or a draft an applied version points back to.
    """
    cutoff = timezone.now() - timedelta(days=settings.WEIZHI_CONFIG_DRAFT_DAYS)
    referenced = ConfigVersion.objects.filter(applied_at__isnull=False, rollback_of__isnull=False)
    stale = ConfigVersion.objects.filter(
        applied_at__isnull=True, created_at__lt=cutoff, rollback_of__isnull=True
    ).exclude(pk__in=referenced.values("rollback_of"))
    deleted, _ = stale.delete()
    return deleted
