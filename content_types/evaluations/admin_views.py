"""The evaluation admin: the street's periods (open, close and score), the committee's and the
community's evaluations, and the firms' scores with the figures behind them.

A score's details are shown to whoever reaches a compound the firm serves (its own staff, the
committee, the offices above); the street office sees every firm. Totals and ranks are public.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from content_types.firms.models import PropertyFirm
from content_types.roles.permissions import is_street_office
from content_types.roles.scope import compounds_for, holds_any_role, is_active_superuser
from core.requests import admin_user

from .forms import EvaluationForm, PeriodForm
from .models import (
    PARTS,
    EvaluationPeriod,
    Evaluator,
    FirmEvaluation,
    FirmScore,
    PeriodStatus,
)
from .services import (
    EvaluationError,
    close_period,
    disclosed_standards,
    may_evaluate,
    save_evaluation,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse
    from django.http.response import HttpResponseBase


def has_any_role(user: Any) -> bool:
    """Asked by the menu and its submenu on every admin page, of the request's role memo."""
    return is_active_superuser(user) or holds_any_role(user)


def firms_in_reach(user: Any) -> QuerySet[PropertyFirm]:
    """The firms whose scores the user may read in full."""
    if is_street_office(user):
        return PropertyFirm.objects.all()
    return PropertyFirm.objects.filter(compounds__in=compounds_for(user)).distinct()


class AdminPageView(WagtailAdminTemplateMixin, View):
    """An admin page of the evaluation (or its surveys) rendered with a status of its own."""

    @property
    def user(self) -> AbstractBaseUser:
        return admin_user(self.request)

    def render(self, status: int = 200, **context: Any) -> HttpResponse:
        response = self.render_to_response(self.get_context_data(**context))
        response.status_code = status
        return response


