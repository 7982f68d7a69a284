"""The reviewer's side of the admin: what waits on them and what they were told."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.ui.components import Component

from .models import Notification
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
        unread = Notification.objects.filter(recipient=self.request.user, read_at=None)
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
            "items": review_queue(self.request.user),
            "csrf_token": (parent_context or {}).get("csrf_token"),
        }


@hooks.register("construct_homepage_panels")
def add_reviewer_panels(request: HttpRequest, panels: list[Component]) -> None:
    # Ours lists the same items as Wagtail's, in a fixed number of queries.
    panels[:] = [panel for panel in panels if panel.name != "workflow_objects_to_moderate"]
    panels.extend([ReviewQueuePanel(request), NotificationsPanel(request)])


@require_POST
def mark_notifications_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(recipient=request.user, read_at=None).update(read_at=timezone.now())
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
