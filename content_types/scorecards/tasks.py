"""The worker's part in scorecards: each period is scored once it has ended (and may be rerun)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .compute import compute
from .models import ScoringPolicy
from .periods import from_key, last_finished_of


@shared_task(name="content_types.scorecards.tasks.compute_scorecards")
def compute_scorecards(key: str = "") -> str:
    """Score the period ``key`` names, or the latest finished one (beat, daily). Rerunning it
    over the same data writes the same numbers, so a day's run after a late correction is safe."""
    period = from_key(key) if key else None
    if period is None:
        period = last_finished_of(ScoringPolicy.current().every, timezone.localdate())
    return compute(period).key
