"""The cases admin: the listing and queue, filing, and each case's page with its steps.

Every view reads cases through the one scoped policy (``Case.scope_field``): another
scope's case is a 404 by listing, search, filter or URL, and the refusal is audited.
A case is never edited or deleted once filed; it moves by its steps (``services.py``), on
its own page (named ``edit``, so every admin link to a case leads there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import CreateView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from content_types.accounts.access_audit import record_refusal
from content_types.accounts.audit import RecordedExportMixin
from content_types.roles.permissions import ALL_ACTIONS, scope_policy_for
from content_types.roles.viewsets import scoped_view_class
from core.formula_safe import FormulaSafeCsvMixin

from . import services
from .filters import CaseFilterSet
from .forms import AssignForm, CaseForm, CloseForm, NoteForm, PublishForm, ResolveForm
from .models import Case, CaseQuerySet, CaseStatus

if TYPE_CHECKING:
    from collections import OrderedDict

    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse

REPORTER_FIELDS = ("reporter_name", "masked_reporter_phone")


def cases_for(user: Any) -> CaseQuerySet:
    reachable = scope_policy_for(Case).instances_user_has_any_permission_for(user, ALL_ACTIONS)
    return cast("CaseQuerySet", reachable)


class DeadlineColumn(Column):
    """The level's deadline while it runs; nothing once the case is resolved."""

    def get_value(self, instance: Case) -> str:
        if not instance.is_open:
            return "—"
        return f"{timezone.localtime(instance.deadline_at):%Y-%m-%d %H:%M}"


class OverdueColumn(Column):
    def get_value(self, instance: Case) -> str:
        if instance.is_overdue():
            return "已逾期"
        return "" if instance.is_open else "—"


class CaseIndexView(RecordedExportMixin, FormulaSafeCsvMixin, IndexView):
    """Overdue cases first; ``?waiting=true`` is the user's own queue."""

    export_subject = "诉求与事件"

    def get_base_queryset(self) -> QuerySet[Case]:
        return (
            super()
            .get_base_queryset()
            .select_related("scope", "assignee")
            .overdue_first(timezone.now())
        )

    @cached_property
    def columns(self) -> list[Column]:
        return [
            TitleColumn("__str__", label="事件", get_url=self.get_edit_url),
            Column("scope", label="小区或社区"),
            Column("category", label="类别", accessor="get_category_display"),
            Column("level", label="处置层级", accessor="get_level_display"),
            Column("status", label="状态", accessor="get_status_display"),
            Column("working_group", label="工作组"),
            DeadlineColumn("deadline_at", label="本层级期限"),
            OverdueColumn("overdue", label="逾期"),
        ]

    def to_row_dict(self, item: Case) -> OrderedDict:
        row = super().to_row_dict(item)
        if not services.may_read_reporter(self.request.user, item):
            for field in REPORTER_FIELDS:
                row[field] = "（仅经办人员可见）"
        return row

    def get_delete_url(self, instance: Any) -> None:
        return None

    def get_copy_url(self, instance: Any) -> None:
        return None

    def get_inspect_url(self, instance: Any) -> None:
        return None


class CaseCreateView(CreateView):
    page_title = "登记诉求事件"

    def save_instance(self) -> Case:
        case = self.form.save(commit=False)
        try:
            services.file_case(case, self.request.user)
        except services.CaseRefused as refused:
            raise Http404 from refused  # the form offered only the user's scopes
        return case

    def get_success_message(self, instance: Case) -> str:
        return f"已登记事件“{instance}”，由{instance.get_level_display()}处置。"

    def get_success_url(self) -> str:
        return reverse("cases:edit", args=[self.object.pk])


class CaseLookupMixin:
    """The case behind the URL, among those the user reaches; anything else is a 404."""

    request: HttpRequest
    case: Case

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)  # type: ignore[misc]
        case = cases_for(request.user).select_related("scope", "assignee", "filed_by")
        found = case.filter(pk=kwargs["pk"]).first()
        if found is None:
            if Case.objects.filter(pk=kwargs["pk"]).exists():
                record_refusal(request, 404)
            raise Http404
        self.case = found


