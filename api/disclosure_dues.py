"""Which disclosures each compound owes, asked of the rule the site configuration keeps.

The rule of the dashboard's 公开事项到期 panel (``site_config.schedules``: the latest finished
period of each schedule, due ``grace_days`` after it) sits above the API, so the API cannot
import it; the site configuration registers it here when it starts, as the review chains
register their amount tiers (``core.amount_tiers``). So a community's screen and the dashboard
read one rule. Until one is registered, no compound owes anything.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from content_types.structure.models import CompoundPage

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from wagtail.models import Page

# A community sits at this depth of the page tree: the tree's root, the street, the community
# (each page type names its parent type, so the tree cannot be shaped otherwise).
COMMUNITY_DEPTH = 3

PUBLISHED, DUE, OVERDUE = "published", "due", "overdue"
STATE_LABELS = {PUBLISHED: "已公开", DUE: "待公开", OVERDUE: "已逾期"}


@dataclass(frozen=True)
class Due:
    """One schedule's disclosure for one compound's latest finished period."""

    name: str
    period_label: str
    period_start: datetime.date
    period_end: datetime.date
    deadline: datetime.date
    state: str

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


DueLookup = Callable[["QuerySet[CompoundPage]", datetime.date], dict[int, list[Due]]]
_lookups: list[DueLookup] = []


def register_due_lookup(lookup: DueLookup) -> None:
    """Let ``lookup(compounds, today)`` say what each compound owes, by compound id."""
    if lookup not in _lookups:
        _lookups.append(lookup)


def dues_of(compounds: QuerySet[CompoundPage], today: datetime.date) -> dict[int, list[Due]]:
    found: dict[int, list[Due]] = {}
    for lookup in _lookups:
        for pk, dues in lookup(compounds, today).items():
            found.setdefault(pk, []).extend(dues)
    return found


def compounds_of(community_path: str) -> QuerySet[CompoundPage]:
    return CompoundPage.objects.filter(path__startswith=community_path, depth=COMMUNITY_DEPTH + 1)


def version_part(scope_page: Page | None) -> list[tuple[int, list[Due]]]:
    """What a community's screen shows of the dues, for its content version: they change with
    the calendar and the schedules, not only with the pages. Nothing for other scopes."""
    if scope_page is None or scope_page.depth != COMMUNITY_DEPTH:
        return []
    return sorted(dues_of(compounds_of(scope_page.path), timezone.localdate()).items())
