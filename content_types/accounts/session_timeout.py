"""Signing out idle and old sessions (等保 身份鉴别: 登录连接超时自动退出).

The session keeps when it signed in and when it was last used. The last-use time is written
at most once a minute, so that a busy admin page does not write its session on every request.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "weizhi_signed_in_at"
LAST_USED_AT = "weizhi_last_used_at"
WRITE_EVERY_SECONDS = 60


def stamp_sign_in(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """At sign-in (``signal_handlers``): both clocks start."""
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_USED_AT] = now


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    @staticmethod
    def check(request: HttpRequest) -> None:
        session = request.session
        now = time.time()
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        last_used_at = session.get(LAST_USED_AT, now)
        idle = settings.WEIZHI_SESSION_IDLE_MINUTES * 60
        lifetime = settings.WEIZHI_SESSION_MAX_HOURS * 3600
        if now - last_used_at > idle or now - signed_in_at > lifetime:
            logout(request)
            reason = (
                f"{settings.WEIZHI_SESSION_IDLE_MINUTES} 分钟未操作"
                if now - last_used_at > idle
                else f"登录已满 {settings.WEIZHI_SESSION_MAX_HOURS} 小时"
            )
            messages.warning(request, f"{reason}，已自动退出登录，请重新登录。")
            return
        if LAST_USED_AT not in session or now - last_used_at >= WRITE_EVERY_SECONDS:
            session[LAST_USED_AT] = now
