"""The reports admin: a scoped snippet viewset whose every URL reads reports through the one
policy (``Report.scope_field``), with three views of its own: 撰写报告 (begin a due report from
its schedule's outline), the report's page with its steps (inspect), and the steps themselves.

A report is edited only by its writers while it is a draft or returned; once submitted it is
the community office's to acknowledge or return, and it is never deleted after that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.admin.utils import quote
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.views import snippets

from content_types.roles.permissions import ALL_ACTIONS, scope_policy_for
from content_types.roles.viewsets import CompoundScopedSnippetViewSet
from content_types.structure.models import CompoundPage
from core.formula_safe import FormulaSafeCsvMixin

from . import services
from .dues import DueState, dues_for
from .filters import ReportFilterSet
from .models import WRITABLE_STATUSES, Report, ReportSchedule, ReportStatus

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse


def reports_for(user: Any) -> QuerySet[Report]:
    return scope_policy_for(Report).instances_user_has_any_permission_for(user, ALL_ACTIONS)


def url_of(view: str, report: Report | None = None) -> str:
    name = Report.snippet_viewset.get_url_name(view)
    return reverse(name, args=[quote(report.pk)] if report is not None else [])


class LateColumn(Column):
    def get_value(self, instance: Report) -> str:
        if instance.status in WRITABLE_STATUSES and timezone.localdate() > instance.due_on:
            return "已逾期"
        if instance.submitted_at and instance.is_late:
            return "逾期提交"
        return ""


class ReportIndexView(FormulaSafeCsvMixin, snippets.IndexView):
    """Reports waiting for someone first (returned and drafts, then submitted), newest first."""

    def get_base_queryset(self) -> QuerySet[Report]:
        return super().get_base_queryset().select_related("compound", "schedule")

    @cached_property
    def columns(self) -> list[Column]:
        return [
            TitleColumn("title", label="报告", get_url=self.get_inspect_url),
            Column("compound", label="小区"),
            Column("role", label="报告主体", accessor="get_role_display"),
            Column("due_on", label="应交日期"),
            Column("status", label="状态", accessor="get_status_display"),
            LateColumn("late", label="逾期"),
        ]

    def get_inspect_url(self, instance: Report) -> str:
        return url_of("inspect", instance)

    def get_edit_url(self, instance: Report) -> str | None:
        if services.may_edit(self.request.user, instance):
            return super().get_edit_url(instance)
        return None

    def get_delete_url(self, instance: Report) -> str | None:
        if instance.status == ReportStatus.DRAFT and services.may_write(
            self.request.user, instance
        ):
            return super().get_delete_url(instance)
        return None


class WritersOnlyMixin:
    """Edit and delete are for the report's writers while it is with them."""

    object: Report
    request: HttpRequest
    statuses: tuple[str, ...] = WRITABLE_STATUSES

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        report = self.object
        if report.status not in self.statuses or not services.may_write(request.user, report):
            state = report.get_status_display()
            messages.error(request, f"该报告（{state}）目前不能由您修改或删除。")
            return redirect(url_of("inspect", report))
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class ReportEditView(WritersOnlyMixin, snippets.EditView):
    def get_success_url(self) -> str:
        return url_of("inspect", self.object)


class ReportDeleteView(WritersOnlyMixin, snippets.DeleteView):
    statuses = (ReportStatus.DRAFT,)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="社区意见",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="退回时必填，写明需要补充或修改的内容。",
    )


class ReportInspectView(snippets.InspectView):
    template_name = "reports/report_inspect.html"

    def get_field_display_value(self, field_name: str, field: Any) -> Any:
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None or value == "" else value

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        report: Report = self.object
        user = self.request.user
        return super().get_context_data(
            sections=report.sections.all(),
            may_edit=services.may_edit(user, report),
            may_submit=services.may_edit(user, report),
            may_review=report.status == ReportStatus.SUBMITTED
            and services.may_review(user, report),
            review_form=ReviewForm(),
            edit_report_url=url_of("edit", report),
            act_url=url_of("act", report),
            late=report.is_late,
            **kwargs,
        )


class ReportStepView(TemplateView):
    """A step, named by the button pressed, on a report the user reaches (else a 404)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: str) -> HttpResponse:
        report = reports_for(request.user).filter(pk=pk).first() if pk.isdigit() else None
        if report is None:
            raise Http404  # recorded by the audit middleware when the report exists
        step = request.POST.get("step", "")
        form = ReviewForm(request.POST)
        comment = form.cleaned_data["comment"] if form.is_valid() else ""
        try:
            if step == "submit":
                services.submit(report, request.user)
                done = "已提交社区微治办"
            elif step == "acknowledge":
                services.acknowledge(report, request.user, comment)
                done = "已阅知"
            elif step == "return":
                services.return_report(report, request.user, comment)
                done = "已退回撰写人修改"
            else:
                raise services.ReportRefused("未知的操作，请刷新后再试。")
        except services.ReportRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"{report}：{done}。")
        return HttpResponseRedirect(url_of("inspect", report))


class ReportStartView(WagtailAdminTemplateMixin, TemplateView):
    """撰写报告: the due reports the user writes, each begun from its schedule's outline."""

    template_name = "reports/report_start.html"
    page_title = "撰写工作报告"
    header_icon = "doc-full"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        writable = [
            due
            for due in dues_for(user, timezone.localdate())
            if due.state in (DueState.DUE, DueState.OVERDUE, DueState.RETURNED)
            and services.may_start(user, due.schedule, due.compound)
        ]
        return super().get_context_data(dues=writable, **kwargs)

    def post(self, request: HttpRequest) -> HttpResponse:
        schedule = ReportSchedule.objects.select_related("scope").filter(
            pk=request.POST.get("schedule") or 0
        )
        compound = CompoundPage.objects.filter(pk=request.POST.get("compound") or 0)
        if not (
            str(request.POST.get("schedule", "")).isdigit()
            and str(request.POST.get("compound", "")).isdigit()
            and schedule.exists()
            and compound.exists()
        ):
            raise Http404
        try:
            report = services.start(schedule.get(), compound.get(), request.user)
        except services.ReportRefused as refused:
            messages.error(request, str(refused))
            return redirect(url_of("add"))
        target = "edit" if services.may_edit(request.user, report) else "inspect"
        return redirect(url_of(target, report))


class ReportViewSet(CompoundScopedSnippetViewSet):
    model = Report
    icon = "doc-full"
    menu_label = "工作报告"
    menu_order = 236
    add_to_admin_menu = True
    index_view_class = ReportIndexView
    edit_view_class = ReportEditView
    delete_view_class = ReportDeleteView
    inspect_view_class = ReportInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "compound",
        "schedule",
        "role",
        "period_start",
        "period_end",
        "due_on",
        "status",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
    ]
    filterset_class = ReportFilterSet
    list_per_page = 50
    search_fields = ["title", "compound__title", "schedule__name"]
    search_backend_name = None
    export_headings = {
        "title": "报告",
        "compound": "小区",
        "get_role_display": "报告主体",
        "period_start": "报告期起",
        "period_end": "报告期止",
        "due_on": "应交日期",
        "get_status_display": "状态",
        "submitted_at": "提交时间",
        "reviewed_at": "阅知或退回时间",
        "review_comment": "社区意见",
    }
    list_export = list(export_headings)
    export_filename = "reports"

    @cached_property
    def add_view(self) -> Any:
        return ReportStartView.as_view()

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            *super().get_urlpatterns(),
            path("step/<str:pk>/", ReportStepView.as_view(), name="act"),
        ]
