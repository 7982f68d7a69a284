"""At sign-in, note in the session whether the password must be changed first."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest

from .middleware import CHANGE_REQUIRED
from .models import password_change_required


def note_required_change(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    reason = password_change_required(user)
    if reason:
        request.session[CHANGE_REQUIRED] = reason
    else:
        request.session.pop(CHANGE_REQUIRED, None)


def register() -> None:
    user_logged_in.connect(note_required_change, dispatch_uid="weizhi_password_change_required")
