"""The API's periodic job: the screens' last visits, written in bulk once a minute."""

from __future__ import annotations

from celery import shared_task

from .shared_cache import flush_seen


@shared_task(name="api.tasks.flush_screens_last_seen")
def flush_screens_last_seen() -> int:
    """Write the visits the app servers noted in Redis since the last run; returns how many."""
    return flush_seen()
