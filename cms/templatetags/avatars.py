"""A person's initial, shown in the admin where Wagtail would show a profile picture.

Gravatar is off (no outside host) and nobody uploads a picture, so Wagtail's avatar would be
the same grey silhouette for everyone; the first character of the name tells people apart.
"""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

UNKNOWN = "?"


def initial_of(user: Any) -> str:
    """The first character of the user's name (for a Chinese name, the surname), or username."""
    if user is None:
        return UNKNOWN
    full_name = getattr(user, "get_full_name", lambda: "")() or ""
    for text in (full_name, getattr(user, "get_username", lambda: "")() or ""):
        if text.strip():
            return text.strip()[0].upper()
    return UNKNOWN


@register.filter
def initial(user: Any) -> str:
    return initial_of(user)
