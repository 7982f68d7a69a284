"""Admin registration of public screens (公开屏) and their permission policy."""

from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from content_types.roles.permissions import scope_policy_for

from .models import Screen
from .screen_admin import ScreenViewSet

register_permission_policy(Screen, scope_policy_for(Screen))


@hooks.register("register_admin_viewset")
def register_screen_viewset() -> ScreenViewSet:
    return ScreenViewSet()
