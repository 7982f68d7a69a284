"""Keeps a signed-in user at the step still due: a second factor, then a password change.

What is due is noted in the session at sign-in (``signal_handlers``), so the admin's other
requests cost no query; only a flagged session looks the account up again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from .models import password_change_required

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse

CHANGE_REQUIRED = "weizhi_password_change_required"
SECOND_FACTOR = "weizhi_second_factor"  # "verify" or "enrol", until done
SECOND_FACTOR_URL_NAMES = {
    "verify": "weizhi_two_factor_verify",
    "enrol": "weizhi_two_factor_enrol",
}


# Open to a user with a step still due: signing in and out, and what every admin page loads
# (its icons and translations), which would otherwise be answered with the step's page.
ALWAYS_OPEN = (
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
)


def _in_admin(request: HttpRequest, *allowed: str) -> bool:
    """An admin address other than ``allowed`` and those always open."""
    open_ = {reverse(name) for name in (*ALWAYS_OPEN, *allowed)}
    return request.path.startswith(reverse("wagtailadmin_home")) and request.path not in open_


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        due = request.session.get(SECOND_FACTOR)
        if due and request.user.is_authenticated:
            if request.user.is_verified():  # type: ignore[attr-defined]  # django-otp's
                del request.session[SECOND_FACTOR]
            elif _in_admin(request, SECOND_FACTOR_URL_NAMES[due]):
                if due == "enrol":
                    messages.warning(request, "您的角色须启用两步验证，请先用手机验证器完成设置。")
                return redirect(f"{reverse(SECOND_FACTOR_URL_NAMES[due])}?next={request.path}")
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if CHANGE_REQUIRED in request.session and request.user.is_authenticated:
            reason = password_change_required(request.user)
            if not reason:
                del request.session[CHANGE_REQUIRED]
            elif _in_admin(request, "wagtailadmin_account"):
                messages.warning(request, reason)
                return redirect("wagtailadmin_account")
        return self.get_response(request)
