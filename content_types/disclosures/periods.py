"""Calendar periods a disclosure is due for: months, quarters, half-years and years."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models


class Period(models.TextChoices):
    MONTH = "month", "每月"
    QUARTER = "quarter", "每季度"
    HALF_YEAR = "half_year", "每半年"
    YEAR = "year", "每年"


PERIOD_MONTHS: dict[str, int] = {
    Period.MONTH: 1,
    Period.QUARTER: 3,
    Period.HALF_YEAR: 6,
    Period.YEAR: 12,
}
QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")


@dataclass(frozen=True)
class DuePeriod:
    """A finished span that must be disclosed, and the day by which it must be."""

    start: datetime.date
    end: datetime.date
    months: int
    grace_days: int

    @property
    def label(self) -> str:
        year, month = self.start.year, self.start.month
        if self.months == 1:
            return f"{year}年{month}月"
        if self.months == 3:
            return f"{year}年{QUARTER_NAMES[(month - 1) // 3]}"
        if self.months == 6:
            return f"{year}年{'上' if month == 1 else '下'}半年"
        return f"{year}年"

    @property
    def deadline(self) -> datetime.date:
        return self.end + datetime.timedelta(days=self.grace_days)

    def is_overdue(self, today: datetime.date) -> bool:
        return today > self.deadline

    def state(self, today: datetime.date) -> str:
        return "已逾期" if self.is_overdue(today) else "待公开"


def last_finished_period(period: str, grace_days: int, today: datetime.date) -> DuePeriod:
    """The latest calendar ``period`` that ended before ``today``."""
    months = PERIOD_MONTHS[period]
    index = (today.year * 12 + today.month - 1) // months * months - months
    start = datetime.date(index // 12, index % 12 + 1, 1)
    after = index + months
    end = datetime.date(after // 12, after % 12 + 1, 1) - datetime.timedelta(days=1)
    return DuePeriod(start, end, months, grace_days)
