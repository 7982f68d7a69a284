"""Public pages are served only where the whole way down to them is public."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from wagtail import hooks

from .public import lapsed_on_the_way

if TYPE_CHECKING:
    from wagtail.models import Page


@hooks.register("before_serve_page")
def refuse_pages_under_lapsed_ancestors(
    page: Page, request: HttpRequest, serve_args: Any, serve_kwargs: Any
) -> None:
    """404 for a page under an unpublished or expired ancestor, or expired itself.

    Wagtail routes through unpublished pages and checks ``live`` on the last one only; view
    restrictions on the way are its own ``check_view_restrictions`` hook's (a login or password
    page), so they are left to it.
    """
    if lapsed_on_the_way(page, timezone.now()):
        raise Http404
