"""考评 in the admin: the ranking of a period with its trend, each scorecard's figures, the
spreadsheet, and publishing the 赛比争先 list.

Who sees which scorecards is the access module's answer (``scope_policy_for(Scorecard)``): a
community's offices their community and its compounds, the street office all of them.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from content_types.roles.permissions import ALL_ACTIONS, is_street_office, scope_policy_for
from content_types.roles.viewsets import CompoundScopedObjectViewMixin, scoped_view_class
from core.formula_safe import FormulaSafeCsvMixin

from . import indicators
from .filters import ScorecardFilterSet
from .models import Level, Scorecard, ScoreLine, ScorePeriod
from .tasks import compute_scorecards

if TYPE_CHECKING:
    from decimal import Decimal

    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse, HttpResponseBase

# How many periods the trend chart reaches back.
TREND_PERIODS = 8


def scorecards_for(user: Any) -> QuerySet[Scorecard]:
    policy = scope_policy_for(Scorecard)
    return policy.scope_queryset(Scorecard.objects.all(), user, ["view"])


def shown(line: ScoreLine) -> str:
    indicator = indicators.get(line.code)
    if indicator is None:
        return "—" if line.value is None else f"{line.value.normalize():f}"
    return indicator.shows(line.value)


class PointsColumn(Column):
    """One indicator's points in the ranking (— where it had nothing to count)."""

    def __init__(self, code: str, label: str) -> None:
        super().__init__(f"line_{code}", label=label)
        self.code = code

    def get_value(self, instance: Scorecard) -> str:
        line = next((line for line in instance.lines.all() if line.code == self.code), None)
        return "—" if line is None or line.points is None else f"{line.points}"


