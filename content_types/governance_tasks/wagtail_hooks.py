"""Admin for the annual task lists, the offices' progress, and the overdue tasks panel.

The list is confined by the access module (``OfficeOwnedPermissionPolicy`` through the
scoped snippet viewset): the street office reaches every task, the page roles read them,
and an office's users reach their own office's tasks, to read them and post progress, by
listing, chooser and URL alike. Progress is posted on the task's 进展 page, never through
the editor of the policy's columns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views import View
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.widgets.button import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from content_types.roles.models import Role
from content_types.roles.permissions import ALL_ACTIONS, scope_policy_for
from content_types.roles.scope import holds_any_role, is_active_superuser
from content_types.roles.viewsets import CompoundScopedSnippetViewSet
from core.formula_safe import FormulaSafeCsvMixin

from .filters import GovernanceTaskFilterSet
from .forms import CarryOverForm, ProgressForm
from .models import CommunityTaskStatus, GovernanceTask
from .progress import FINISHED, carry_over_year, history, record_update, year_progress

if TYPE_CHECKING:
    import datetime

    from django.http import HttpRequest, HttpResponse, HttpResponseBase


def task_policy() -> Any:
    return scope_policy_for(GovernanceTask)


def communities_to_update(user: Any) -> QuerySet:
    """The communities whose statuses ``user`` keeps (their 社区微治办, or the street office)."""
    return scope_policy_for(CommunityTaskStatus).scopes_user_has_any_permission_for(
        user, ["change"]
    )


def may_post_progress(user: Any, task: GovernanceTask) -> bool:
    if task.per_community:
        return communities_to_update(user).exists()
    return task_policy().user_has_permission_for_instance(user, "progress", task)


class GovernanceTaskIndexView(FormulaSafeCsvMixin, SnippetViewSet.index_view_class):
    def get_list_more_buttons(self, instance: GovernanceTask) -> list[Any]:
        buttons = super().get_list_more_buttons(instance)
        url = reverse(GovernanceTask.snippet_viewset.get_url_name("progress"), args=[instance.pk])
        return [ListingButton("进展", url=url, attrs={"aria-label": f"{instance}的进展"}), *buttons]


def reachable_task(request: HttpRequest, pk: int) -> GovernanceTask:
    """The task, if the user reaches it at all: another office's task is not found."""
    tasks = task_policy().instances_user_has_any_permission_for(request.user, ALL_ACTIONS)
    return get_object_or_404(tasks, pk=pk)


