"""Vote management in the admin: its URLs, its menu item and the audit-log actions it writes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import URLPattern, URLResolver, include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet

from content_types.roles.permissions import ALL_ACTIONS, scope_policy_for
from content_types.roles.viewsets import CompoundScopedSnippetViewSet

from . import admin_urls
from .models import Vote, VotePreReview

if TYPE_CHECKING:
    from django.http import HttpRequest
    from wagtail.log_actions import LogActionRegistry

LOG_ACTIONS = {
    "voting.open": "开启表决（冻结业主名册）",
    "voting.codes": "生成表决码",
    "voting.paper_entry": "录入纸质票（待复核）",
    "voting.paper_ballot": "纸质票双人录入一致，计入表决票",
    "voting.paper_void": "作废纸质票录入",
    "voting.close": "截止计票，公布初步结果",
    "voting.objection": "登记异议",
    "voting.objection_answer": "答复异议",
    "voting.finalise": "确认最终结果",
    "voting.election": "设定业委会选举的候选人和应选名额",
    "voting.committee_draft": "按选举结果拟定新一届业委会（待审核）",
    "voting.rerun": "发起重新表决",
    "voting.reminder": "发布楼栋表决提醒",
    "voting.pre_review": "提交社区前置审核（分级决策）",
}


class VotingMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return scope_policy_for(Vote).user_has_any_permission(request.user, ALL_ACTIONS)


@hooks.register("register_admin_urls")
def register_voting_admin_urls() -> list[URLPattern | URLResolver]:
    return [path("voting/", include(admin_urls, namespace="voting_admin"))]


@hooks.register("register_admin_menu_item")
def register_voting_menu_item() -> MenuItem:
    return VotingMenuItem(
        "业主大会表决", reverse_lazy("voting_admin:index"), icon_name="tasks", order=400
    )


@hooks.register("register_log_actions")
def register_voting_log_actions(actions: LogActionRegistry) -> None:
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)


class VotePreReviewViewSet(CompoundScopedSnippetViewSet):
    """The 前置审核 rows, for their reviewers; submitted from the vote's own page."""

    model = VotePreReview
    icon = "tasks"
    menu_label = "表决事项前置审核"
    add_to_admin_menu = False
    inspect_view_enabled = True
    inspect_view_fields = ["compound", "vote", "matter", "title", "description", "live"]
    list_display = ["__str__", "compound", "matter", Column("review_result", label="审核结果")]
    list_filter = ["live"]
    search_fields = ["title", "compound__title"]
    search_backend_name = None


register_snippet(VotePreReviewViewSet)
