"""What an admin request carries, typed as the admin guarantees it."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.http import HttpRequest


def admin_user(request: HttpRequest) -> AbstractBaseUser:
    """The signed-in user of an admin request: Wagtail lets no one else reach the admin."""
    return cast("AbstractBaseUser", request.user)
