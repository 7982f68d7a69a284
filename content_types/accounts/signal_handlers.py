"""At sign-in, note whose the session is and whether the password must be changed first;
when a role is taken away, end its holder's sessions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_delete
from django.http import HttpRequest

from content_types.roles.models import RoleAssignment

from .middleware import CHANGE_REQUIRED, SECOND_FACTOR
from .models import UserSession, end_sessions_of, password_change_required
from .two_factor import second_factor_due


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


def register() -> None:
    user_logged_in.connect(note_steps_due, dispatch_uid="weizhi_steps_due_at_sign_in")
    user_logged_in.connect(record_session, dispatch_uid="weizhi_record_session")
    user_logged_out.connect(forget_session, dispatch_uid="weizhi_forget_session")
    post_delete.connect(
        end_sessions_of_former_holder, sender=RoleAssignment, dispatch_uid="weizhi_end_sessions"
    )
