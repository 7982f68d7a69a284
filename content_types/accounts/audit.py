"""The security audit log (等保 2.0 安全审计): ``record`` is the one way an event is written.

Sign-ins, failures, lockouts and sign-outs come from Django's and django-axes' signals,
role grants and removals from the role rows' signals (``signal_handlers``); the views that
enrol, reset or unlock call ``record`` themselves. Events are kept for
``WEIZHI_AUDIT_RETENTION_DAYS`` and then purged by the worker (``tasks``).
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from ipaddress import ip_address
from typing import TYPE_CHECKING, Any

from django.utils.functional import LazyObject, empty

from .models import AuditAction, AuditEvent, AuditResult

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from django.http import HttpRequest

    from content_types.roles.models import RoleAssignment

CONFIG = "站点配置"

_current_request: ContextVar[HttpRequest | None] = ContextVar("audited_request", default=None)


@contextmanager
def current_request_is(request: HttpRequest) -> Iterator[None]:
    """Set by ``access_audit.AuditMiddleware`` around each request."""
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


def current_request() -> HttpRequest | None:
    """The request being served, for events written where Django passes none."""
    return _current_request.get()


def client_address(request: HttpRequest) -> str | None:
    """The address the connection came from, as the voting throttle reads it (a proxy must pass
    the client's address as REMOTE_ADDR); none for a request made in code, such as a test's
    forced sign-in, which PostgreSQL's address column could not store as text."""
    address = request.META.get("REMOTE_ADDR") or None
    try:
        return str(ip_address(address)) if address else None
    except ValueError:  # a misconfigured proxy's value would fail the address column
        return None


def unwrapped(user: Any) -> Any:
    """The user model instance behind ``request.user``'s lazy wrappers (one per middleware)."""
    while isinstance(user, LazyObject):
        # Django's own way to reach behind a LazyObject (as its __getattr__ does).
        wrapper: Any = user
        if wrapper._wrapped is empty:  # noqa: SLF001
            wrapper._setup()  # noqa: SLF001
        user = wrapper._wrapped  # noqa: SLF001
    return user


def record(
    action: AuditAction,
    *,
    request: HttpRequest | None = None,
    user: Any = None,
    username: str = "",
    result: AuditResult = AuditResult.SUCCESS,
    scope: Any = None,
    description: str = "",
    **details: Any,
) -> AuditEvent:
    """Write one event. ``user`` defaults to the request's signed-in user; ``username`` names
    an account that is not one (a failed sign-in's attempted name, or "站点配置")."""
    event = _event(
        action,
        request=request,
        user=user,
        username=username,
        result=result,
        scope=scope,
        description=description,
        **details,
    )
    event.save()
    return event


def _event(
    action: AuditAction,
    *,
    request: HttpRequest | None,
    user: Any,
    username: str,
    result: AuditResult,
    scope: Any,
    description: str,
    **details: Any,
) -> AuditEvent:
    if user is None and request is not None and request.user.is_authenticated:
        user = unwrapped(request.user)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditEvent(
        user=user,
        username=(user.get_username() if user is not None else username)[:150],
        client_address=client_address(request) if request is not None else None,
        action=action,
        result=result,
        description=(description or AuditAction(action).label)[:255],
        scope=scope,
        details=details,
    )


class RecordedExportMixin:
    """For an admin listing (Wagtail's ``SpreadsheetExportMixin``) whose spreadsheet names
    people: each download is an audit event, saying what and how many rows."""

    export_subject = ""

    def as_spreadsheet(self, queryset: Any, spreadsheet_format: str) -> Any:
        rows = len(queryset) if isinstance(queryset, list) else queryset.count()
        record(
            AuditAction.PERSONAL_DATA_EXPORT,
            request=self.request,  # type: ignore[attr-defined]
            description=f"导出{self.export_subject}（{spreadsheet_format.upper()}，{rows} 行）",
            format=spreadsheet_format,
            rows=rows,
            filters=self.request.GET.urlencode(),  # type: ignore[attr-defined]
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)  # type: ignore[misc]


def record_role_changes(
    assignments: Iterable[RoleAssignment], granted: bool, *, scope_gone: bool = False
) -> None:
    """Roles change only through the site configuration (or code), with no request to name who
    acted: each event names the configuration and the holder. ``scope_gone`` when the scope
    page is being deleted, which the events must not point at. One insert for them all, as an
    apply grants a street's roles at once."""
    verb = "授予" if granted else "撤销"
    AuditEvent.objects.bulk_create(
        [
            _event(
                AuditAction.ROLE_GRANT if granted else AuditAction.ROLE_REMOVE,
                request=None,
                user=None,
                username=CONFIG if assignment.managed_by_config else "",
                result=AuditResult.SUCCESS,
                scope=None if scope_gone else assignment.scope,
                description=(
                    f"{CONFIG if assignment.managed_by_config else ''}{verb}"
                    f"“{assignment.user.get_username()}”{assignment.get_role_display()}"
                    f"（{(None if scope_gone else assignment.scope.title) or '范围已删除'}）"
                ),
                holder=assignment.user.get_username(),
                role=assignment.role,
            )
            for assignment in assignments
        ]
    )
