"""The public 优质物业 page: each closed period's ranking across the street and the firms
listed as 优质物业. Totals and ranks only: the figures behind them stay in the admin."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import render

from .models import EvaluationPeriod, FirmScore, PeriodStatus

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


def excellent_firms(request: HttpRequest) -> HttpResponse:
    periods = list(
        EvaluationPeriod.objects.filter(status=PeriodStatus.CLOSED).order_by("-starts_on")
    )
    scores = FirmScore.objects.filter(period__in=periods, firm__live=True).select_related("firm")
    by_period: dict[int, list[FirmScore]] = {period.pk: [] for period in periods}
    for score in scores.order_by("rank", "firm__name"):
        by_period[score.period_id].append(score)
    rounds = [
        {
            "period": period,
            "ranking": by_period[period.pk],
            "excellent": [score for score in by_period[period.pk] if score.excellent],
        }
        for period in periods
    ]
    return render(request, "evaluations/excellent_firms.html", {"rounds": rounds})
