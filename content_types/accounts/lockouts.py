"""Sign-in lockouts (django-axes): the page a locked-out person sees, and the street office's
list of locked accounts and addresses with an unlock button.

django-axes counts the failures and decides the lockout; this module only shows its records in
Chinese and undoes a lockout on request, leaving a trace of who unlocked what.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog
from axes.utils import reset
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from content_types.roles.permissions import is_street_office

from .audit import record
from .models import AuditAction
from .two_factor import StreetOfficeOnlyMixin

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

HISTORY_DAYS = 30


def lockout_response(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    cool_off = get_cool_off(request)
    return render(
        request,
        "accounts/login_locked.html",
        {
            "failure_limit": get_failure_limit(request, credentials),
            "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        },
        status=429,
    )


@dataclass(frozen=True)
class Lock:
    kind: str  # "username" or "ip"
    value: str
    failures: int
    last_attempt: datetime


def current_locks() -> list[Lock]:
    """Accounts and addresses whose failures within the cool-off reach the limit, as axes counts."""
    limit = get_failure_limit(None, None)
    attempts = AccessAttempt.objects.all()
    cool_off = get_cool_off(None)
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    locks: list[Lock] = []
    for field, kind in (("username", "username"), ("ip_address", "ip")):
        rows = (
            attempts.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=limit)
            .order_by("-last")
        )
        locks += [Lock(kind, row[field], row["failures"], row["last"]) for row in rows]
    return locks


class LockoutsView(StreetOfficeOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = "登录锁定"
    header_icon = "lock"
    template_name = "accounts/lockouts.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        since = timezone.now() - timedelta(days=HISTORY_DAYS)
        return super().get_context_data(
            locks=current_locks(),
            history=AccessFailureLog.objects.filter(
                locked_out=True, attempt_time__gte=since
            ).order_by("-attempt_time")[:200],
            history_days=HISTORY_DAYS,
            failure_limit=get_failure_limit(None, None),
            **kwargs,
        )


@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    if not is_street_office(request.user):
        raise PermissionDenied
    kind = request.POST.get("kind")
    value = (request.POST.get("value") or "").strip()
    if kind not in {"username", "ip"} or not value:
        messages.error(request, "解锁请求不完整：请从列表中选择要解锁的账号或地址。")
        return redirect("weizhi_lockouts")
    removed = reset(username=value) if kind == "username" else reset(ip=value)
    label = "账号" if kind == "username" else "登录地址"
    record(
        AuditAction.UNLOCK,
        request=request,
        description=f"解锁{label}“{value}”",
        kind=kind,
        value=value,
        removed=removed,
    )
    messages.success(request, f"已解锁{label}“{value}”。")
    return redirect("weizhi_lockouts")
