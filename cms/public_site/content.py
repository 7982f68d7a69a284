"""What a street, community or compound page shows of its scope, composed in one place.

The structure pages are the lowest content app and may not know notices, disclosures,
proposals, committees or firms; the layers above them may. So their templates ask here (through
the ``public_scope`` template tags), and the notice archive's view reads the same queries. What
is public is the API's ``Visibility`` (``content_types.structure.public`` underneath): one
request's clock and hidden subtrees, loaded once, so each list costs a fixed number of queries
however long it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.models import Page

from api.loaders import SCREEN_NOTICE_ORDER, committees, firms
from api.scope import Scope
from api.visibility import Visibility
from content_types.configured_disclosures.models import ConfiguredDisclosurePage, ConfiguredKind
from content_types.disclosures.kinds import KINDS, DisclosureKind
from content_types.expenditures.models import ExpenditureProposalPage, UsageReportPage
from content_types.notices.models import NoticePage
from content_types.roles.models import Role
from content_types.structure.models import CommunityPage, CompoundPage, StreetPage
from workflows.voting.decisions import ProposalRecord, proposal_records

if TYPE_CHECKING:
    import datetime

    from django.db.models import QuerySet

    from content_types.committees.models import OwnersCommittee
    from content_types.firms.models import PropertyFirm

SCOPE_TYPES = (StreetPage, CommunityPage, CompoundPage)
#: How many current notices a scope's page lists; the rest are on its notices page.
CURRENT_NOTICES = 10
#: How many of each kind of disclosure, and how many proposals, a scope's page lists.
DISCLOSURES_PER_KIND = 6
PROPOSALS = 10
CONTEXT_ATTRIBUTE = "_weizhi_scope_content"
ARCHIVE_ORDER = ("-expire_at", "-first_published_at", "-pk")


def day(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


@dataclass
class Section:
    """One kind of disclosure in a scope, newest first."""

    kind: DisclosureKind
    pages: list[Page]
    more: bool = False

    @property
    def label(self) -> str:
        return self.kind.label


@dataclass
class ConfiguredSection:
    """The public pages of one kind declared in the configuration file, newest first."""

    kind: ConfiguredKind
    pages: list[ConfiguredDisclosurePage]
    more: bool = False

    @property
    def label(self) -> str:
        return self.kind.name


@dataclass
class ProposalEntry:
    """A public proposal with its decision, the steps of its chain and its usage reports."""

    page: ExpenditureProposalPage
    record: ProposalRecord
    reports: list[UsageReportPage] = field(default_factory=list)


class ScopeContent:
    """The public content of one street, community or compound, read on demand.

    A compound's readers also follow its community's own notices, as its notice board does
    (``api.scope.Scope``); each item names the community or compound it belongs to.
    """

    def __init__(self, page: Page, parent: Page | None, visibility: Visibility | None = None):
        self.page = page
        self.parent = parent
        self.visibility = visibility or Visibility()
        self.scope = Scope(page, [parent] if parent is not None else [])

    @classmethod
    def of_served_page(cls, page: Page, context: Any) -> ScopeContent:
        """The content of the page Wagtail serves, one per request (its parent is cached by
        Wagtail's routing)."""
        found = getattr(context, CONTEXT_ATTRIBUTE, None)
        if found is None or found.page.pk != page.pk:
            parent = page.get_parent() if isinstance(page, CompoundPage) else None
            visibility = Visibility.of(context) if context is not None else Visibility()
            found = cls(page, parent, visibility)
            if context is not None:
                setattr(context, CONTEXT_ATTRIBUTE, found)
        return found

    @property
    def is_compound(self) -> bool:
        return isinstance(self.page, CompoundPage)

    def notices(self) -> QuerySet[NoticePage]:
        """Public notices in reach, pinned first, then newest."""
        return self.visibility.pages(
            NoticePage.objects.filter(self.scope.notice_reach_q())
        ).order_by(*SCREEN_NOTICE_ORDER)

    def expired_notices(self) -> QuerySet[NoticePage]:
        """Notices in reach taken down by their own expiry, latest expired first."""
        return self.visibility.expired_pages(
            NoticePage.objects.filter(self.scope.notice_reach_q())
        ).order_by(*ARCHIVE_ORDER)

    @cached_property
    def current_notices(self) -> list[NoticePage]:
        """The first notices of ``notices`` and one more, to tell whether there are others."""
        return self.places_of(list(self.notices()[: CURRENT_NOTICES + 1]))

    @property
    def shown_notices(self) -> list[NoticePage]:
        return self.current_notices[:CURRENT_NOTICES]

    @property
    def more_notices(self) -> bool:
        return len(self.current_notices) > CURRENT_NOTICES

    def disclosures_of(self, kind: DisclosureKind) -> QuerySet[Page]:
        """Public disclosures of ``kind`` in the scope, the latest period or date first."""
        pages = self.visibility.pages(kind.model.objects.filter(self.scope.subtree_q()))
        return pages.order_by(f"-{kind.dates[-1]}", "-first_published_at", "-pk")

    def described(self, kind: DisclosureKind, pages: list[Page]) -> list[Page]:
        """``pages`` with ``dates_text`` (their period or date) and ``place``."""
        for page in pages:
            page.dates_text = "至".join(day(getattr(page, name)) for name in kind.dates)
        return self.places_of(pages)

    @cached_property
    def disclosures(self) -> list[Section]:
        """One section per registered kind, in the registry's order: one query each."""
        sections = []
        for kind in KINDS:
            found = list(self.disclosures_of(kind)[: DISCLOSURES_PER_KIND + 1])
            section = Section(kind, self.described(kind, found[:DISCLOSURES_PER_KIND]))
            section.more = len(found) > DISCLOSURES_PER_KIND
            sections.append(section)
        return sections

    @cached_property
    def configured(self) -> list[ConfiguredSection]:
        """One section per active configured kind with public pages here: one query for all,
        each kind's newest first (``DISCLOSURES_PER_KIND`` of them)."""
        ranked = (
            self.visibility.pages(
                ConfiguredDisclosurePage.objects.filter(self.scope.subtree_q(), kind__active=True)
            )
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("kind_id"),
                    order_by=[F("as_of").desc(), F("first_published_at").desc(), F("pk").desc()],
                )
            )
            .filter(rank__lte=DISCLOSURES_PER_KIND + 1)
            .select_related("kind")
            .order_by("kind__sort_order", "kind__code", "rank")
        )
        sections: dict[int, ConfiguredSection] = {}
        for page in ranked:
            section = sections.setdefault(page.kind_id, ConfiguredSection(page.kind, []))
            if len(section.pages) < DISCLOSURES_PER_KIND:
                page.dates_text = day(page.as_of)
                section.pages.append(page)
            else:
                section.more = True
        for section in sections.values():
            self.places_of(section.pages)
        return list(sections.values())

    @cached_property
    def proposals(self) -> list[ProposalEntry]:
        """Public proposals, newest first, with their steps and public usage reports."""
        pages = list(
            self.visibility.pages(
                ExpenditureProposalPage.objects.filter(self.scope.subtree_q())
            ).order_by("-first_published_at", "-pk")[:PROPOSALS]
        )
        if not pages:
            return []
        records = proposal_records(pages)
        entries = {
            page.path: ProposalEntry(page, records[page.pk]) for page in self.places_of(pages)
        }
        reports = self.visibility.pages(
            UsageReportPage.objects.filter(
                path__startswith=self.page.path, depth=pages[0].depth + 1
            )
        ).order_by("first_published_at", "pk")
        for report in reports:
            entry = entries.get(report.path[: -Page.steplen])
            if entry is not None:
                entry.reports.append(report)
        return list(entries.values())

    @cached_property
    def committee(self) -> OwnersCommittee | None:
        """The compound's published committee in office today, with its members."""
        if not self.is_compound:
            return None
        today = timezone.localdate()
        current = committees(
            self.visibility, self.scope, term_start__lte=today, term_end__gte=today
        )
        return next(iter(current[:1]), None)

    @cached_property
    def firms(self) -> list[PropertyFirm]:
        """The published firms serving the compound."""
        return list(firms(self.visibility, self.scope)) if self.is_compound else []

    @cached_property
    def community(self) -> CommunityPage | None:
        """The community whose office the scope's owners contact."""
        if isinstance(self.page, CommunityPage):
            return self.page
        if self.parent is None:
            return None
        return CommunityPage.objects.filter(pk=self.parent.pk).first()

    @cached_property
    def commissioner_names(self) -> list[str]:
        """The compound's 小区专员 by name only: the one named on the compound, or those holding
        the role on it (as the site configuration grants it). Nothing else of the account."""
        if not self.is_compound:
            return []
        chosen = Q(pk=self.page.commissioner_id) if self.page.commissioner_id else Q(pk=None)
        holding = Q(role_assignments__role=Role.COMMISSIONER, role_assignments__scope=self.page)
        names = (
            get_user_model()
            .objects.filter(chosen | holding, is_active=True)
            .exclude(first_name="")
            .order_by("first_name")
            .values_list("first_name", flat=True)
            .distinct()
        )
        return list(names)

    @cached_property
    def _places(self) -> dict[str, str]:
        """Titles of the public communities and compounds an item may belong to, by path."""
        paths = [self.page.path] + ([self.parent.path] if self.parent is not None else [])
        return dict(
            self.visibility.pages(
                Page.objects.filter(path__startswith=self.page.path).type(
                    CommunityPage, CompoundPage
                )
                | Page.objects.filter(path__in=paths)
            ).values_list("path", "title")
        )

    def places_of(self, pages: list[Any]) -> list[Any]:
        """``pages`` with ``place``: the title of the community or compound each sits under."""
        for page in pages:
            page.place = self._places.get(page.path[: -Page.steplen], "")
        return pages


def public_scope(pk: int, visibility: Visibility) -> ScopeContent | None:
    """The public street, community or compound ``pk``, or None: three queries at most."""
    scopes = Page.objects.filter(pk=pk).type(*SCOPE_TYPES).specific()
    page = visibility.pages(scopes).first()
    if page is None:
        return None
    parent = page.get_parent() if isinstance(page, CompoundPage) else None
    return ScopeContent(page, parent, visibility)
