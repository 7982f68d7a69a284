"""The reference public screens (公开屏) of a compound and of a community: pages that read only
persisted queries.

A page itself carries no content: it is a shell whose script asks the GraphQL API, by the ids
of the persisted queries in ``graphql/queries/``, whether anything changed and what to show. So
a screen shows exactly what any other client of the API would, and is cached the same way.
A compound's screen is at ``/screen/<compound-slug>/``, a community's at
``/screen/community/<community-slug>/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_safe

from content_types.structure.models import CommunityPage, CompoundPage

from .visibility import Visibility

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse
    from wagtail.models import Page

# Ids of the persisted queries the pages use: the stems of their files in graphql/queries/.
FEED_QUERY_ID = "screenFeed"
VERSION_QUERY_ID = "contentVersion"
COMMUNITY_FEED_QUERY_ID = "communityScreenFeed"
COMMUNITY_VERSION_QUERY_ID = "communityContentVersion"
POLL_SECONDS = 15
ROTATE_SECONDS = 12
# A screen may be told to poll faster or slower (``?poll=5``), within these bounds.
POLL_BOUNDS = (1, 300)


def _poll_seconds(request: HttpRequest) -> int:
    try:
        asked = int(request.GET.get("poll", POLL_SECONDS))
    except ValueError:
        return POLL_SECONDS
    return min(max(asked, POLL_BOUNDS[0]), POLL_BOUNDS[1])


def _scope_screen(model: type[Page], name: str, queries: tuple[str, str]) -> Any:
    """The view of the full-screen 1920×1080 page of one public ``model`` (``name``: compound
    or community); 404 for anything else."""

    @require_safe
    def view(request: HttpRequest, slug: str) -> HttpResponse:
        scope = get_object_or_404(Visibility().pages(model.objects.all()), slug=slug)
        config = {
            "endpoint": reverse("graphql"),
            "feedQuery": queries[0],
            "versionQuery": queries[1],
            "variables": {name: scope.slug},
            "pollSeconds": _poll_seconds(request),
            "rotateSeconds": ROTATE_SECONDS,
        }
        context = {
            "scope": scope,
            "config": config,
            "screen_css": f"screens/{name}_screen.css",
            "screen_js": f"screens/{name}_screen.js",
        }
        return TemplateResponse(request, f"screens/{name}_screen.html", context)

    return view


compound_screen = _scope_screen(CompoundPage, "compound", (FEED_QUERY_ID, VERSION_QUERY_ID))
community_screen = _scope_screen(
    CommunityPage, "community", (COMMUNITY_FEED_QUERY_ID, COMMUNITY_VERSION_QUERY_ID)
)


SCREEN_URL_NAMES = {CompoundPage: "compound_screen", CommunityPage: "community_screen"}


def screen_path(scope: Page) -> str | None:
    """The screen page's path for a community or a compound; None for any other page."""
    name = SCREEN_URL_NAMES.get(scope.specific_class)
    return reverse(name, args=[scope.slug]) if name else None


urlpatterns = [
    path("community/<slug:slug>/", community_screen, name="community_screen"),
    path("<slug:slug>/", compound_screen, name="compound_screen"),
]