class TaskProgressView(View):
    """A task's progress: its history in every year, and the form its owners post with."""

    template_name = "governance_tasks/progress.html"

    def dispatch(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        self.task = reachable_task(request, pk)
        self.allowed = may_post_progress(request.user, self.task)
        return super().dispatch(request, pk)

    def form(self, data: Any = None, files: Any = None) -> ProgressForm:
        initial: dict[str, Any] = {
            "status": self.task.status,
            "progress_notes": self.task.progress_notes,
        }
        if self.task.per_community:  # a reminder links to the community it is about
            initial = {"community": self.request.GET.get("community")}
        return ProgressForm(
            data,
            files,
            task=self.task,
            communities=communities_to_update(self.request.user),
            initial=initial,
        )

    def render(self, form: ProgressForm | None) -> HttpResponse:
        statuses = {
            row.community_id: row
            for row in self.task.community_statuses.select_related("community")
        }
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                "task": self.task,
                "form": form,
                "history": history(self.task),
                "community_statuses": list(statuses.values()),
                "list_url": reverse(GovernanceTask.snippet_viewset.get_url_name("list")),
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(self.form() if self.allowed else None)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.allowed:
            raise PermissionDenied
        form = self.form(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, "进展未保存，请按提示修改。")
            return self.render(form)
        data = form.cleaned_data
        record_update(
            self.task,
            request.user,
            data["status"],
            data["progress_notes"],
            data["evidence"],
            community=data.get("community"),
            office=self.task.offices.filter(users=request.user.pk).first(),
        )
        messages.success(request, f"已更新“{self.task}”的进展。")
        return redirect(GovernanceTask.snippet_viewset.get_url_name("progress"), pk=self.task.pk)


class CarryOverView(View):
    """The street office copies a year's list to a later year; each task keeps its history."""

    template_name = "governance_tasks/carry_over.html"

    def dispatch(self, request: HttpRequest, year: int) -> HttpResponseBase:
        if not task_policy().user_has_permission(request.user, "add"):
            raise PermissionDenied
        if not GovernanceTask.objects.filter(year=year).exists():
            raise Http404
        self.year = year
        return super().dispatch(request, year)

    def get(self, request: HttpRequest, year: int) -> HttpResponse:
        form = CarryOverForm(initial={"year": year + 1}, from_year=year)
        return TemplateResponse(request, self.template_name, {"form": form, "year": year})

    def post(self, request: HttpRequest, year: int) -> HttpResponse:
        form = CarryOverForm(request.POST, from_year=year)
        if not form.is_valid():
            return TemplateResponse(request, self.template_name, {"form": form, "year": year})
        copied = carry_over_year(year, form.cleaned_data["year"])
        messages.success(
            request,
            f"已把{year}年度清单的 {len(copied)} 项任务复制到{form.cleaned_data['year']}年度。",
        )
        return redirect(GovernanceTask.snippet_viewset.get_url_name("list"))


class ProgressChartView(View):
    """The year's progress as a chart (vendored ECharts) beside the table of the same numbers."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not task_policy().user_has_permission(request.user, "view"):
            raise PermissionDenied
        years = list(
            GovernanceTask.objects.order_by("-year").values_list("year", flat=True).distinct()
        )
        try:
            year = int(request.GET.get("year") or (years[0] if years else timezone.now().year))
        except ValueError as not_a_year:
            raise Http404 from not_a_year
        return TemplateResponse(
            request,
            "governance_tasks/chart.html",
            {"progress": year_progress(year), "years": years, "year": year},
        )


class GovernanceTaskViewSet(CompoundScopedSnippetViewSet):
    model = GovernanceTask
    icon = "list-ol"
    menu_label = "年度任务清单"
    menu_order = 240
    add_to_admin_menu = True
    inspect_view_enabled = True
    index_view_class = GovernanceTaskIndexView
    list_per_page = 50
    list_display = [
        "__str__",
        "responsible_offices",
        Column("deadline_display", label="完成时限", sort_key="deadline_month"),
        Column("status_summary", label="进展状态"),
        BooleanColumn("overdue", label="已逾期", accessor=lambda task: task.is_overdue()),
    ]
    export_headings = {
        "year": "年度",
        "number": "序号",
        "area": "重点任务类别",
        "key_task": "重点任务",
        "measure": "具体举措",
        "responsible_offices": "责任单位",
        "deadline_display": "完成时限",
        "status_summary": "进展状态",
        "progress_notes": "进展情况",
    }
    list_export = list(export_headings)
    export_filename = "annual-tasks"
    inspect_view_fields = [
        "year",
        "number",
        "area",
        "key_task",
        "measure",
        "responsible_offices",
        "deadline_month",
        "is_long_term",
        "per_community",
        "status",
        "progress_notes",
    ]
    filterset_class = GovernanceTaskFilterSet
    search_fields = ["key_task", "measure", "responsible_offices", "progress_notes"]
    search_backend_name = None

    def get_queryset(self, request: HttpRequest) -> Any:
        return GovernanceTask.objects.select_related("latest_revision").annotate(
            communities_done=Count(
                "community_statuses", filter=Q(community_statuses__status__in=FINISHED)
            )
        )

    def get_urlpatterns(self) -> list[Any]:
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/progress/", TaskProgressView.as_view(), name="progress"),
            path("carry-over/<int:year>/", CarryOverView.as_view(), name="carry_over"),
            path("chart/", ProgressChartView.as_view(), name="chart"),
        ]


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
    if is_active_superuser(user) or holds_any_role(user, Role.COORDINATION_OFFICES):
        panels.append(OverdueTasksPanel(timezone.localdate()))
