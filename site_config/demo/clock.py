"""The demo's year replayed at its own dates, so every timestamp reads as real use would leave it.

Each step of the demo runs at a moment relative to the day it is loaded (``Clock.at``): the
models, chains and voting services see that moment as "now" and check it as they would check a
person's (a ballot before the close, a result after the objection window). Dates therefore never
look stale, and nothing is overdue unless a step means it to be.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import time_machine
from django.utils import timezone

if TYPE_CHECKING:
    from collections.abc import Iterator


@dataclass
class Clock:
    """Moments counted back from ``today`` (the load's own date, Asia/Shanghai)."""

    today: datetime.date = field(default_factory=timezone.localdate)

    def day(self, days_ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days_ago)

    def moment(self, days_ago: float, hour: int = 9) -> datetime.datetime:
        """``days_ago`` days before today at ``hour`` o'clock local time; never in the future."""
        base = datetime.datetime.combine(self.day(0), datetime.time(hour))
        moment = timezone.make_aware(base) - datetime.timedelta(days=days_ago)
        return min(moment, timezone.now())

    @contextmanager
    def at(self, days_ago: float, hour: int = 9) -> Iterator[datetime.datetime]:
        """Run the block as if it were ``days_ago`` days ago at ``hour`` (the clock keeps going)."""
        moment = self.moment(days_ago, hour)
        with time_machine.travel(moment, tick=True):
            yield moment

    def months(self, count: int) -> list[tuple[datetime.date, datetime.date]]:
        """The last ``count`` finished calendar months, oldest first."""
        return self._periods(1, count)

    def quarters(self, count: int) -> list[tuple[datetime.date, datetime.date]]:
        """The last ``count`` finished calendar quarters, oldest first."""
        return self._periods(3, count)

    def half_years(self, count: int) -> list[tuple[datetime.date, datetime.date]]:
        return self._periods(6, count)

    def last_year(self) -> tuple[datetime.date, datetime.date]:
        """The last finished calendar year."""
        return self._periods(12, 1)[0]

    def _periods(self, months: int, count: int) -> list[tuple[datetime.date, datetime.date]]:
        index = (self.today.year * 12 + self.today.month - 1) // months * months
        periods = []
        for _ in range(count):
            end = datetime.date(index // 12, index % 12 + 1, 1) - datetime.timedelta(days=1)
            index -= months
            periods.append((datetime.date(index // 12, index % 12 + 1, 1), end))
        return periods[::-1]

    def days_since(self, day: datetime.date) -> int:
        return (self.today - day).days
