"""The benchmark server's URLs: the whole site, plus Wagtail's API v2 and the floor view.

Loaded only by ``cms.settings.bench``. API v2 needs ``api_fields`` on the notice model to serve
anything beyond titles; they are declared here, for the benchmark, so that production models do
not advertise an API production does not serve.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.urls import path
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from cms.urls import urlpatterns as site_urlpatterns
from content_types.notices.models import NoticePage

# The notice fields the screen feed returns, so both APIs serialise the same data.
NOTICE_API_FIELDS = ("category", "summary", "pinned", "first_published_at", "expire_at")
NoticePage.api_fields = [APIField(name) for name in NOTICE_API_FIELDS]

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)


@cache
def _floor_bytes() -> bytes:
    return Path(os.environ["WEIZHI_BENCH_FLOOR_FILE"]).read_bytes()


def floor(request: HttpRequest) -> HttpResponse:
    """The floor: the feed's bytes, computed once before the run, sent with no work at all."""
    return HttpResponse(_floor_bytes(), content_type="application/json")


urlpatterns = [
    path("api/v2/", api_router.urls),
    path("bench/floor/", floor, name="bench_floor"),
    *site_urlpatterns,
]
