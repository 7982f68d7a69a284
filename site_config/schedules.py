"""Disclosure schedules (公开频次): what the file's ``disclosure_schedules`` mean, and who is late.

A schedule names a disclosure kind (``content_types.disclosures.kinds``) by its page type; what
it leaves out (how often, the grace days, the fund) is the kind's default. The latest calendar
period that has ended is due ``grace_days`` after it: until then a compound in the schedule's
scope without a live page covering it (as the kind decides, and of the schedule's fund) is
待公开, afterwards 已逾期. Drafts and pages in review do not count, as owners cannot see them.

A kind the file declares with a ``schedule`` is watched the same way (``Watch``): every
compound, when its levels name compounds, owes a live page of the kind dated in the period or
later.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Exists, F, IntegerField, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils.safestring import SafeString
from wagtail.admin.ui.components import Component

from api.disclosure_dues import DUE, OVERDUE, PUBLISHED, Due
from content_types.configured_disclosures.models import ConfiguredDisclosurePage, ConfiguredKind
from content_types.disclosures.kinds import KINDS, DisclosureKind
from content_types.disclosures.periods import DuePeriod, last_finished_period
from content_types.roles.scope import User, compounds_for

from .models import DisclosureSchedule

if TYPE_CHECKING:
    import datetime

    from content_types.structure.models import CompoundPage

    from . import schema

# The panel lists this many compounds; the heading gives the full count.
PANEL_ROWS = 20


def file_values(schedule: schema.DisclosureSchedule) -> dict[str, Any]:
    """A schedule of the file as the database keeps it, the kind's defaults filled in."""
    kind = KINDS.of_page_type(schedule.page_type)
    if kind is None:
        raise ValueError(f"{schedule.page_type} is not a disclosure kind; validation stops it")
    default = kind.schedule
    return {
        "name": schedule.name,
        "page_type": kind.page_type,
        "every": schedule.every or default.every,
        "grace_days": default.grace_days if schedule.grace_days is None else schedule.grace_days,
        "fund": default.fund if schedule.fund is None else schedule.fund,
        "scope": schedule.scope,
    }


def problems(schedule: schema.DisclosureSchedule) -> list[tuple[str, str]]:
    """What is wrong with a schedule of the file, by key."""
    kind = KINDS.of_page_type(schedule.page_type)
    if kind is None:
        known = "、".join(kind.page_type for kind in KINDS)
        return [("page_type", f"“{schedule.page_type}”不是公开公示的页面类型，可用：{known}。")]
    if schedule.fund is None:
        return []
    funds = [value for value, _label in kind.funds()]
    if not funds:
        return [("fund", f"“{kind.label}”不分资金类别，请删去 fund。")]
    if schedule.fund not in funds:
        return [("fund", f"未知的资金类别“{schedule.fund}”，可用：{'、'.join(funds)}。")]
    return []


@dataclass(frozen=True)
class Watch:
    """One disclosure asked for on a schedule: a schedule of the file over a built-in kind, or a
    kind the file declares (``disclosure_kinds``) with a ``schedule``, asked of every compound
    when its levels name compounds. The panel, the screens' dues and the scorecard read both."""

    #: Unique among the watches, usable as an annotation's name.
    key: str
    name: str
    every: str
    grace_days: int
    #: Compounds below this path (all of them when empty).
    scope_path: str
    kind: DisclosureKind | None = None
    fund: str = ""
    configured_kind: int | None = None

    def applies_to(self, compound: Any) -> bool:
        return compound.path.startswith(self.scope_path)

    def pages(self, start: datetime.date, end: datetime.date) -> QuerySet:
        """The live pages that disclose the span, wherever they are."""
        if self.kind is None:
            return ConfiguredDisclosurePage.objects.live().filter(
                kind_id=self.configured_kind, as_of__gte=start
            )
        pages = self.kind.model.objects.live().filter(self.kind.covered(start, end))
        if self.kind.fund_field and self.fund:
            pages = pages.filter(**{self.kind.fund_field: self.fund})
        return pages


# The columns both halves of ``watches``' one query give, in this order.
_WATCH_COLUMNS = (
    *("w_key", "w_name", "w_every", "w_grace", "w_scope", "w_type", "w_fund", "w_kind"),
    *("w_order", "w_code"),
)


