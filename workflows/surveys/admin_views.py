"""Survey management in the admin, for the committee and the offices above it.

Every view looks the survey up through ``managed_surveys(user)``: a survey of a compound outside
the user's scope is a 404 whatever the URL, before any form is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from wagtail.admin import messages
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from content_types.evaluations.admin_views import AdminPageView
from content_types.evaluations.models import (
    EvaluationPeriod,
    PaperAnswerEntry,
    PeriodStatus,
    Survey,
    SurveyAnswer,
    SurveyStatus,
)
from content_types.firms.models import PropertyFirm
from content_types.roles.permissions import ALL_ACTIONS, scope_policy_for
from workflows.voting.services import VotingError

from .forms import IssueCodesForm, PaperAnswerForm
from .services import enter_paper_answer, issue_codes, open_survey, void_paper_entry

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.db.models import QuerySet


def managed_surveys(user: Any) -> QuerySet[Survey]:
    return scope_policy_for(Survey).instances_user_has_any_permission_for(user, ALL_ACTIONS)


class SurveyForm(forms.ModelForm):
    """A new survey, only for compounds the user manages, in an open period."""

    class Meta:
        model = Survey
        fields = ["period", "compound", "firm", "opens_at", "closes_at"]
        widgets = {"opens_at": AdminDateTimeInput, "closes_at": AdminDateTimeInput}

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        compounds = scope_policy_for(Survey).scopes_user_has_any_permission_for(user, ["add"])
        fields = {
            name: cast("forms.ModelChoiceField", self.fields[name])
            for name in self.fields
            if name in ("period", "compound", "firm")
        }
        fields["compound"].queryset = compounds
        fields["period"].queryset = EvaluationPeriod.objects.filter(status=PeriodStatus.OPEN)
        fields["firm"].queryset = PropertyFirm.objects.filter(
            live=True, compounds__in=compounds
        ).distinct()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", "截止时间必须晚于开始时间。")
        compound, firm = data.get("compound"), data.get("firm")
        if compound and firm and not firm.compounds.filter(pk=compound.pk).exists():
            self.add_error("firm", f"“{firm.name}”不是“{compound.title}”的物业服务企业。")
        return data


class SurveyAdminView(AdminPageView):
    """Loads ``self.survey`` within the user's scope, and renders with the admin furniture."""

    header_icon = "list-ul"
    survey: Survey

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        if "pk" in kwargs:
            self.survey = get_object_or_404(
                managed_surveys(request.user).select_related("compound", "period", "firm"),
                pk=kwargs["pk"],
            )

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("surveys_admin:index"), "label": "物业满意度测评"},
        ]

    def detail(self) -> HttpResponse:
        return redirect("surveys_admin:detail", self.survey.pk)


class SurveyIndexView(SurveyAdminView):
    page_title = "物业满意度测评"
    template_name = "surveys/admin/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        surveys = managed_surveys(request.user).select_related("compound", "period", "firm")
        return self.render(surveys=surveys)


class SurveyCreateView(SurveyAdminView):
    page_title = "新建满意度测评"
    template_name = "voting/admin/form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(form=SurveyForm(user=self.user), submit_label="保存")

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SurveyForm(request.POST, user=self.user)
        if not form.is_valid():
            return self.render(400, form=form, submit_label="保存")
        survey = form.save()
        log(survey, "wagtail.create", user=self.user)
        messages.success(request, f"已保存“{survey}”，开启后业主即可填写。")
        return redirect("surveys_admin:detail", survey.pk)


class SurveyDetailView(SurveyAdminView):
    template_name = "surveys/admin/detail.html"

    def get_page_title(self) -> str:
        return str(self.survey)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        survey = self.survey
        answered = (
            SurveyAnswer.objects.filter(respondent__survey=survey)
            .values("respondent")
            .distinct()
            .count()
        )
        counts = SurveyAnswer.objects.filter(respondent__survey=survey).aggregate(
            online=Count("pk", filter=Q(channel="online")),
            paper=Count("pk", filter=Q(channel="paper")),
        )
        pending = (
            PaperAnswerEntry.objects.filter(
                respondent__survey=survey, paired=False, voided_at__isnull=True
            )
            .select_related("respondent", "entered_by")
            .order_by("entered_at")
        )
        return self.render(
            survey=survey,
            units=survey.respondents.count(),
            answered=answered,
            counts=counts,
            pending=pending,
            log_entries=ModelLogEntry.objects.for_instance(survey).select_related("user")[:30],
        )


class OpenSurveyView(SurveyAdminView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            open_survey(self.survey, self.user)
        except VotingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "测评已开启，房屋名册已冻结。请生成并发放测评码。")
        return self.detail()


class IssueCodesView(SurveyAdminView):
    """Generate codes and print the notices; the codes exist in clear only in this response."""

    template_name = "voting/admin/form.html"
    page_title = "生成测评码"

    def form_page(self, form: IssueCodesForm, status: int = 200) -> HttpResponse:
        return self.render(
            status,
            form=form,
            submit_label="生成测评码并打印通知书",
            intro="测评码只保存摘要，生成后只在打印页面显示一次；重新生成会使原测评码作废。",
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.form_page(IssueCodesForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = IssueCodesForm(request.POST)
        if not form.is_valid():
            return self.form_page(form, 400)
        try:
            issued = issue_codes(self.survey, self.user, building=form.cleaned_data["building"])
        except VotingError as error:
            form.add_error(None, str(error))
            return self.form_page(form, 400)
        url = request.build_absolute_uri(reverse("surveys:detail", args=[self.survey.pk]))
        context = {"survey": self.survey, "issued": issued, "survey_url": url}
        response = render(request, "surveys/admin/letters.html", context)
        add_never_cache_headers(response)
        return response


class PaperAnswerView(SurveyAdminView):
    """Double entry: each paper questionnaire is keyed by two people; a matching pair counts."""

    template_name = "voting/admin/form.html"
    page_title = "录入纸质问卷"

    def form_page(self, form: PaperAnswerForm, status: int = 200) -> HttpResponse:
        return self.render(
            status,
            form=form,
            submit_label="保存录入",
            intro="每份纸质问卷须由两位工作人员分别录入，两次一致才计入；未作答的题留空。",
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        if self.survey.status != SurveyStatus.OPEN:
            raise Http404("该测评不在测评期内。")
        return self.form_page(PaperAnswerForm(survey=self.survey))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = PaperAnswerForm(request.POST, survey=self.survey)
        if not form.is_valid():
            return self.form_page(form, 400)
        entry = form.to_input()
        try:
            answer = enter_paper_answer(self.survey, self.user, entry)
        except VotingError as error:
            form.add_error(None, str(error))
            return self.form_page(form, 400)
        if answer is None:
            messages.success(request, f"已录入{entry.label}的纸质问卷，待另一位工作人员复核录入。")
        else:
            messages.success(request, f"{entry.label}的纸质问卷两次录入一致，已计入。")
        return self.detail()


class VoidEntryView(SurveyAdminView):
    def post(self, request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
        entry = get_object_or_404(
            PaperAnswerEntry.objects.select_related("respondent__survey"),
            pk=entry_pk,
            respondent__survey=self.survey,
        )
        try:
            void_paper_entry(entry, self.user)
        except VotingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "已作废该录入。")
        return self.detail()
