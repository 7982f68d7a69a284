"""A screen's poll goes straight to the API view, past the middleware only people need.

A screen asks ``GET /graphql/?id=…`` with ``Authorization: Screen <token>`` every 15 seconds,
and is answered 304 nearly always: the view's own work is then two cache round trips, and the
site's middleware (sessions, sign-in, second factor, password and session-age rules, CSRF,
messages, the access audit, django-axes, locale negotiation, Content-Security-Policy, framing)
cost as much again (cProfile of the poll: about a third of it). None of it applies to a token's
read-only GET: it carries no cookie the API reads, changes nothing, and its answer is JSON,
which no policy for pages governs. So this middleware, placed right after Django's
``SecurityMiddleware`` (HTTPS redirect, HSTS, ``nosniff`` still apply), hands such a request to
the view itself. What the skipped ones would still give a JSON answer is done here: the host is
checked against ``ALLOWED_HOSTS``, the site's language is active, and ``Content-Length`` is set.

Any other request (a POST, another path, no screen token) goes through every middleware as
before. What it buys (``benchmarks.fast_paths``, ``WEIZHI_API_WITHOUT=middleware`` leaves it
out): ×1.40 requests per second on the persisted GET, ×1.36 on its 304.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import resolve, reverse
from django.utils import translation

from .fast_paths import left_out

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse


class ScreenPollMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._view: tuple[str, Callable[..., HttpResponse]] | None = None

    def view(self) -> tuple[str, Callable[..., HttpResponse]]:
        if self._view is None:
            path = reverse("graphql")
            self._view = (path, resolve(path).func)
        return self._view

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "GET" or not _screen_token(request) or left_out("middleware"):
            return self.get_response(request)
        path, view = self.view()
        if request.path_info != path:
            return self.get_response(request)
        request.get_host()  # DisallowedHost (400) for a host not allowed, as CommonMiddleware
        translation.activate(settings.LANGUAGE_CODE)
        response = view(request)
        if not response.streaming and not response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response


def _screen_token(request: HttpRequest) -> Any:
    return request.META.get("HTTP_AUTHORIZATION", "")[:6].lower() == "screen"
