"""Admin wiring of cases: the viewset, its menu (the user's queue first), the dashboard panel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.permissions import register_permission_policy

from content_types.roles.permissions import ALL_ACTIONS, scope_policy_for

from .admin_views import CaseViewSet, cases_for
from .filters import waiting_for
from .models import OPEN_STATUSES, Case, CaseStatus

if TYPE_CHECKING:
    from django.http import HttpRequest

PANEL_ROWS = 10

register_permission_policy(Case, scope_policy_for(Case))


@hooks.register("register_admin_viewset")
def register_case_viewset() -> CaseViewSet:
    return CaseViewSet()


class CaseMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return scope_policy_for(Case).user_has_any_permission(request.user, ALL_ACTIONS)


class CaseSubmenu(SubmenuMenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return scope_policy_for(Case).user_has_any_permission(request.user, ALL_ACTIONS)


@hooks.register("register_admin_menu_item")
def register_case_menu() -> SubmenuMenuItem:
    items = [
        CaseMenuItem(
            "待我处理", reverse("cases:index") + "?waiting=true", icon_name="tasks", order=1
        ),
        CaseMenuItem("全部事件", reverse("cases:index"), icon_name="list-ul", order=2),
        CaseMenuItem("登记事件", reverse("cases:add"), icon_name="plus", order=3),
    ]
    return CaseSubmenu("诉求与事件", Menu(items=items), icon_name="warning", order=235)


class CasesPanel(Component):
    """Counts and overdue cases in the user's scope: two queries, however many cases."""

    name = "cases"
    order = 110
    template_name = "cases/panels/cases.html"

    def __init__(self, user: Any) -> None:
        self.user = user

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        now = timezone.now()
        reachable = cases_for(self.user)
        counts = reachable.aggregate(
            waiting=Count("pk", filter=waiting_for(self.user)),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue_count=Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline_at__lt=now)),
            resolved=Count("pk", filter=Q(status=CaseStatus.RESOLVED)),
        )
        overdue = list(
            reachable.overdue(now).select_related("scope").order_by("deadline_at")[: PANEL_ROWS + 1]
        )
        return {
            **counts,
            "overdue": overdue[:PANEL_ROWS],
            "overdue_more": len(overdue) > PANEL_ROWS,
        }


@hooks.register("construct_homepage_panels")
def add_cases_panel(request: HttpRequest, panels: list[Component]) -> None:
    if scope_policy_for(Case).user_has_any_permission(request.user, ALL_ACTIONS):
        panels.append(CasesPanel(request.user))
