"""The reviewer's side of the admin: what waits on them and what they were told."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.ui.components import Component

from content_types.expenditures.usage_reports import awaiting_usage_report, for_user
from content_types.roles.models import Role
from content_types.roles.scope import is_active_superuser, scope_pages_for
from core.requests import admin_user

from . import history  # noqa: F401  (registers the 审核历程 view and its buttons)
from .outbox import Notification
from .review_queue import review_queue

PANEL_SIZE = 10


class NotificationsPanel(Component):
    """Unread review notifications: what was submitted to me, approved or sent back."""

    name = "weizhi_notifications"
    order = 40
    template_name = "chains/panels/notifications.html"

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        unread = Notification.objects.filter(recipient_id=self.request.user.pk, read_at=None)
        return {
            "notifications": list(unread.order_by("-created_at")[:PANEL_SIZE]),
            "unread_count": unread.count(),
            "csrf_token": (parent_context or {}).get("csrf_token"),
        }


class ReviewQueuePanel(Component):
    """待我审核: the items waiting on this user's roles within their scope."""

    name = "weizhi_review_queue"
    order = 30
    template_name = "chains/panels/review_queue.html"

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {
            "items": review_queue(admin_user(self.request)),
            "csrf_token": (parent_context or {}).get("csrf_token"),
        }


@hooks.register("construct_homepage_panels")
def add_reviewer_panels(request: HttpRequest, panels: list[Component]) -> None:
    # Ours lists the same items as Wagtail's, in a fixed number of queries.
    panels[:] = [panel for panel in panels if panel.name != "workflow_objects_to_moderate"]
    panels.extend([ReviewQueuePanel(request), NotificationsPanel(request)])


@require_POST
def mark_notifications_read(request: HttpRequest) -> HttpResponse:
    unread = Notification.objects.filter(recipient_id=request.user.pk, read_at=None)
    unread.update(read_at=timezone.now())
    return HttpResponseRedirect(reverse("wagtailadmin_home"))


@hooks.register("register_admin_urls")
def register_notification_urls() -> list:
    return [
        path(
            "notifications/read/",
            mark_notifications_read,
            name="weizhi_notifications_read",
        )
    ]


class UsageReportsPanel(Component):
    """使用情况公开: approved proposals of the user's compounds still owing their usage report."""

    name = "weizhi_usage_reports"
    order = 35
    template_name = "chains/panels/usage_reports.html"

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        today = timezone.localdate()
        proposals = for_user(awaiting_usage_report(), admin_user(self.request))
        waiting = list(proposals[: PANEL_SIZE * 5])
        return {
            "overdue": [p for p in waiting if p.usage_report_due < today],
            "due": [p for p in waiting if p.usage_report_due >= today],
        }

    def render_html(self, parent_context: Any = None) -> str:
        context = self.get_context_data(parent_context)
        if not context["overdue"] and not context["due"]:
            return ""
        return super().render_html(parent_context)


@hooks.register("construct_homepage_panels")
def add_usage_report_panel(request: HttpRequest, panels: list[Component]) -> None:
    user = request.user
    if is_active_superuser(user) or scope_pages_for(user, Role.USAGE_REPORTERS).exists():
        panels.append(UsageReportsPanel(request))


@hooks.register("register_log_actions")
def register_chain_log_actions(actions: Any) -> None:
    actions.register_action("chains.joint_meeting_sign", "三方联席会议签署", "三方联席会议签署")
