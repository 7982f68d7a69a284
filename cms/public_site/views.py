"""A scope's pages of its own: its current notices, its archive of expired ones (searchable,
and each archived notice readable), and every disclosure of one kind.

Views in the top layer rather than routes on the structure pages: the structure app may not
import notices or disclosures, and search and pagination belong to a view. The scope itself
must be public (``public_scope``), as Wagtail's routing would require of the page; each listing
costs a fixed number of queries however long it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.template.response import TemplateResponse

from api.visibility import Visibility
from content_types.disclosures.kinds import KINDS

from .content import ScopeContent, public_scope

if TYPE_CHECKING:
    from django.http import HttpRequest

PER_PAGE = 20
#: Longer search text is cut here: no one types more to find a notice's title.
MAX_SEARCH = 50


def search_text(request: HttpRequest) -> str:
    return " ".join(request.GET.get("q", "").split())[:MAX_SEARCH]


def find_scope(request: HttpRequest, scope_id: int) -> ScopeContent:
    content = public_scope(scope_id, Visibility.of(request))
    if content is None:
        raise Http404
    return content


def notices(request: HttpRequest, scope_id: int, archive: bool = False) -> TemplateResponse:
    """The scope's current notices (pinned first), or with ``archive`` its expired ones."""
    content = find_scope(request, scope_id)
    found = content.expired_notices() if archive else content.notices()
    query = search_text(request)
    for word in query.split():
        found = found.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    paginator = Paginator(found, PER_PAGE)
    listing = paginator.get_page(request.GET.get("page"))
    listing.object_list = content.places_of(list(listing.object_list))
    return TemplateResponse(
        request,
        "public_site/notices.html",
        {
            "page": content.page,
            "content": content,
            "archive": archive,
            "query": query,
            "listing": listing,
        },
    )


def disclosures(request: HttpRequest, scope_id: int, kind: str) -> TemplateResponse:
    """Every public disclosure of one kind in the scope, newest first, page by page."""
    try:
        found_kind = KINDS[kind]
    except KeyError as unknown:
        raise Http404 from unknown
    content = find_scope(request, scope_id)
    listing = Paginator(content.disclosures_of(found_kind), PER_PAGE).get_page(
        request.GET.get("page")
    )
    listing.object_list = content.described(found_kind, list(listing.object_list))
    return TemplateResponse(
        request,
        "public_site/disclosures.html",
        {"page": content.page, "kind": found_kind, "listing": listing},
    )


def archived_notice(request: HttpRequest, scope_id: int, notice_id: int) -> TemplateResponse:
    """One notice of the scope's archive, read as it was last published, marked as expired.

    Wagtail serves live pages only; what is archived is decided by the same query as the list.
    """
    content = find_scope(request, scope_id)
    notice = content.expired_notices().filter(pk=notice_id).first()
    if notice is None:
        raise Http404
    return TemplateResponse(
        request, "public_site/archived_notice.html", {"page": notice, "scope": content.page}
    )
