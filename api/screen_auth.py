"""Screen tokens: which registered screen asks, and what the screen feeds let it read.

The token goes in ``Authorization: Screen <token>`` or ``?token=``. An unknown or revoked
token is refused on any query, so a decommissioned screen goes dark at once.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import shared_cache
from .refusals import RequestRefused

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import Screen
    from .root_fields import RootField

# The root fields only a registered screen may ask for: a compound's feed and a community's.
SCREEN_FEED_FIELDS = frozenset({"screenFeed", "communityScreenFeed"})
AUTHORIZATION = re.compile(r"^\s*Screen\s+(\S+)\s*$", re.IGNORECASE)


def screen_of(request: HttpRequest) -> Screen | None:
    """The screen whose token the request carries; None without one; refused if it is bad."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    token = ""
    # Other schemes (a proxy's Basic auth) are not ours to judge.
    if header.strip().lower().startswith("screen"):
        match = AUTHORIZATION.match(header)
        if match is None:
            raise RequestRefused(
                "无法识别的 Authorization 请求头：公开屏令牌应以“Screen <令牌>”的格式发送。",
                status=401,
                code="BAD_TOKEN",
            )
        token = match.group(1)
    token = token or request.GET.get("token", "").strip()
    if not token:
        return None
    screen = shared_cache.screen_for(token)  # also records the visit, once a minute
    if screen is None:
        raise RequestRefused(
            "公开屏令牌无效：请核对令牌，或在后台“公开屏”中重新生成。", status=401, code="BAD_TOKEN"
        )
    if screen.is_revoked:
        raise RequestRefused(
            "该公开屏令牌已被吊销，不能再读取数据。", status=401, code="REVOKED_TOKEN"
        )
    return screen


def check_screen_feed(fields: list[RootField], screen: Screen | None) -> None:
    """Refuse a screen feed without a screen token, or for a scope beyond the token's."""
    for field in fields:
        if field.name not in SCREEN_FEED_FIELDS:
            continue
        if screen is None:
            raise RequestRefused(
                "读取公开屏数据需要公开屏令牌：请在后台“公开屏”中登记屏幕，"
                "并以“Authorization: Screen <令牌>”请求头发送。",
                status=401,
                code="TOKEN_REQUIRED",
            )
        if field.pages == []:
            raise RequestRefused(
                "未找到要读取的社区或小区，请核对查询变量。", status=400, code="SCOPE_NOT_FOUND"
            )
        beyond = [page for page in field.pages or () if not screen.covers(page)]
        if beyond:
            raise RequestRefused(
                f"该公开屏只能读取“{screen.scope.title}”范围内的内容，"
                f"不能读取“{beyond[0].title}”。",
                status=403,
                code="OUT_OF_SCOPE",
            )
