"""The disclosure kinds: one declaration each, read by everything that lists the kinds.

The API's enum, union, list fields, filters and screen feed fields, the dashboard's due panel
and the configuration file's schedule checks are all derived from ``KINDS``; a new kind is its
model, migration and template, and one line here.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db.models import Q

from .models import (
    AssetListsPage,
    DisclosurePage,
    FeeCollectionPage,
    FinanceStatementPage,
    Fund,
    PropertyServicesPage,
)
from .periods import Period

Covers = Callable[[datetime.date, datetime.date], Q]


def spans(start_field: str, end_field: str) -> Covers:
    """Pages whose period covers the whole span (a yearly statement covers both halves)."""
    return lambda start, end: Q(**{f"{start_field}__lte": start, f"{end_field}__gte": end})


def dated_from(day_field: str) -> Covers:
    """Pages dated within the span or later."""
    return lambda start, end: Q(**{f"{day_field}__gte": start})


@dataclass(frozen=True)
class Schedule:
    """How often a kind is due, and how long after its period, when the file does not say."""

    every: str
    grace_days: int = 30
    fund: str = ""


@dataclass(frozen=True)
class DisclosureKind:
    """One kind of disclosure. Its names follow its model: ``FinanceStatementPage`` is the
    GraphQL type ``FinanceStatement``, the enum value ``FINANCE_STATEMENT`` (code
    ``finance_statement``) and the schedule's page type ``disclosures.financestatementpage``;
    its label is the model's verbose name."""

    model: type[DisclosurePage]
    #: The API's list field, e.g. ``financeStatements``.
    plural: str
    #: The date fields ``dateFrom``/``dateTo`` read: a period (start, end) or one day.
    dates: tuple[str, ...]
    schedule: Schedule
    #: Child rows loaded with each page.
    rows: tuple[str, ...] = ()
    #: What to call a period of two date fields, e.g. 统计期间.
    period_label: str = ""
    #: When a live page discloses a finished span; by default read from ``dates``.
    covers: Covers | None = None
    #: The choice field a schedule narrows the due check by, e.g. the fund.
    fund_field: str | None = None
    #: Shown on the screen feed as the latest one, with these rows (``""`` for none).
    screen_rows: str | None = None

    @property
    def latest_by(self) -> str:
        """The date field that says which page is the latest: the period's end, or the day."""
        return self.dates[-1]

    @property
    def code(self) -> str:
        return re.sub(r"(?<!^)(?=[A-Z])", "_", self.type_name).lower()

    @property
    def type_name(self) -> str:
        return self.model.__name__.removesuffix("Page")

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def page_type(self) -> str:
        return self.model._meta.label_lower

    @property
    def on_screen(self) -> bool:
        return self.screen_rows is not None

    @property
    def dates_help(self) -> str:
        if len(self.dates) == 2:
            return f"按{self.period_label}是否重叠筛选"
        return f"按{self.model._meta.get_field(self.dates[0]).verbose_name}筛选"

    def covered(self, start: datetime.date, end: datetime.date) -> Q:
        covers = self.covers or (
            spans(*self.dates) if len(self.dates) == 2 else dated_from(*self.dates)
        )
        return covers(start, end)

    def funds(self) -> list[tuple[str, str]]:
        if self.fund_field is None:
            return []
        return list(self.model._meta.get_field(self.fund_field).choices)


class Registry:
    """The kinds in declaration order, by code, model or page type."""

    def __init__(self, *kinds: DisclosureKind) -> None:
        self._kinds = {kind.code: kind for kind in kinds}

    def __iter__(self) -> Iterator[DisclosureKind]:
        return iter(list(self._kinds.values()))

    def __getitem__(self, code: str) -> DisclosureKind:
        return self._kinds[code]

    def of_page_type(self, page_type: str) -> DisclosureKind | None:
        return next((kind for kind in self if kind.page_type == page_type.lower()), None)

    @contextmanager
    def registered(self, kind: DisclosureKind) -> Iterator[DisclosureKind]:
        """``kind`` as one more, for as long as the block runs."""
        if kind.code in self._kinds:
            raise ValueError(f"disclosure kind {kind.code} is registered already")
        self._kinds[kind.code] = kind
        try:
            yield kind
        finally:
            del self._kinds[kind.code]


KINDS = Registry(
    DisclosureKind(
        FinanceStatementPage,
        plural="finance_statements",
        dates=("period_start", "period_end"),
        period_label="统计期间",
        rows=("lines",),
        schedule=Schedule(Period.HALF_YEAR, fund=Fund.SHARED_REVENUE),
        fund_field="fund",
        screen_rows="lines",
    ),
    DisclosureKind(
        FeeCollectionPage,
        plural="fee_collections",
        dates=("period_start", "period_end"),
        period_label="收缴期间",
        rows=("buildings",),
        schedule=Schedule(Period.QUARTER),
        screen_rows="",
    ),
    DisclosureKind(
        AssetListsPage,
        plural="asset_lists",
        dates=("as_of",),
        rows=("items",),
        schedule=Schedule(Period.YEAR),
        screen_rows="items",
    ),
    DisclosureKind(
        PropertyServicesPage,
        plural="property_services",
        dates=("effective_from",),
        rows=("services", "energy_splits"),
        schedule=Schedule(Period.YEAR),
        # The year's services are out when its shared energy costs are split.
        covers=spans("energy_splits__period_start", "energy_splits__period_end"),
    ),
)
