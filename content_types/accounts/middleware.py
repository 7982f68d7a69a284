"""Keeps a user who must change their password on the account page until they have.

Whether they must is noted in the session at sign-in (``signal_handlers``), so the admin's
other requests cost no query; only a flagged session looks the account up again.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

CHANGE_REQUIRED = "weizhi_password_change_required"
# What a user who must change their password may still open.
ALLOWED_URL_NAMES = ("wagtailadmin_account", "wagtailadmin_logout", "wagtailadmin_login")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if CHANGE_REQUIRED in request.session and request.user.is_authenticated:
            from .models import password_change_required

            reason = password_change_required(request.user)
            if not reason:
                del request.session[CHANGE_REQUIRED]
            elif request.path.startswith(reverse("wagtailadmin_home")) and request.path not in {
                reverse(name) for name in ALLOWED_URL_NAMES
            }:
                messages.warning(request, reason)
                return redirect("wagtailadmin_account")
        return self.get_response(request)
