"""The page chooser within the reader's reach.

Wagtail's page chooser lists every page of the tree to anyone who may open
the admin, drafts included, and its "browse" and "chosen" URLs show the page
named in the address whoever asks. A compound's drafts are its own, so the
chooser offers what the explorer offers: the pages a user holds a role on,
the pages below them, and their ancestors to navigate by
(``explorable_instances``, which the admin API already uses).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest, HttpResponse
from wagtail.admin.views.chooser import BrowseView, ChosenMultipleView
from wagtail.permissions import page_permission_policy

from core.ids import id_from_text

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from wagtail.models import Page


def choosable_pages(request: HttpRequest) -> QuerySet[Page]:
    return page_permission_policy.explorable_instances(request.user)


class ScopedBrowseView(BrowseView):
    """Browse below a page only when the reader may explore it."""

    def get(self, request: HttpRequest, parent_page_id: int | None = None) -> HttpResponse:
        if parent_page_id and not choosable_pages(request).filter(pk=parent_page_id).exists():
            raise Http404
        return super().get(request, parent_page_id)


class ScopedChosenMultipleView(ChosenMultipleView):
    """Answer for the chosen pages the reader may explore; others are left out."""

    def get(self, request: HttpRequest) -> HttpResponse:
        ids = [pk for value in request.GET.getlist("id") if (pk := id_from_text(value)) is not None]
        visible = choosable_pages(request).filter(pk__in=ids).values_list("pk", flat=True)
        query = request.GET.copy()
        query.setlist("id", [str(pk) for pk in visible])
        request.GET = query  # type: ignore[assignment]
        return super().get(request)
