"""Admin for the annual task list, and the overdue tasks on the coordination offices' dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from content_types.roles.models import Role
from content_types.roles.scope import is_active_superuser, scope_pages_for

from .filters import GovernanceTaskFilterSet
from .models import GovernanceTask

if TYPE_CHECKING:
    import datetime

    from django.http import HttpRequest


class GovernanceTaskViewSet(SnippetViewSet):
    model = GovernanceTask
    icon = "list-ol"
    menu_label = "年度任务清单"
    menu_order = 240
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 50
    list_display = [
        "__str__",
        "area",
        "responsible_offices",
        Column("deadline_display", label="完成时限", sort_key="deadline_month"),
        "status",
        BooleanColumn("overdue", label="已逾期", accessor=lambda task: task.is_overdue()),
    ]
    inspect_view_fields = [
        "number",
        "area",
        "key_task",
        "measure",
        "responsible_offices",
        "deadline_month",
        "is_long_term",
        "status",
        "progress_notes",
    ]
    filterset_class = GovernanceTaskFilterSet
    search_fields = ["key_task", "measure", "responsible_offices", "progress_notes"]
    search_backend_name = None

    def get_queryset(self, request: HttpRequest) -> Any:
        return GovernanceTask.objects.select_related("latest_revision")


register_snippet(GovernanceTaskViewSet)


class OverdueTasksPanel(Component):
    """Annual tasks past their deadline month and not done: one query, however many."""

    name = "overdue_governance_tasks"
    order = 130
    template_name = "governance_tasks/panels/overdue_tasks.html"

    def __init__(self, today: datetime.date) -> None:
        self.today = today

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {"tasks": list(GovernanceTask.objects.overdue(self.today))}


@hooks.register("construct_homepage_panels")
def add_overdue_tasks_panel(request: HttpRequest, panels: list[Component]) -> None:
    user = request.user
    if is_active_superuser(user) or scope_pages_for(user, Role.COORDINATION_OFFICES).exists():
        panels.append(OverdueTasksPanel(timezone.localdate()))
