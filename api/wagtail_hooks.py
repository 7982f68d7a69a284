"""Admin registration of public screens (公开屏) and their permission policy."""

from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import Screen
from .screen_admin import ScreenPermissionPolicy, ScreenViewSet

register_permission_policy(Screen, ScreenPermissionPolicy(Screen))


@hooks.register("register_admin_viewset")
def register_screen_viewset() -> ScreenViewSet:
    return ScreenViewSet()
