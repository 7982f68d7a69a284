"""The queries behind the schema's lists: a fixed number of SQL queries whatever their length.

Each list is one query for its rows plus one per kind of child row (``prefetch_related``), or
per kind of extra fact (the running review steps of proposals), never one per item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, WorkflowState

from content_types.cases.models import Case
from content_types.committees.models import OwnersCommittee
from content_types.expenditures.models import ExpenditureProposalPage, UsageReportPage
from content_types.firms.models import PropertyFirm
from content_types.notices.images import SCREEN_RENDITION
from content_types.notices.models import NoticePage
from content_types.structure.models import CompoundPage
from workflows.voting.models import ResultStage, Vote, VoteResult, VoteStatus
from workflows.voting.participation import Turnout, turnouts

from .rows import NOTICE_COLUMNS, NoticeRow
from .scope import Scope, notice_reach_q
from .statements import Statement, set_prefetched
from .visibility import Visibility, public_pages_from

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime
    from decimal import Decimal


def notices(visibility: Visibility, scope: Scope, *, screens_only: bool = False) -> QuerySet:
    """The public notices a reader of ``scope`` sees, its community's own included."""
    queryset = visibility.pages(NoticePage.objects.filter(scope.notice_reach_q()))
    if screens_only:
        queryset = queryset.filter(show_on_screens=True)
    return queryset


def _screen_notices(
    shape: tuple[int, ...],
    scope_path: str,
    parent_path: str | None = None,
    parent_child_depth: int | None = None,
    **visibility: Any,
) -> QuerySet:
    reach = notice_reach_q(scope_path, parent_path, parent_child_depth)
    return (
        public_pages_from(NoticePage.objects.filter(reach, show_on_screens=True), visibility)
        .order_by(*SCREEN_NOTICE_ORDER)[: shape[0]]
        .values_list(*NOTICE_COLUMNS)
    )


SCREEN_NOTICE_ORDER = ("-pinned", "-first_published_at", "-pk")
SCREEN_NOTICES = Statement(_screen_notices)


def screen_notice_rows(visibility: Visibility, scope: Scope, limit: int) -> list[NoticeRow]:
    """The first ``limit`` notices for screens (pinned, then newest) as plain rows: one query."""
    restricted, values = visibility.statement_values()
    reach = scope.notice_reach_values()
    shape = (limit, restricted, "parent_path" in reach)
    return [NoticeRow(*row) for row in SCREEN_NOTICES.rows(shape, **reach, **values)]


def public_documents(visibility: Visibility, ids: Iterable[int]) -> dict[int, Any]:
    """The documents among ``ids`` the public may download, by id (one query, none if no ids)."""
    ids = set(ids) - {None}
    if not ids:
        return {}
    return visibility.in_public_collections(get_document_model().objects.all()).in_bulk(ids)


def public_images(visibility: Visibility, ids: Iterable[int]) -> dict[int, Any]:
    """The images among ``ids`` the public may see, by id, with their screen renditions.

    Two queries (the images, then all their ``SCREEN_RENDITION`` renditions at once), none if no
    ids; the restricted collections are the request's (``Visibility``).
    """
    ids = set(ids)
    if not ids:
        return {}
    images = visibility.in_public_collections(get_image_model().objects.all())
    return images.prefetch_renditions(SCREEN_RENDITION).in_bulk(ids)  # type: ignore[attr-defined]


def in_compounds(visibility: Visibility, scope: Scope, model: type[Page]) -> QuerySet:
    return visibility.pages(model.objects.filter(scope.subtree_q()))


def with_progress(queryset: QuerySet, visibility_values: dict[str, Any]) -> QuerySet:
    """Proposals with how far they are, in the same query as the proposals.

    ``api_has_report``: a public usage report sits under the proposal. ``api_current_step``:
    the name of the review step it is at, None when it is in no review (only the step's name is
    read: who reviews it is not public). ``visibility_values`` as ``Visibility.statement_values``.
    """
    reports = public_pages_from(
        UsageReportPage.objects.filter(path__startswith=OuterRef("path")), visibility_values
    )
    steps = WorkflowState.objects.filter(
        base_content_type__app_label="wagtailcore",
        base_content_type__model="page",
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        status=WorkflowState.STATUS_IN_PROGRESS,
    ).values("current_task_state__task__name")[:1]
    return queryset.annotate(api_has_report=Exists(reports), api_current_step=Subquery(steps))


OPEN_PROPOSALS = Statement(
    lambda shape, scope_path, **visibility: with_progress(
        public_pages_from(
            ExpenditureProposalPage.objects.filter(path__startswith=scope_path), visibility
        ),
        visibility,
    ).order_by("-first_published_at", "-pk")
)


def open_proposals(visibility: Visibility, scope: Scope) -> list[ExpenditureProposalPage]:
    """Published proposals whose usage is not reported yet, newest first, with their step."""
    shape, values = visibility.statement_values()
    proposals = OPEN_PROPOSALS.objects(shape, scope_path=scope.page.path, **values)
    return [page for page in proposals if not page.api_has_report]


