"""The evaluation admin's URLs, its menu and its audit-log action."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import URLPattern, URLResolver, include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from content_types.roles.permissions import is_street_office

from . import admin_urls
from .admin_views import has_any_role

if TYPE_CHECKING:
    from django.http import HttpRequest
    from wagtail.log_actions import LogActionRegistry


class RoleMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return has_any_role(request.user)


class StreetMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return is_street_office(request.user)


class EvaluationSubmenu(SubmenuMenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return has_any_role(request.user)


@hooks.register("register_admin_urls")
def register_evaluation_admin_urls() -> list[URLPattern | URLResolver]:
    return [path("evaluations/", include(admin_urls, namespace="evaluations_admin"))]


@hooks.register("register_admin_menu_item")
def register_evaluation_menu() -> SubmenuMenuItem:
    items = [
        RoleMenuItem(
            "得分与排名", reverse_lazy("evaluations_admin:scores"), icon_name="pick", order=1
        ),
        RoleMenuItem(
            "物业服务评价", reverse_lazy("evaluations_admin:evaluations"), icon_name="edit", order=2
        ),
        StreetMenuItem(
            "测评期", reverse_lazy("evaluations_admin:periods"), icon_name="date", order=3
        ),
    ]
    return EvaluationSubmenu("物业服务测评", Menu(items=items), icon_name="pick", order=405)


@hooks.register("register_log_actions")
def register_evaluation_log_actions(actions: LogActionRegistry) -> None:
    label = "结束测评期，计算并公布物业服务得分"
    actions.register_action("evaluations.close", label, label)
