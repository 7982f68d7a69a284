"""The reference public screen (公开屏) of one compound: a page that reads only persisted queries.

The page itself carries no content: it is a shell whose script asks the GraphQL API, by the ids
of the persisted queries in ``graphql/queries/``, whether anything changed and what to show. So
a screen shows exactly what any other client of the API would, and is cached the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_safe

from content_types.structure.models import CompoundPage

from .visibility import Visibility

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

# Ids of the persisted queries the page uses: the stems of their files in graphql/queries/.
FEED_QUERY_ID = "screenFeed"
VERSION_QUERY_ID = "contentVersion"
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


@require_safe
def compound_screen(request: HttpRequest, slug: str) -> HttpResponse:
    """Full-screen 1920×1080 page for one public compound; 404 for anything else."""
    compound = get_object_or_404(Visibility().pages(CompoundPage.objects.all()), slug=slug)
    config = {
        "endpoint": reverse("graphql"),
        "feedQuery": FEED_QUERY_ID,
        "versionQuery": VERSION_QUERY_ID,
        "variables": {"compound": compound.slug},
        "pollSeconds": _poll_seconds(request),
        "rotateSeconds": ROTATE_SECONDS,
    }
    return TemplateResponse(
        request, "screens/compound_screen.html", {"compound": compound, "config": config}
    )


urlpatterns = [path("<slug:slug>/", compound_screen, name="compound_screen")]