def watches() -> list[Watch]:
    """Every schedule of a registered kind and every configured kind with a schedule, the
    schedules first (one query)."""
    schedules = DisclosureSchedule.objects.annotate(
        w_key=Concat(Value("s"), Cast("pk", CharField())),
        w_name=F("name"),
        w_every=F("period"),
        w_grace=F("grace_days"),
        w_scope=F("scope__path"),
        w_type=F("page_type"),
        w_fund=F("fund"),
        w_kind=Value(None, IntegerField()),
        w_order=Value(0, IntegerField()),
        w_code=F("code"),
    )
    kinds = (
        ConfiguredKind.objects.filter(active=True)
        .exclude(every="")
        # The levels as text, as a JSON ``contains`` is PostgreSQL's only.
        .alias(levels_text=Cast("levels", CharField()))
        .filter(levels_text__contains='"compound"')
        .annotate(
            w_key=Concat(Value("k"), Cast("pk", CharField())),
            w_name=F("name"),
            w_every=F("every"),
            w_grace=F("grace_days"),
            w_scope=Value(""),
            w_type=Value(""),
            w_fund=Value(""),
            w_kind=F("pk"),
            w_order=Value(1, IntegerField()),
            w_code=F("code"),
        )
    )
    rows = (
        # Each part unordered: SQLite refuses an ORDER BY inside a UNION.
        schedules.order_by()
        .values_list(*_WATCH_COLUMNS)
        .union(kinds.order_by().values_list(*_WATCH_COLUMNS))
        .order_by("w_order", "w_code")
    )
    found = []
    for key, name, every, grace, scope, page_type, fund, kind_id, _order, _code in rows:
        if kind_id is not None:
            found.append(Watch(key, name, every, grace, "", configured_kind=kind_id))
        elif kind := KINDS.of_page_type(page_type):
            found.append(Watch(key, name, every, grace, scope, kind, fund))
    return found


@dataclass(frozen=True)
class Watched:
    """A watch with the period now due."""

    watch: Watch
    period: DuePeriod

    @property
    def annotation(self) -> str:
        return f"published_{self.watch.key}"

    @property
    def name(self) -> str:
        return self.watch.name

    def applies_to(self, compound: Any) -> bool:
        """Whether the watch's scope holds ``compound`` (a page, or a row with its path)."""
        return self.watch.applies_to(compound)

    def covered(self) -> Exists:
        """A live page of the kind directly under the compound that discloses the period."""
        pages = self.watch.pages(self.period.start, self.period.end).filter(
            path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1
        )
        return Exists(pages)


def watched(today: datetime.date) -> list[Watched]:
    """Every watch, with the period it now asks for (one query)."""
    return [
        Watched(watch, last_finished_period(watch.every, watch.grace_days, today))
        for watch in watches()
    ]


def compounds_with_disclosures(
    compounds: QuerySet[CompoundPage], schedules: list[Watched]
) -> QuerySet[CompoundPage]:
    """The compounds, each marked with whether each schedule's disclosure is out."""
    return (
        compounds.annotate(**{item.annotation: item.covered() for item in schedules})
        .order_by("path")
        .only("pk", "title", "path", "depth")
    )


def missing(compound: Any, schedules: list[Watched]) -> list[Watched]:
    """The schedules ``compound`` (a page, or a row of its values) has yet to disclose."""
    return [
        item
        for item in schedules
        if item.applies_to(compound) and not getattr(compound, item.annotation)
    ]


def dues(compounds: QuerySet[CompoundPage], today: datetime.date) -> dict[int, list[Due]]:
    """Each compound's disclosures of the periods now asked for, published or not, by compound
    id: what a community's screen shows (registered with ``api.disclosure_dues``). Two queries."""
    schedules = watched(today)
    if not schedules:
        return {}
    found: dict[int, list[Due]] = {}
    for compound in compounds_with_disclosures(compounds, schedules):
        found[compound.pk] = [
            Due(
                name=item.name,
                period_label=item.period.label,
                period_start=item.period.start,
                period_end=item.period.end,
                deadline=item.period.deadline,
                state=PUBLISHED
                if getattr(compound, item.annotation)
                else OVERDUE
                if item.period.is_overdue(today)
                else DUE,
            )
            for item in schedules
            if item.applies_to(compound)
        ]
    return found


class DisclosuresDuePanel(Component):
    """公开事项到期: due and overdue disclosures of the user's compounds, in a fixed number of
    queries however many compounds and pages there are."""

    name = "disclosures_due"
    order = 110
    template_name = "site_config/panels/disclosures_due.html"

    def __init__(self, user: User, today: datetime.date) -> None:
        self.user = user
        self.today = today

    def render_html(self, parent_context: Any = None) -> SafeString:
        self.schedules = watched(self.today)
        if not self.schedules:
            return SafeString("")
        # A street office's 2,000 compounds come as rows of plain values: the panel shows only
        # the title and address of the few it lists, and building pages cost most of its time.
        fields = ["pk", "title", "path", *(item.annotation for item in self.schedules)]
        compounds = compounds_with_disclosures(compounds_for(self.user), self.schedules)
        self.compounds = [
            compound
            for row in compounds.values(*fields)
            if any(item.applies_to(compound := SimpleNamespace(**row)) for item in self.schedules)
        ]
        if not self.compounds:
            return SafeString("")
        self.schedules = [
            item for item in self.schedules if any(map(item.applies_to, self.compounds))
        ]
        return super().render_html(parent_context)

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        rows = [
            {
                "compound": compound,
                "items": [
                    {
                        "what": item.name,
                        "period": item.period,
                        "state": item.period.state(self.today),
                    }
                    for item in late
                ],
            }
            for compound in self.compounds
            if (late := missing(compound, self.schedules))
        ]
        return {
            "rows": rows[:PANEL_ROWS],
            "more": max(len(rows) - PANEL_ROWS, 0),
            "due_count": len(rows),
            "compound_count": len(self.compounds),
            "schedules": self.schedules,
        }
