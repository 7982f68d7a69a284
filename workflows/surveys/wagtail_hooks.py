"""Survey management in the admin: its URLs, its menu item and the audit-log actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import URLPattern, URLResolver, include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from content_types.evaluations.models import Survey
from content_types.roles.permissions import ALL_ACTIONS, scope_policy_for

from . import admin_urls

if TYPE_CHECKING:
    from django.http import HttpRequest
    from wagtail.log_actions import LogActionRegistry

LOG_ACTIONS = {
    "surveys.open": "开启满意度测评（冻结房屋名册）",
    "surveys.codes": "生成测评码",
    "surveys.answer": "业主网上填写测评",
    "surveys.paper_entry": "录入纸质问卷（待复核）",
    "surveys.paper_answer": "纸质问卷双人录入一致，计入答卷",
    "surveys.paper_void": "作废纸质问卷录入",
}


class SurveyMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return scope_policy_for(Survey).user_has_any_permission(request.user, ALL_ACTIONS)


@hooks.register("register_admin_urls")
def register_survey_admin_urls() -> list[URLPattern | URLResolver]:
    return [path("surveys/", include(admin_urls, namespace="surveys_admin"))]


@hooks.register("register_admin_menu_item")
def register_survey_menu_item() -> MenuItem:
    return SurveyMenuItem(
        "物业满意度测评", reverse_lazy("surveys_admin:index"), icon_name="list-ul", order=410
    )


@hooks.register("register_log_actions")
def register_survey_log_actions(actions: LogActionRegistry) -> None:
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)
