"""Admin wiring of audits: the scoped snippet viewset, the override view, the dashboard panel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Q
from django.urls import path
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from content_types.roles.permissions import ALL_ACTIONS, scope_policy_for
from content_types.roles.viewsets import CompoundScopedSnippetViewSet
from core.formula_safe import FormulaSafeCsvMixin

from .filters import AuditFilterSet
from .forms import AuditForm
from .models import UNREPORTED_STATUSES, Audit, AuditQuerySet, AuditStatus, FindingStatus
from .views import AuditEditView, AuditInspectView, ElectionOverrideView

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest
    from django.urls import URLPattern
    from wagtail.log_actions import LogActionRegistry

PANEL_ROWS = 10

LOG_ACTIONS = {"audits.election_override": "街道微治办准许开启换届选举"}


class OverdueColumn(Column):
    def get_value(self, instance: Audit) -> str:
        return "已逾期" if instance.is_overdue() else ""


class AuditIndexView(FormulaSafeCsvMixin, SnippetViewSet.index_view_class):
    """Auditors' names and findings are typed by people: a CSV cell never runs as a formula."""


class AuditViewSet(CompoundScopedSnippetViewSet):
    model = Audit
    index_view_class = AuditIndexView
    icon = "doc-full"
    menu_label = "审计"
    menu_order = 240
    add_to_admin_menu = True
    inspect_view_enabled = True
    inspect_view_class = AuditInspectView
    edit_handler = ObjectList(Audit.panels, base_form_class=AuditForm)
    edit_view_class = AuditEditView
    list_display = [
        "__str__",
        "compound",
        Column("kind", label="审计类型", accessor="get_kind_display"),
        "auditor",
        Column("status", label="状态", accessor="get_status_display"),
        "due_on",
        OverdueColumn("overdue", label="逾期"),
        Column("open_finding_count", label="未整改问题"),
    ]
    list_export = [
        "number",
        "compound",
        "committee",
        "kind",
        "period_label",
        "auditor",
        "status",
        "due_on",
        "reported_on",
        "open_finding_count",
        "findings_amount",
    ]
    export_filename = "审计"
    inspect_view_fields = [
        "compound",
        "committee",
        "kind",
        "period_label",
        "auditor",
        "auditor_kind",
        "status",
        "planned_on",
        "due_on",
        "reported_on",
        "conclusion",
        "report",
        "findings",
        "findings_amount",
        "election_override_reason",
        "election_override_at",
    ]
    filterset_class = AuditFilterSet
    search_fields = ["compound__title", "auditor", "findings__title"]
    search_backend_name = None

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super().get_queryset(request).select_related("committee").prefetch_related("findings")
        )

    def get_edit_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_edit_view_kwargs(
            override_url_name=self.get_url_name("election_override"), **kwargs
        )

    def get_urlpatterns(self) -> list[URLPattern]:
        # Not a ``*_view_class``: it checks the user's reach and role itself.
        override = self.construct_view(
            ElectionOverrideView, edit_url_name=self.get_url_name("edit")
        )
        return [
            *super().get_urlpatterns(),
            path("election-override/<str:pk>/", override, name="election_override"),
        ]


register_snippet(AuditViewSet)


@hooks.register("register_log_actions")
def register_audit_log_actions(actions: LogActionRegistry) -> None:
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)


class AuditsPanel(Component):
    """Counts and overdue audits in the user's compounds: two queries, however many audits."""

    name = "audits"
    order = 115
    template_name = "audits/panels/audits.html"

    def __init__(self, user: Any) -> None:
        self.user = user

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        today = timezone.localdate()
        reachable = cast(
            "AuditQuerySet",
            scope_policy_for(Audit).instances_user_has_any_permission_for(self.user, ALL_ACTIONS),
        )
        counts = reachable.aggregate(
            planned=Count("pk", filter=Q(status=AuditStatus.PLANNED), distinct=True),
            in_progress=Count("pk", filter=Q(status=AuditStatus.IN_PROGRESS), distinct=True),
            overdue_count=Count(
                "pk", filter=Q(status__in=UNREPORTED_STATUSES, due_on__lt=today), distinct=True
            ),
            open_findings=Count(
                "findings", filter=Q(findings__status=FindingStatus.OPEN), distinct=True
            ),
        )
        overdue = list(
            reachable.overdue(today)
            .select_related("compound")
            .order_by("due_on", "pk")[: PANEL_ROWS + 1]
        )
        return {
            **counts,
            "overdue": overdue[:PANEL_ROWS],
            "overdue_more": len(overdue) > PANEL_ROWS,
            "edit_url_name": Audit.snippet_viewset.get_url_name("edit"),
            "list_url_name": Audit.snippet_viewset.get_url_name("list"),
        }


@hooks.register("construct_homepage_panels")
def add_audits_panel(request: HttpRequest, panels: list[Component]) -> None:
    if scope_policy_for(Audit).user_has_any_permission(request.user, ALL_ACTIONS):
        panels.append(AuditsPanel(request.user))
