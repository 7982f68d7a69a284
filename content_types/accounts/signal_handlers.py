"""At sign-in, note whose the session is and whether the password must be changed first;
when a role is taken away, end its holder's sessions. Each of these, and failed sign-ins and
lockouts, goes into the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page

from content_types.roles.models import RoleAssignment

from .audit import record, record_role_changes
from .middleware import CHANGE_REQUIRED, SECOND_FACTOR
from .models import AuditAction, AuditResult, UserSession, end_sessions_of, password_change_required
from .session_timeout import stamp_sign_in
from .two_factor import second_factor_due

if TYPE_CHECKING:
    from django.http import HttpRequest


def note_steps_due(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    for key, due in (
        (CHANGE_REQUIRED, password_change_required(user)),
        (SECOND_FACTOR, second_factor_due(user)),
    ):
        if due:
            request.session[key] = due
        else:
            request.session.pop(key, None)


def record_session(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if not request.session.session_key:
        request.session.save()
    UserSession.objects.get_or_create(
        session_key=request.session.session_key, defaults={"user": user}
    )


def forget_session(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    if request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


def end_sessions_of_former_holder(sender: Any, instance: RoleAssignment, **kwargs: Any) -> None:
    end_sessions_of(instance.user_id)


def record_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(AuditAction.SIGN_IN, request=request, user=user)


def record_sign_out(sender: Any, request: HttpRequest, user: Any = None, **kwargs: Any) -> None:
    record(AuditAction.SIGN_OUT, request=request, user=user)


def record_sign_in_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username") or "")
    record(
        AuditAction.SIGN_IN_FAILED,
        request=request,
        username=username,
        result=AuditResult.FAILURE,
        description=f"以“{username}”登录失败",
    )


def record_lockout(
    sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any
) -> None:
    record(
        AuditAction.LOCKOUT,
        request=request,
        username=username or "",
        result=AuditResult.DENIED,
        description=f"连续登录失败，账号“{username or ''}”或其登录地址被锁定",
    )


def record_role_grant(
    sender: Any, instance: RoleAssignment, created: bool = False, **kwargs: Any
) -> None:
    if created:
        record_role_changes([instance], True)


def record_role_removal(
    sender: Any, instance: RoleAssignment, origin: Any = None, **kwargs: Any
) -> None:
    # Removed along with its scope page, the event must not point at the page being deleted.
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    record_role_changes([instance], False, scope_gone=issubclass(model, Page))


def register() -> None:
    user_logged_in.connect(record_sign_in, dispatch_uid="weizhi_audit_sign_in")
    user_logged_out.connect(record_sign_out, dispatch_uid="weizhi_audit_sign_out")
    user_login_failed.connect(record_sign_in_failure, dispatch_uid="weizhi_audit_sign_in_failure")
    user_locked_out.connect(record_lockout, dispatch_uid="weizhi_audit_lockout")
    post_save.connect(record_role_grant, sender=RoleAssignment, dispatch_uid="weizhi_audit_grant")
    post_delete.connect(
        record_role_removal, sender=RoleAssignment, dispatch_uid="weizhi_audit_removal"
    )
    user_logged_in.connect(stamp_sign_in, dispatch_uid="weizhi_session_timeout")
    user_logged_in.connect(note_steps_due, dispatch_uid="weizhi_steps_due_at_sign_in")
    user_logged_in.connect(record_session, dispatch_uid="weizhi_record_session")
    user_logged_out.connect(forget_session, dispatch_uid="weizhi_forget_session")
    post_delete.connect(
        end_sessions_of_former_holder, sender=RoleAssignment, dispatch_uid="weizhi_end_sessions"
    )