LATEST_DISCLOSURE = Statement(
    lambda shape, scope_path, **visibility: public_pages_from(
        shape[0].objects.filter(path__startswith=scope_path), visibility
    ).order_by(f"-{shape[1]}", "-first_published_at", "-pk")[:1]
)
CHILD_ROWS = Statement(lambda shape, parent: shape[0].objects.filter(**{shape[1]: parent}))


def latest_disclosure(
    visibility: Visibility,
    scope: Scope,
    model: type[Page],
    rows: str | None = None,
    latest_by: str = "period_end",
) -> Page | None:
    """The public disclosure of ``model`` with the latest ``latest_by`` date in reach, with its
    ``rows``.

    Two queries with rows (they are read as ``prefetch_related(rows)`` would give them), one
    without.
    """
    shape, values = visibility.statement_values()
    found = LATEST_DISCLOSURE.objects(
        (model, latest_by, shape), scope_path=scope.page.path, **values
    )
    if not found or rows is None:
        return found[0] if found else None
    relation = model._meta.get_field(rows)
    children = CHILD_ROWS.objects(
        (relation.related_model, relation.field.attname), parent=found[0].pk
    )
    set_prefetched(found, rows, children, relation.field.attname)
    return found[0]


def final_results(visibility: Visibility, scope: Scope) -> QuerySet[VoteResult]:
    """Final results of public compounds only: a preliminary one may still change in the
    objection window. Committee elections are left out: their figures are per candidate, which
    this type does not carry; their result page says who was elected."""
    return _final_results(scope.page.path, visibility.statement_values()[1])


def _final_results(scope_path: str, visibility_values: dict[str, Any]) -> QuerySet[VoteResult]:
    return (
        public_pages_from(
            VoteResult.objects.filter(
                stage=ResultStage.FINAL,
                vote__status=VoteStatus.FINAL,
                vote__compound__path__startswith=scope_path,
                vote__election__isnull=True,
            ),
            visibility_values,
            prefix="vote__compound__",
        )
        .select_related("vote")
        .order_by("-vote__finalised_at", "-pk")
    )


LATEST_FINAL_RESULTS = Statement(
    lambda shape, scope_path, **visibility: _final_results(scope_path, visibility)[: shape[0]]
)


def latest_final_results(visibility: Visibility, scope: Scope, limit: int) -> list[VoteResult]:
    """The ``limit`` latest final results in reach, with their votes: one query."""
    hidden, values = visibility.statement_values()
    return LATEST_FINAL_RESULTS.objects((limit, hidden), scope_path=scope.page.path, **values)


@dataclass(frozen=True)
class OpenVoteRow:
    """A vote owners are answering now, with its turnout so far: never anyone's choice."""

    id: int
    title: str
    matter_label: str
    scope_label: str
    opens_at: datetime
    closes_at: datetime
    turnout: Turnout

    def __getattr__(self, name: str) -> Any:
        # eligible_heads, answered_heads, heads_percent, …: as the turnout says.
        return getattr(self.turnout, name)

    @property
    def eligible_area(self) -> Decimal:
        return self.turnout.eligible.area

    @property
    def answered_area(self) -> Decimal:
        return self.turnout.answered.area

    @property
    def participation_reached(self) -> bool:
        return self.turnout.reached


def open_votes(visibility: Visibility, scope: Scope) -> list[OpenVoteRow]:
    """The votes in reach that owners are answering now, closing soonest first, each with its
    turnout so far: two queries."""
    votes = list(
        public_pages_from(
            Vote.objects.filter(status=VoteStatus.OPEN, compound__path__startswith=scope.page.path),
            visibility.statement_values()[1],
            prefix="compound__",
        ).order_by("closes_at", "pk")
    )
    found = turnouts(votes) if votes else {}
    return [
        OpenVoteRow(
            vote.pk,
            vote.title,
            vote.get_matter_display(),
            vote.scope_label,
            vote.opens_at,
            vote.closes_at,
            found[vote.pk],
        )
        for vote in votes
    ]


def committees(visibility: Visibility, scope: Scope, **filters: Any) -> QuerySet:
    """Published committees of the public compounds in reach, with their members."""
    return (
        visibility.snippets(
            OwnersCommittee.objects.filter(scope.subtree_q("compound__"), **filters),
            compound="compound",
        )
        .prefetch_related("members")
        .order_by("compound__path", "-term_start")
    )


def firms(visibility: Visibility, scope: Scope) -> QuerySet:
    """Published firms serving a public compound in reach (a hidden one names none)."""
    compounds = visibility.pages(CompoundPage.objects.filter(scope.subtree_q())).values("pk")
    return (
        visibility.snippets(PropertyFirm.objects.filter(compounds__in=compounds))
        .distinct()
        .order_by("name", "pk")
    )


def published_cases(visibility: Visibility, scope: Scope) -> QuerySet[Case]:
    """Closed cases published by their handler, of public compounds and communities in reach:
    only what their public type reads (the summary, category, dates and the scope's title)."""
    return (
        visibility.pages(
            Case.objects.published().filter(scope.subtree_q("scope__")), prefix="scope__"
        )
        .select_related("scope")
        .only("category", "public_summary", "closed_at", "published_at", "scope__title")
    )
