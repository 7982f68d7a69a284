"""Dashboard panel 公开事项到期: the compounds in scope whose disclosures are due or late.

Measures 9 and 12 ask that the committee's accounts and the property-fee collection be shown to
owners regularly. Two periods are watched, each the latest one that has ended:

* the finance statement (资金收支公开) of the last half-year, and
* the fee collection figures (物业费收缴公开) of the last quarter.

A live page counts when its period covers the whole span (a yearly statement covers both halves).
Each has until the end of the month after the period to be published: until then it is 待公开,
afterwards 已逾期. Drafts and pages in review do not count, as owners cannot see them.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString
from wagtail import hooks
from wagtail.admin.ui.components import Component

from content_types.roles.scope import User, compounds_for
from content_types.structure.models import CompoundPage

from .models import FeeCollectionPage, FinanceStatementPage

# The panel lists this many compounds; the heading gives the full count.
PANEL_ROWS = 20
QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class DuePeriod:
    """A span that must be disclosed, and the day by which it must be."""

    label: str
    start: datetime.date
    end: datetime.date

    @property
    def deadline(self) -> datetime.date:
        year, month = (
            (self.end.year + 1, 1) if self.end.month == 12 else (self.end.year, self.end.month + 1)
        )
        return _month_end(year, month)

    def state(self, today: datetime.date) -> str:
        return "已逾期" if today > self.deadline else "待公开"


def last_half_year(today: datetime.date) -> DuePeriod:
    """The latest half-year that has ended before ``today``."""
    if today.month >= 7:
        return DuePeriod(
            f"{today.year}年上半年",
            datetime.date(today.year, 1, 1),
            datetime.date(today.year, 6, 30),
        )
    year = today.year - 1
    return DuePeriod(f"{year}年下半年", datetime.date(year, 7, 1), datetime.date(year, 12, 31))


def last_quarter(today: datetime.date) -> DuePeriod:
    """The latest calendar quarter that has ended before ``today``."""
    index = (today.month - 1) // 3 - 1
    year = today.year
    if index < 0:
        index, year = 3, year - 1
    first_month = index * 3 + 1
    return DuePeriod(
        f"{year}年{QUARTER_NAMES[index]}",
        datetime.date(year, first_month, 1),
        _month_end(year, first_month + 2),
    )


def _covered(model: type, period: DuePeriod) -> Exists:
    """A live page of ``model`` directly under the compound whose period spans ``period``."""
    return Exists(
        model.objects.live().filter(
            path__startswith=OuterRef("path"),
            depth=OuterRef("depth") + 1,
            period_start__lte=period.start,
            period_end__gte=period.end,
        )
    )


def compounds_with_disclosures(user: User, today: datetime.date) -> QuerySet[CompoundPage]:
    """The user's compounds, each marked with whether its two disclosures are out."""
    return (
        compounds_for(user)
        .annotate(
            finance_published=_covered(FinanceStatementPage, last_half_year(today)),
            fees_published=_covered(FeeCollectionPage, last_quarter(today)),
        )
        .order_by("path")
        .only("pk", "title", "path", "depth")
    )


class DisclosuresDuePanel(Component):
    """Due and overdue disclosures of the user's compounds, in two queries however many."""

    name = "disclosures_due"
    order = 110
    template_name = "disclosures/panels/disclosures_due.html"

    def __init__(self, user: User, today: datetime.date) -> None:
        self.user = user
        self.today = today

    def render_html(self, parent_context: Any = None) -> SafeString:
        self.compounds = list(compounds_with_disclosures(self.user, self.today))
        if not self.compounds:
            return SafeString("")
        return super().render_html(parent_context)

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        finance, fees = last_half_year(self.today), last_quarter(self.today)
        rows = []
        for compound in self.compounds:
            missing = []
            if not compound.finance_published:
                missing.append(("资金收支公开", finance))
            if not compound.fees_published:
                missing.append(("物业费收缴公开", fees))
            if missing:
                rows.append(
                    {
                        "compound": compound,
                        "items": [
                            {
                                "what": what,
                                "period": period,
                                "state": period.state(self.today),
                            }
                            for what, period in missing
                        ],
                    }
                )
        return {
            "rows": rows[:PANEL_ROWS],
            "more": max(len(rows) - PANEL_ROWS, 0),
            "due_count": len(rows),
            "compound_count": len(self.compounds),
            "finance": finance,
            "fees": fees,
        }


@hooks.register("construct_homepage_panels")
def add_disclosures_due_panel(request: HttpRequest, panels: list[Component]) -> None:
    panels.append(DisclosuresDuePanel(request.user, timezone.localdate()))
