"""Admin wiring of reports: the viewset, its audit-log actions, the dashboard panel."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from django.shortcuts import redirect
from django.utils import timezone
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet

from content_types.roles.permissions import ALL_ACTIONS, scope_policy_for
from content_types.roles.scope import is_active_superuser, scope_roles_for

from .admin_views import ReportViewSet, url_of
from .dues import OPEN_STATES, dues_for
from .models import REPORTER_ROLES, Report, ReportStatus
from .services import LOG_ACTIONS, may_write

if TYPE_CHECKING:
    import datetime

    from django.http import HttpRequest, HttpResponse
    from wagtail.log_actions import LogActionRegistry

PANEL_ROWS = 20

register_snippet(ReportViewSet)


@hooks.register("before_delete_snippet")
def keep_handed_in_reports(request: HttpRequest, instances: Any) -> HttpResponse | None:
    """Only a draft goes, by its writers: the bulk delete asks here as the delete view does."""
    if not isinstance(instances, list | tuple):
        instances = [instances]
    for report in instances:
        if isinstance(report, Report) and not (
            report.status == ReportStatus.DRAFT and may_write(request.user, report)
        ):
            messages.error(request, f"“{report}”不能删除：只有撰写人可以删除尚未提交的报告草稿。")
            return redirect(url_of("list"))
    return None


@hooks.register("register_log_actions")
def register_report_actions(actions: LogActionRegistry) -> None:
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)


class ReportsPanel(Component):
    """工作报告: the reports of the periods now asked for in the user's compounds, overdue first
    (the offices see every reporter's, a reporter their own role's): four queries."""

    name = "reports"
    order = 112
    template_name = "reports/panels/reports.html"

    def __init__(self, user: Any, today: datetime.date) -> None:
        self.user = user
        self.today = today

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        dues = dues_for(self.user, self.today)
        counts = Counter(due.state for due in dues)
        waiting = sorted(
            (due for due in dues if due.state in OPEN_STATES),
            key=lambda due: (OPEN_STATES.index(due.state), due.compound.path, due.schedule.code),
        )
        writer = is_active_superuser(self.user) or any(
            held & set(REPORTER_ROLES) for _kind, held in scope_roles_for(self.user).values()
        )
        return {
            "counts": counts,
            "rows": waiting[:PANEL_ROWS],
            "more": max(len(waiting) - PANEL_ROWS, 0),
            "index_url": url_of("list"),
            "start_url": url_of("add"),
            "inspect_url_name": Report.snippet_viewset.get_url_name("inspect"),
            "may_write": writer,
        }


@hooks.register("construct_homepage_panels")
def add_reports_panel(request: HttpRequest, panels: list[Component]) -> None:
    if scope_policy_for(Report).user_has_any_permission(request.user, ALL_ACTIONS):
        panels.append(ReportsPanel(request.user, timezone.localdate()))