def step_forms(case: Case, data: Any = None) -> dict[str, Any]:
    """The form of each step the case's state allows, filled from ``data`` when posted."""
    forms: dict[str, Any] = {}
    if case.status == CaseStatus.PENDING:
        forms["accept"] = None
    if case.is_open:
        forms["assign"] = AssignForm(data, handlers=services.handlers_at(case), prefix="assign")
        if case.next_level():
            forms["escalate"] = NoteForm(data, prefix="escalate")
        if case.previous_level():
            forms["return"] = NoteForm(data, prefix="return")
        forms["resolve"] = ResolveForm(data, prefix="resolve")
    if case.status == CaseStatus.RESOLVED:
        forms["close"] = CloseForm(data, prefix="close")
    if case.status == CaseStatus.CLOSED and case.published_at is None:
        initial = {"summary": services.anonymised_summary(case)}
        forms["publish"] = PublishForm(data, prefix="publish", initial=initial)
    return forms


STEP_LABELS = {
    "accept": "受理",
    "assign": "指派",
    "escalate": "上报上一级",
    "return": "退回下一级",
    "resolve": "办结",
    "close": "关闭",
    "publish": "公开到小区页面",
}


class CaseDetailView(CaseLookupMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "cases/case_detail.html"
    header_icon = "warning"

    def get_page_title(self) -> str:
        return str(self.case)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        case = self.case
        may_act = services.may_act(self.request.user, case)
        forms = step_forms(case, kwargs.pop("posted", None)) if may_act else {}
        return super().get_context_data(
            case=case,
            steps=case.steps.select_related("actor"),
            photos=case.photos.select_related("image"),
            attachments=case.attachments.select_related("document"),
            may_act=may_act,
            show_reporter=services.may_read_reporter(self.request.user, case),
            overdue=case.is_overdue(),
            step_forms=[(name, STEP_LABELS[name], form) for name, form in forms.items()],
            **kwargs,
        )

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("cases:index"), "label": "诉求与事件"},
            {"url": "", "label": str(self.case)},
        ]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """One step, named by the button pressed; a refusal changes nothing and says why."""
        case = self.case
        step = request.POST.get("step", "")
        forms = step_forms(case, request.POST) if services.may_act(request.user, case) else {}
        if step not in forms:
            messages.error(request, "该操作当前不可用：事件可能已由他人处理，请刷新后再试。")
            return redirect("cases:edit", case.pk)
        form = forms[step]
        if form is not None and not form.is_valid():
            messages.error(request, "请检查填写的内容。")
            return self.render_to_response(self.get_context_data(posted=request.POST))
        data = form.cleaned_data if form is not None else {}
        user = request.user
        try:
            if step == "accept":
                services.accept(case, user)
            elif step == "assign":
                services.assign(case, user, data["assignee"], data["note"])
            elif step == "escalate":
                services.escalate(case, user, data["note"])
            elif step == "return":
                services.return_case(case, user, data["note"])
            elif step == "resolve":
                services.resolve(case, user, data["resolution"])
            elif step == "close":
                services.close(case, user, data["outcome"], data["satisfaction"])
            elif step == "publish":
                services.publish(case, user, data["summary"])
        except services.CaseRefused as refused:
            messages.error(request, str(refused))
            return self.render_to_response(self.get_context_data(posted=request.POST))
        messages.success(request, f"已{STEP_LABELS[step]}：{case}")
        return HttpResponseRedirect(reverse("cases:edit", args=[case.pk]))


class CaseViewSet(ModelViewSet):
    model = Case
    icon = "warning"
    menu_label = "诉求与事件"
    add_to_admin_menu = False
    url_prefix = "cases"
    name = "cases"
    index_view_class = scoped_view_class(CaseIndexView)
    add_view_class = scoped_view_class(CaseCreateView)
    filterset_class = CaseFilterSet
    list_per_page = 50
    search_fields = ["title", "place", "description", "scope__title", "working_group"]
    search_backend_name = None
    export_headings = {
        "number": "编号",
        "scope": "小区或社区",
        "get_category_display": "类别",
        "title": "事由",
        "place": "地点",
        "get_level_display": "处置层级",
        "get_status_display": "状态",
        "working_group": "街道工作组",
        "filed_at": "登记时间",
        "deadline_at": "本层级期限",
        "get_reporter_kind_display": "来源",
        "reporter_name": "反映人",
        "masked_reporter_phone": "反映人电话",
        "outcome": "办理结果",
        "get_satisfaction_display": "业主满意度",
    }
    list_export = list(export_headings)
    export_filename = "cases"
    copy_view_enabled = False
    inspect_view_enabled = False

    @cached_property
    def edit_handler(self) -> ObjectList:
        return ObjectList(self.model.panels, base_form_class=CaseForm)

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", self.add_view, name="add"),
            path("<int:pk>/", CaseDetailView.as_view(), name="edit"),
        ]
