"""考评: the demo street scored for the last two finished periods, so the ranking has a trend;
the earlier period's 赛比争先 list is published, the latest waits for the street office."""

from __future__ import annotations

from typing import TYPE_CHECKING

from content_types.scorecards.compute import compute
from content_types.scorecards.models import ScorePeriod, ScoringPolicy
from content_types.scorecards.periods import last_finished_of

if TYPE_CHECKING:
    from .clock import Clock


def load(clock: Clock) -> None:
    latest = last_finished_of(ScoringPolicy.current().every, clock.today)
    earlier = latest.previous()
    for period in (earlier, latest):
        if not ScorePeriod.objects.filter(key=period.key).exists():
            with clock.at(max((clock.today - period.end).days - 1, 0), hour=4):
                compute(period)
    ScorePeriod.objects.filter(key=earlier.key, published_at__isnull=True).update(
        published_at=clock.moment(max((clock.today - earlier.end).days - 10, 0))
    )
