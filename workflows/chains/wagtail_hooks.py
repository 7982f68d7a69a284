"""The reviewer's side of the admin: what waits on them and what they were told."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import Task, WorkflowState

from content_types.expenditures.usage_reports import awaiting_usage_report, for_user
from content_types.roles.models import Role
from content_types.roles.scope import holds_any_role, is_active_superuser
from core.requests import admin_user

from . import history  # noqa: F401  (registers the 审核历程 view and its buttons)
from .outbox import Notification
from .review_queue import review_queue

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from wagtail.models import Page

PANEL_SIZE = 10
# Where Wagtail's listings keep each page's active workflow states (``prefetch_workflow_states``).
WORKFLOW_STATES_ATTR = "_current_workflow_states"


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
    if is_active_superuser(user) or holds_any_role(user, Role.USAGE_REPORTERS):
        panels.append(UsageReportsPanel(request))


@hooks.register("register_log_actions")
def register_chain_log_actions(actions: Any) -> None:
    actions.register_action("chains.joint_meeting_sign", "三方联席会议签署", "三方联席会议签署")


@hooks.register("construct_explorer_page_queryset")
def explorer_reads_each_step_once(
    parent_page: Any, pages: QuerySet[Page], request: HttpRequest
) -> QuerySet[Page]:
    """Each row in review asks its step whether it locks the page (Wagtail's ``get_lock``), which
    loads the step's own subclass with a query per row; read them with the states, at once."""
    lookups = list(pages._prefetch_related_lookups)  # type: ignore[attr-defined]  # noqa: SLF001
    found = [
        n
        for n, lookup in enumerate(lookups)
        if isinstance(lookup, Prefetch) and lookup.to_attr == WORKFLOW_STATES_ATTR
    ]
    if not found:
        return pages
    wagtails = lookups[found[0]]
    states = (
        WorkflowState.objects.active()
        .select_related("current_task_state")
        .prefetch_related(Prefetch("current_task_state__task", queryset=Task.objects.specific()))
    )
    lookups[found[0]] = Prefetch(
        wagtails.prefetch_through, queryset=states, to_attr=WORKFLOW_STATES_ATTR
    )
    return pages.prefetch_related(None).prefetch_related(*lookups)