class ScorecardIndexView(FormulaSafeCsvMixin, IndexView):
    """The ranking of one period, best first, with each indicator's points and the trend."""

    template_name = "scorecards/index.html"
    page_title = "考评排名"

    def get_base_queryset(self) -> QuerySet[Scorecard]:
        return (
            super()
            .get_base_queryset()
            .select_related("scope", "community", "period")
            .prefetch_related("lines")
            .order_by("level", "rank", "scope__path")  # communities first
        )

    @cached_property
    def period(self) -> ScorePeriod | None:
        form = getattr(self.filters, "form", None)
        chosen = form.cleaned_data.get("period") if form is not None and form.is_valid() else None
        return chosen

    @cached_property
    def line_labels(self) -> list[tuple[str, str]]:
        if self.period is None:
            return []
        return list(
            ScoreLine.objects.filter(scorecard__period=self.period)
            .order_by("position")
            .values_list("code", "label")
            .distinct()
        )

    @cached_property
    def columns(self) -> list[Column]:
        return [
            Column("rank", label="排名"),
            TitleColumn("scope", label="社区或小区", get_url=self.get_edit_url),
            Column("level", label="层级", accessor="get_level_display"),
            Column("community", label="所属社区"),
            Column("rank_in_community", label="社区内排名"),
            Column("total", label="总分"),
            *[PointsColumn(code, label) for code, label in self.line_labels],
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["period"] = self.period
        context["trend"] = self.trend()
        context["may_publish"] = is_street_office(self.request.user)
        return context

    def trend(self) -> dict[str, Any]:
        """Each listed scope's total over the last periods: the chart's series and its table."""
        if self.period is None:
            return {}
        periods = list(
            ScorePeriod.objects.filter(end__lte=self.period.end).order_by("-end")[:TREND_PERIODS]
        )[::-1]
        level = self.request.GET.get("level") or (
            Level.COMMUNITY if is_street_office(self.request.user) else Level.COMPOUND
        )
        cards = (
            scorecards_for(self.request.user)
            .filter(period__in=periods, level=level)
            .select_related("scope")
            .order_by("scope__path")
            .values_list("scope__title", "period_id", "total")
        )
        series: dict[str, dict[int, Decimal]] = OrderedDict()
        for title, period_id, total in cards:
            series.setdefault(title, {})[period_id] = total
        return {
            "periods": [period.label for period in periods],
            "series": [
                {"name": title, "data": [str(by[p.pk]) if p.pk in by else None for p in periods]}
                for title, by in series.items()
            ],
            "level": Level(level).label,
        }

    @property
    def list_export(self) -> list[str]:
        return [
            "period",
            "rank",
            "scope",
            "get_level_display",
            "community",
            "rank_in_community",
            "total",
            *[f"line_{code}" for code, _ in self.line_labels],
        ]

    @property
    def export_headings(self) -> dict[str, str]:
        return {
            "period": "考评期",
            "rank": "排名",
            "scope": "社区或小区",
            "get_level_display": "层级",
            "community": "所属社区",
            "rank_in_community": "社区内排名",
            "total": "总分",
            **{f"line_{code}": f"{label}（得分）" for code, label in self.line_labels},
        }

    def to_row_dict(self, item: Scorecard) -> OrderedDict:
        lines = {line.code: line for line in item.lines.all()}
        row: OrderedDict = OrderedDict()
        for field in self.list_export:
            if field.startswith("line_"):
                line = lines.get(field.removeprefix("line_"))
                row[field] = "—" if line is None or line.points is None else line.points
            elif field == "get_level_display":
                row[field] = item.get_level_display()
            else:
                row[field] = getattr(item, field)
                if hasattr(row[field], "title"):
                    row[field] = str(getattr(row[field], "title", row[field]))
        return row

    def get_edit_url(self, instance: Any) -> str | None:
        return reverse("scorecards:detail", args=[instance.pk])

    # Scorecards are computed, never added or deleted by hand.
    def get_add_url(self) -> None:
        return None

    def get_delete_url(self, instance: Any) -> None:
        return None


class ScorecardDetailView(CompoundScopedObjectViewMixin, WagtailAdminTemplateMixin, TemplateView):
    """One scorecard: each indicator with its figures and the items behind them, linked."""

    model = Scorecard
    template_name = "scorecards/detail.html"

    def get_page_title(self) -> str:
        return f"{self.card.scope.title} {self.card.period.label}考评"

    @cached_property
    def card(self) -> Scorecard:
        found = (
            scorecards_for(self.request.user)
            .select_related("scope", "period", "community")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if found is None:
            raise Http404
        return found

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        lines = list(self.card.lines.all())
        context.update(
            card=self.card,
            lines=[
                {
                    "line": line,
                    "figures": figures(line),
                    "weight": plain(line.weight),
                    "value": shown(line),
                    "target": shown_target(line),
                    "indicator": indicators.get(line.code),
                }
                for line in lines
            ],
            compounds=list(
                scorecards_for(self.request.user)
                .filter(
                    period=self.card.period, community=self.card.community, level=Level.COMPOUND
                )
                .select_related("scope")
                .order_by("rank_in_community", "scope__path")
            )
            if self.card.level == Level.COMMUNITY
            else [],
            ranking_url=reverse("scorecards:index") + f"?period={self.card.period_id}",
        )
        return context


def plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def figures(line: ScoreLine) -> str:
    """The numerator over the denominator, named: 按时公开 3 / 应公开 4."""
    indicator = indicators.get(line.code)
    terms = indicator.terms if indicator else ("", "")
    return f"{terms[0]} {plain(line.numerator)} / {terms[1]} {plain(line.denominator)}".strip()


def shown_target(line: ScoreLine) -> str:
    indicator = indicators.get(line.code)
    return indicator.shows(line.target) if indicator else f"{line.target.normalize():f}"


class StreetOfficeOnly(View):
    """Publishing and recomputing are the street office's."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_street_office(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def back(self, period: ScorePeriod) -> HttpResponse:
        return HttpResponseRedirect(reverse("scorecards:index") + f"?period={period.pk}")


class PublishView(StreetOfficeOnly):
    def post(self, request: HttpRequest, key: str) -> HttpResponse:
        period = get_object_or_404(ScorePeriod, key=key)
        if request.POST.get("action") == "withdraw":
            period.published_at = None
            messages.success(request, f"已撤回{period.label}赛比争先榜。")
        else:
            period.published_at = timezone.now()
            messages.success(request, f"已发布{period.label}赛比争先榜。")
        period.save(update_fields=["published_at"])
        return self.back(period)


class RecomputeView(StreetOfficeOnly):
    def post(self, request: HttpRequest, key: str) -> HttpResponse:
        period = get_object_or_404(ScorePeriod, key=key)
        compute_scorecards.delay(period.key)
        messages.success(request, f"已安排重新计算{period.label}考评，稍后刷新查看。")
        return self.back(period)


class ScorecardViewSet(ModelViewSet):
    model = Scorecard
    icon = "pick"
    menu_label = "考评排名"
    add_to_admin_menu = False
    url_prefix = "scorecards"
    name = "scorecards"
    index_view_class = scoped_view_class(ScorecardIndexView)
    filterset_class = ScorecardFilterSet
    list_per_page = 100
    export_filename = "scorecards"
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", ScorecardDetailView.as_view(), name="detail"),
            path("periods/<str:key>/publish/", PublishView.as_view(), name="publish"),
            path("periods/<str:key>/recompute/", RecomputeView.as_view(), name="recompute"),
        ]


def may_see_scorecards(user: Any) -> bool:
    return scope_policy_for(Scorecard).user_has_any_permission(user, ALL_ACTIONS)