class EvaluationAdminView(AdminPageView):
    header_icon = "pick"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not has_any_role(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PeriodsView(EvaluationAdminView):
    """The street office opens a period, and closes it to compute and publish the scores."""

    page_title = "测评期"
    template_name = "evaluations/admin/periods.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_street_office(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def page(self, form: PeriodForm, status: int = 200) -> HttpResponse:
        return self.render(status, form=form, periods=EvaluationPeriod.objects.all())

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(PeriodForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PeriodForm(request.POST)
        if not form.is_valid():
            return self.page(form, 400)
        period = form.save()
        log(period, "wagtail.create", user=self.user)
        messages.success(request, f"已新建测评期“{period.title}”。")
        return redirect("evaluations_admin:periods")


class ClosePeriodView(PeriodsView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:  # type: ignore[override]
        period = get_object_or_404(EvaluationPeriod, pk=pk)
        try:
            scores = close_period(period, self.user)
        except EvaluationError as error:
            messages.error(request, str(error))
            return redirect("evaluations_admin:periods")
        messages.success(
            request, f"“{period.title}”已结束，{len(scores)} 家物业服务企业的得分和排名已公布。"
        )
        return redirect(reverse("evaluations_admin:scores") + f"?period={period.pk}")


class EvaluationsView(EvaluationAdminView):
    """Each compound in the user's reach and each firm serving it, per open period: which sides
    have evaluated, and a link for the side the user speaks for."""

    page_title = "物业服务评价"
    template_name = "evaluations/admin/evaluations.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        periods = list(EvaluationPeriod.objects.filter(status=PeriodStatus.OPEN))
        live_firms = Prefetch("property_firms", PropertyFirm.objects.filter(live=True))
        compounds = list(compounds_for(self.user).prefetch_related(live_firms).order_by("path"))
        done = {
            (e.period_id, e.compound_id, e.firm_id, e.evaluator): e
            for e in FirmEvaluation.objects.filter(period__in=periods, compound__in=compounds)
        }
        rows = []
        for period in periods:
            for compound in compounds:
                for firm in compound.property_firms.all():
                    sides = [
                        {
                            "label": label,
                            "done": done.get((period.pk, compound.pk, firm.pk, code)),
                            "may": may_evaluate(self.user, compound, code),
                            "url": reverse(
                                "evaluations_admin:evaluate",
                                args=[period.pk, compound.pk, firm.pk, code],
                            ),
                        }
                        for code, label in Evaluator.choices
                    ]
                    rows.append(
                        {"period": period, "compound": compound, "firm": firm, "sides": sides}
                    )
        return self.render(rows=rows)


class EvaluateView(EvaluationAdminView):
    """One side's evaluation, item by item against the standards the firm disclosed."""

    template_name = "evaluations/admin/evaluate.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.period = get_object_or_404(EvaluationPeriod, pk=kwargs["period"])
        self.compound = get_object_or_404(compounds_for(request.user), pk=kwargs["compound"])
        self.firm = get_object_or_404(self.compound.property_firms.all(), pk=kwargs["firm"])
        if kwargs["evaluator"] not in Evaluator.values:
            raise PermissionDenied
        self.evaluator = kwargs["evaluator"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_evaluate(request.user, self.compound, self.evaluator):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return f"{Evaluator(self.evaluator).label} · {self.compound.title} · {self.period.title}"

    def form(self, data: Any = None) -> EvaluationForm:
        existing = FirmEvaluation.objects.filter(
            period=self.period, compound=self.compound, firm=self.firm, evaluator=self.evaluator
        ).first()
        return EvaluationForm(
            data,
            standards=disclosed_standards(self.compound, self.period),
            initial_items=existing.items if existing else [],
            initial={"comment": existing.comment if existing else ""},
        )

    def page(self, form: EvaluationForm, status: int = 200) -> HttpResponse:
        return self.render(status, form=form, firm=self.firm, compound=self.compound)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self.page(self.form())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = self.form(request.POST)
        if not form.is_valid():
            return self.page(form, 400)
        try:
            save_evaluation(
                self.period,
                self.compound,
                self.firm,
                self.evaluator,
                form.items(),
                form.cleaned_data["comment"],
                self.user,
            )
        except EvaluationError as error:
            form.add_error(None, str(error))
            return self.page(form, 400)
        messages.success(
            request, f"已保存对“{self.firm.name}”的{Evaluator(self.evaluator).label}。"
        )
        return redirect("evaluations_admin:evaluations")


class ScoresView(EvaluationAdminView):
    """The street's ranking, one column per closed period so the trend shows; the firms the user
    reaches link to the figures behind their scores."""

    page_title = "物业服务得分与排名"
    template_name = "evaluations/admin/scores.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        periods = list(
            EvaluationPeriod.objects.filter(status=PeriodStatus.CLOSED).order_by("starts_on")
        )
        scores = FirmScore.objects.filter(period__in=periods).select_related("firm")
        reach = set(firms_in_reach(self.user).values_list("pk", flat=True))
        table: dict[int, dict[str, Any]] = {}
        for score in scores:
            row = table.setdefault(
                score.firm_id, {"firm": score.firm, "cells": {}, "mine": score.firm_id in reach}
            )
            row["cells"][score.period_id] = score
        latest = periods[-1] if periods else None
        rows = []
        for row in table.values():
            cells = [row["cells"].get(period.pk) for period in periods]
            known = [cell for cell in cells if cell is not None]
            trend = known[-1].total - known[-2].total if len(known) > 1 else None
            rows.append({**row, "cells": cells, "trend": trend})
        rows.sort(
            key=lambda r: (
                r["cells"][-1].rank if r["cells"] and r["cells"][-1] else 9999,
                r["firm"].name,
            )
        )
        return self.render(periods=periods, rows=rows, latest=latest)


class ScoreDetailView(EvaluationAdminView):
    template_name = "evaluations/admin/score.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.score = get_object_or_404(
            FirmScore.objects.select_related("firm", "period").filter(
                firm__in=firms_in_reach(request.user)
            ),
            pk=kwargs["pk"],
        )

    def get_page_title(self) -> str:
        return f"{self.score.firm.name} · {self.score.period.title}"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        total_weight = sum(part["weight"] for part in self.score.parts if part["score"] is not None)
        return self.render(
            score=self.score, parts=self.score.parts, counted_weight=total_weight, labels=PARTS
        )
