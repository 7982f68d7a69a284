"""审核历程: every step an item took through its chains, as one timeline, from the audit log.

Wagtail's own workflow history shows one submission at a time, page by page
of revisions and task states (its query count grows with the steps), and has
no place for a vote's tally. This reads the audit log once: who did what,
when, at which step, with which comment (and tally, where the entry has one),
for pages and for snippets alike, and only for users who may reach the item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import registry as log_registry
from wagtail.models import BaseLogEntry, Page, WorkflowMixin
from wagtail.permissions import policy_registry

from content_types.roles.permissions import ALL_ACTIONS, ScopedPermissionPolicy

from .steps.joint_meeting import Party

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AbstractBaseUser

# What each logged action means to the people in the chain.
ACTION_LABELS: dict[str, str] = {
    "wagtail.workflow.start": "提交审核",
    "wagtail.workflow.approve": "审核通过",
    "wagtail.workflow.reject": "退回修改",
    "wagtail.workflow.resume": "修改后重新提交",
    "wagtail.workflow.cancel": "撤回审核",
    "wagtail.publish": "发布",
    "wagtail.publish.scheduled": "定时发布",
    "wagtail.unpublish": "取消发布",
    "wagtail.unpublish.scheduled": "到期下线",
    "chains.joint_meeting_sign": "三方联席会议签署",
}
DECISIONS: dict[str, str] = {
    "wagtail.workflow.approve": "通过",
    "wagtail.workflow.reject": "退回",
    "chains.joint_meeting_sign": "同意",
}
PARTY_LABELS: dict[str, str] = dict(Party.choices)
SYSTEM_ACTOR = "系统"


@dataclass(frozen=True)
class TimelineEntry:
    """One step of an item's history, as the timeline shows it."""

    timestamp: datetime
    actor: str
    action: str
    label: str
    chain: str
    step: str
    next_step: str
    decision: str
    comment: str
    tally: str
    party: str


def tally_text(tally: Any) -> str:
    """A tally stored in a log entry's data, as a line of text."""
    if not tally:
        return ""
    if isinstance(tally, dict):
        return "；".join(f"{key}：{value}" for key, value in tally.items())
    if isinstance(tally, list | tuple):
        return "；".join(str(part) for part in tally)
    return str(tally)


def chain_log_entries(obj: Any) -> QuerySet[BaseLogEntry]:
    """The chain-related audit entries of ``obj``, oldest first, in one query."""
    return (
        log_registry.get_logs_for_instance(obj)
        .filter(Q(action__in=ACTION_LABELS) | Q(action__startswith="wagtail.workflow."))
        .select_related("user")
        .order_by("timestamp", "pk")
    )


def _actor(entry: BaseLogEntry) -> str:
    if entry.user_id is None:
        return SYSTEM_ACTOR
    if entry.user is None:  # the user has since been deleted
        return entry.user_display_name
    return entry.user.get_full_name() or entry.user.get_username()


def to_timeline_entry(entry: BaseLogEntry) -> TimelineEntry:
    data = entry.data or {}
    workflow = data.get("workflow") or {}
    task = workflow.get("task") or {}
    following = workflow.get("next") or {}
    return TimelineEntry(
        timestamp=entry.timestamp,
        actor=_actor(entry),
        action=entry.action,
        label=ACTION_LABELS.get(entry.action) or str(log_registry.get_action_label(entry.action)),
        chain=workflow.get("title", ""),
        step=task.get("title", ""),
        next_step=following.get("title", ""),
        decision=DECISIONS.get(entry.action, ""),
        comment=data.get("comment") or "",
        tally=tally_text(data.get("tally")),
        party=PARTY_LABELS.get(data.get("party", ""), ""),
    )


def timeline(obj: Any) -> list[TimelineEntry]:
    return [to_timeline_entry(entry) for entry in chain_log_entries(obj)]


def user_may_see_history(user: AbstractBaseUser, obj: Any) -> bool:
    """Whoever may edit or review the item in its own scope; nobody outside it."""
    if isinstance(obj, Page):
        return obj.permissions_for_user(user).can_edit()
    policy = policy_registry.get_by_type(type(obj))
    if isinstance(policy, ScopedPermissionPolicy):
        return policy.user_has_any_permission_for_instance(user, ALL_ACTIONS, obj)
    return policy.user_has_any_permission_for_instance(
        user, ["add", "change", "delete", "view", "publish"], obj
    )


def history_url(obj: Any) -> str:
    if isinstance(obj, Page):
        return reverse("weizhi_chain_history_page", args=[obj.pk])
    meta = obj._meta
    return reverse(
        "weizhi_chain_history_snippet", args=[meta.app_label, meta.model_name, quote(obj.pk)]
    )


class ChainHistoryView(WagtailAdminTemplateMixin, TemplateView):
    """The timeline of one page or snippet; 404 for anyone outside its scope."""

    template_name = "chains/history.html"
    page_title = "审核历程"
    header_icon = "history"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.object = self.find_object(**kwargs)
        if not request.user.is_authenticated or not user_may_see_history(request.user, self.object):
            raise Http404

    def find_object(
        self, pk: str, app_label: str | None = None, model_name: str | None = None
    ) -> Any:
        if app_label is None:
            model: type = Page
        else:
            try:
                model = apps.get_model(app_label, model_name)
            except LookupError as unknown:
                raise Http404 from unknown
            if not issubclass(model, WorkflowMixin) or issubclass(model, Page):
                raise Http404
        try:
            found = model._default_manager.filter(pk=unquote(pk)).first()  # type: ignore[attr-defined]
        except (ValueError, ValidationError) as malformed:
            raise Http404 from malformed
        if found is None:
            raise Http404
        return found.specific if isinstance(found, Page) else found

    def get_page_subtitle(self) -> str:
        return str(self.object)

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [
            *self.breadcrumbs_items,
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(object=self.object, entries=timeline(self.object))
        return context


@hooks.register("register_admin_urls")
def history_urls() -> list:
    return [
        path(
            "chains/history/page/<str:pk>/",
            ChainHistoryView.as_view(),
            name="weizhi_chain_history_page",
        ),
        path(
            "chains/history/<str:app_label>/<str:model_name>/<str:pk>/",
            ChainHistoryView.as_view(),
            name="weizhi_chain_history_snippet",
        ),
    ]


@hooks.register("register_page_header_buttons")
def page_history_button(page: Page, user: AbstractBaseUser, **kwargs: Any) -> list[Button]:
    return [Button("审核历程", url=history_url(page), icon_name="history", priority=60)]


@hooks.register("register_snippet_listing_buttons")
def snippet_history_button(snippet: Any, user: AbstractBaseUser, next_url: str = "") -> list:
    if not isinstance(snippet, WorkflowMixin):
        return []
    return [Button("审核历程", url=history_url(snippet), icon_name="history", priority=60)]
