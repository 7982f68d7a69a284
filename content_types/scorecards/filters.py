"""Listing filters for the ranking: which period (the latest by default) and which level."""

from __future__ import annotations

from typing import Any

import django_filters
from wagtail.admin.filters import WagtailFilterSet

from .models import Level, Scorecard, ScorePeriod


class ScorecardFilterSet(WagtailFilterSet):
    period = django_filters.ModelChoiceFilter(
        label="考评期", queryset=ScorePeriod.objects.all(), empty_label=None
    )
    level = django_filters.ChoiceFilter(label="层级", choices=Level.choices, empty_label="全部")

    class Meta:
        model = Scorecard
        fields = ["period", "level"]

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        data = data.copy() if data is not None else {}
        if not data.get("period") and (latest := ScorePeriod.objects.order_by("-end").first()):
            data["period"] = str(latest.pk)
        super().__init__(data, *args, **kwargs)
