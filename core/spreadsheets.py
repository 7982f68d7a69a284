"""Admin listings that export CSV, served formula-safe in front of Wagtail's own URLs.

Why and how cells are escaped: ``core.formula_safe``. Wagtail has no hook for its CSV
writer, so each admin listing that exports is served by a subclass with
``FormulaSafeCsvMixin``, in front of Wagtail's own URL: those whose rows depend on the
reader are in ``content_types.roles.admin_views``, the others here; model viewsets use it
for their index view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.urls import display_custom_404
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.contrib.redirects.views import IndexView as RedirectsIndexView
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .formula_safe import FormulaSafeCsvMixin

if TYPE_CHECKING:
    from collections.abc import Callable


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
