"""Admin customisation that belongs to no single subject: the worker status panel and the
street office's page of sign-in lockouts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, path, reverse_lazy
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.log_actions import LogActionRegistry

from .lockouts import LockoutsView, may_unlock, unlock
from .models import WorkerHeartbeat

STALE_AFTER = timedelta(minutes=5)


class WorkerStatusPanel(Component):
    """Tells the coordination office whether background work is running.

    Scheduled publishing, reminders and deadline flags all depend on the
    worker; a stopped worker is otherwise silent until a deadline is missed.
    """

    name = "worker_status"
    order = 50
    template_name = "cms/panels/worker_status.html"

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        heartbeat = WorkerHeartbeat.latest()
        return {
            "heartbeat": heartbeat,
            "is_stale": heartbeat is None or timezone.now() - heartbeat.last_seen_at > STALE_AFTER,
        }


@hooks.register("construct_homepage_panels")
def add_worker_status_panel(request: HttpRequest, panels: list[Component]) -> None:
    if request.user.is_superuser:
        panels.append(WorkerStatusPanel())


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return may_unlock(request.user)


@hooks.register("register_admin_urls")
def register_lockout_urls() -> list[URLPattern]:
    return [
        path("lockouts/", LockoutsView.as_view(), name="weizhi_lockouts"),
        path("lockouts/unlock/", unlock, name="weizhi_lockouts_unlock"),
    ]


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item() -> MenuItem:
    return LockoutsMenuItem(
        "登录锁定", reverse_lazy("weizhi_lockouts"), icon_name="lock", order=900
    )


@hooks.register("register_log_actions")
def register_lockout_log_actions(actions: LogActionRegistry) -> None:
    actions.register_action("weizhi.login_unlock", "解除登录锁定", "解除登录锁定")
