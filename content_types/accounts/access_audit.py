"""The audit log's view of each request (等保 安全审计).

It makes the request known to events written where Django passes none (a password change), so
they name the client address and who acted. And it records refused access to another scope's
object. Wagtail answers a refusal in three ways, none of which reaches a signal: a scoped
snippet view answers 404 for a row outside the reader's scope (the admin turns the ``Http404``
into its own page), ``require_admin_access`` turns a ``PermissionDenied`` into a redirect to
the dashboard with an error message, and an XHR gets a 403. This middleware sees each of them on
the way out; a 404 counts as a refusal only when the object it names exists, so a mistyped
address is not reported as an intrusion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.admin.utils import unquote
from django.contrib.messages import ERROR, get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext
from wagtail.models import Page
from wagtail.snippets.models import get_snippet_models

from .audit import current_request_is, record
from .models import AuditAction, AuditResult

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse

# Wagtail's own wording of its refusal (wagtail.admin.auth.permission_denied).
WAGTAIL_REFUSAL = "Sorry, you do not have permission to access this area."


def _refused_by_wagtail(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code == 403:
        return True
    if response.status_code != 302 or response.get("Location") != reverse("wagtailadmin_home"):
        return False
    refusal = gettext(WAGTAIL_REFUSAL)
    queued = getattr(get_messages(request), "_queued_messages", [])
    # wagtail.admin.messages renders the text with room for buttons after it: compare it bare.
    return any(m.level == ERROR and str(m.message).strip() == refusal for m in queued)


def _named_object_exists(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None:
        return False
    if "page_id" in match.kwargs:
        model, pk = Page, match.kwargs["page_id"]
    elif "pk" in match.kwargs:
        # Wagtail wraps admin views in require_admin_access, hiding the view's model: the
        # snippet is known by its viewset's URL namespace instead.
        model = next(
            (m for m in get_snippet_models() if m.snippet_viewset.url_namespace == match.namespace),
            None,
        )
        pk = unquote(str(match.kwargs["pk"]))
    else:
        return False
    try:
        return model is not None and model._base_manager.filter(pk=pk).exists()
    except (ValueError, ValidationError):
        return False


def record_refusal(request: HttpRequest, status: int) -> None:
    """Also for a view that refuses in a way this middleware cannot tell from a missing row."""
    record(
        AuditAction.ACCESS_DENIED,
        request=request,
        result=AuditResult.DENIED,
        description=f"越权访问被拒绝：{request.method} {request.path}"[:255],
        path=request.path,
        method=request.method,
        status=status,
    )


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with current_request_is(request):
            response = self.get_response(request)
        if (
            request.user.is_authenticated
            and request.path.startswith(reverse("wagtailadmin_home"))
            and (
                _refused_by_wagtail(request, response)
                or (response.status_code == 404 and _named_object_exists(request))
            )
        ):
            record_refusal(request, response.status_code)
        return response
