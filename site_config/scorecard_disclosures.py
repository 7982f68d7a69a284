"""考评 indicator 按时公开率: the disclosures the schedules asked for in a period, out on time.

The schedules are those of the due panel (``schedules.watches``): the file's schedules and the
declared kinds with a schedule alike.

It reads the disclosure schedules of the site configuration, which sit above the scorecards,
so it is registered with them when this app starts (``apps.py``). A schedule's period counts
in the scoring period its deadline (the period's end plus the grace days) falls in; it was on
time when a live page of the kind covering it (and of the schedule's fund) was first
published by that day.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from content_types.disclosures.periods import PERIOD_MONTHS, DuePeriod
from content_types.scorecards.indicators import Indicator, Item, Scopes, Tally, child_of, tallies
from content_types.scorecards.measures import PERCENT, edit_url

from .schedules import watches

if TYPE_CHECKING:
    from content_types.scorecards.periods import ScoringPeriod


def due_in(months: int, grace_days: int, period: ScoringPeriod) -> list[DuePeriod]:
    """The calendar periods of ``months`` whose deadline falls within ``period``."""
    found: list[DuePeriod] = []
    index = ((period.start.year - 1) * 12) // months * months
    while True:
        start = datetime.date(index // 12, index % 12 + 1, 1)
        after = index + months
        end = datetime.date(after // 12, after % 12 + 1, 1) - datetime.timedelta(days=1)
        due = DuePeriod(start, end, months, grace_days)
        if due.deadline > period.end:
            return found
        if due.deadline >= period.start:
            found.append(due)
        index = after


def disclosures_on_time(scopes: Scopes, period: ScoringPeriod) -> dict[int, Tally]:
    paths = scopes.compound_paths()
    found = tallies(paths.values())
    for watch in watches():
        compounds = [c for c in scopes.compounds if watch.applies_to(c)]
        for due in due_in(PERIOD_MONTHS[watch.every], watch.grace_days, period):
            pages = watch.pages(due.start, due.end)
            first: dict[int, tuple[datetime.date, object]] = {}
            for page in pages.order_by("first_published_at", "pk"):
                compound = child_of(paths, page.path)
                if compound is not None and compound not in first and page.first_published_at:
                    first[compound] = (timezone.localdate(page.first_published_at), page)
            for compound in compounds:
                what = f"{watch.name} {due.label}"
                deadline = f"应于 {due.deadline:%Y-%m-%d} 前公开"
                if compound.pk not in first:
                    found[compound.pk].add(0, 1, Item(what, f"{deadline}，未公开", False))
                    continue
                day, page = first[compound.pk]
                ok = day <= due.deadline
                detail = f"{deadline}，{day:%Y-%m-%d} 公开" + ("" if ok else "（逾期）")
                found[compound.pk].add(int(ok), 1, Item(what, detail, ok, edit_url(page)))  # type: ignore[arg-type]
    return found


INDICATOR = Indicator(
    "disclosures_on_time",
    "公开事项按时公开率",
    PERCENT,
    ("按时公开", "应公开"),
    disclosures_on_time,
    Decimal(15),
    Decimal(1),
    why="公开频次要求的各期公示中，在截止日（期末加宽限天数）前发布的比例。",
)
