"""The queries behind the schema's lists: a fixed number of SQL queries whatever their length.

Each list is one query for its rows plus one per kind of child row (``prefetch_related``), or
per kind of extra fact (the running review steps of proposals), never one per item.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, QuerySet
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, WorkflowState

from content_types.committees.models import OwnersCommittee
from content_types.expenditures.models import ExpenditureProposalPage, UsageReportPage
from content_types.firms.models import PropertyFirm
from content_types.notices.images import SCREEN_RENDITION
from content_types.notices.models import NoticePage
from workflows.voting.models import ResultStage, VoteResult, VoteStatus

from .scope import Scope
from .visibility import Visibility


def notices(visibility: Visibility, scope: Scope, *, screens_only: bool = False) -> QuerySet:
    """The public notices a reader of ``scope`` sees, its community's own included."""
    queryset = visibility.pages(NoticePage.objects.filter(scope.notice_reach_q()))
    if screens_only:
        queryset = queryset.filter(show_on_screens=True)
    return queryset


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
    return images.prefetch_renditions(SCREEN_RENDITION).in_bulk(ids)


def in_compounds(visibility: Visibility, scope: Scope, model: type[Page]) -> QuerySet:
    return visibility.pages(model.objects.filter(scope.subtree_q()))


def with_reports(visibility: Visibility, proposals: QuerySet) -> QuerySet:
    """Proposals marked ``api_has_report`` when a public usage report sits under them."""
    reports = visibility.pages(UsageReportPage.objects.filter(path__startswith=OuterRef("path")))
    return proposals.annotate(api_has_report=Exists(reports))


def with_steps(
    visibility: Visibility, proposals: QuerySet[ExpenditureProposalPage] | list[Any]
) -> list[ExpenditureProposalPage]:
    """Proposals with the name of the review step each is at (two queries in all).

    Only the step's name is read: who reviews it is not public.
    """
    if isinstance(proposals, QuerySet):
        proposals = with_reports(visibility, proposals)
    found = list(proposals)
    if not found:
        return found
    page_type = ContentType.objects.get_for_model(Page)
    steps = dict(
        WorkflowState.objects.filter(
            base_content_type=page_type,
            object_id__in=[str(page.pk) for page in found],
            status=WorkflowState.STATUS_IN_PROGRESS,
        ).values_list("object_id", "current_task_state__task__name")
    )
    for page in found:
        page.api_current_step = steps.get(str(page.pk)) or ""
    return found


def open_proposals(visibility: Visibility, scope: Scope) -> list[ExpenditureProposalPage]:
    """Published proposals whose usage is not reported yet, newest first, with their step."""
    proposals = with_steps(
        visibility,
        in_compounds(visibility, scope, ExpenditureProposalPage).order_by(
            "-first_published_at", "-pk"
        ),
    )
    return [page for page in proposals if not page.api_has_report]


def final_results(scope: Scope) -> QuerySet[VoteResult]:
    """Final results only: a preliminary result may still change in the objection window."""
    return (
        VoteResult.objects.filter(
            stage=ResultStage.FINAL,
            vote__status=VoteStatus.FINAL,
            vote__compound__path__startswith=scope.page.path,
        )
        .select_related("vote")
        .order_by("-vote__finalised_at", "-pk")
    )


def committees(visibility: Visibility, scope: Scope, **filters: Any) -> QuerySet:
    return (
        visibility.snippets(
            OwnersCommittee.objects.filter(scope.subtree_q("compound__"), **filters)
        )
        .prefetch_related("members")
        .order_by("compound__path", "-term_start")
    )


def firms(visibility: Visibility, scope: Scope) -> QuerySet:
    return (
        visibility.snippets(PropertyFirm.objects.filter(scope.subtree_q("compounds__")))
        .distinct()
        .order_by("name", "pk")
    )
