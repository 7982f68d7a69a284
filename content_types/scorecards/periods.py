"""The periods communities and compounds are scored for: calendar quarters, half-years, years.

A period is named by a key (``2026Q1``, ``2026H2``, ``2026``) so a rerun finds its scorecards,
and everything is counted as of the period's last day, never as of the day of computing: the
same data gives the same numbers whenever the job runs.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from content_types.disclosures.periods import (
    PERIOD_MONTHS,
    DuePeriod,
    Period,
    last_finished_period,
)

# A month is too short to hold a joint meeting per quarter: scoring starts at the quarter.
SCORING_PERIODS: tuple[str, ...] = (Period.QUARTER.value, Period.HALF_YEAR.value, Period.YEAR.value)
_KEY = re.compile(r"^(?P<year>\d{4})(?:(?P<half>H[12])|(?P<quarter>Q[1-4]))?$")


@dataclass(frozen=True)
class ScoringPeriod:
    start: datetime.date
    end: datetime.date
    months: int

    @property
    def key(self) -> str:
        year, month = self.start.year, self.start.month
        if self.months == 3:
            return f"{year}Q{(month - 1) // 3 + 1}"
        if self.months == 6:
            return f"{year}H{(month - 1) // 6 + 1}"
        return str(year)

    @property
    def label(self) -> str:
        """As the disclosures name their periods: 2026年第一季度, 2026年上半年, 2026年."""
        return DuePeriod(self.start, self.end, self.months, 0).label

    @property
    def quarters(self) -> int:
        return self.months // 3

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> ScoringPeriod:
        return last_finished(self.months, self.start)


def last_finished(months: int, today: datetime.date) -> ScoringPeriod:
    """The latest period of ``months`` that ended before ``today``."""
    every = next(code for code, length in PERIOD_MONTHS.items() if length == months)
    due = last_finished_period(every, 0, today)
    return ScoringPeriod(due.start, due.end, months)


def last_finished_of(every: str, today: datetime.date) -> ScoringPeriod:
    return last_finished(PERIOD_MONTHS[every], today)


def from_key(key: str) -> ScoringPeriod | None:
    """The period a key names; None for a key that names none."""
    match = _KEY.match(key or "")
    if not match:
        return None
    year = int(match["year"])
    if match["quarter"]:
        months, index = 3, int(match["quarter"][1])
    elif match["half"]:
        months, index = 6, int(match["half"][1])
    else:
        months, index = 12, 1
    start = datetime.date(year, (index - 1) * months + 1, 1)
    return ScoringPeriod(start, _after(start, months) - datetime.timedelta(days=1), months)


def _after(start: datetime.date, months: int) -> datetime.date:
    index = start.year * 12 + start.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)
