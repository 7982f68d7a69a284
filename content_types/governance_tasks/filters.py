"""Listing filters for the annual task list."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Min, QuerySet
from wagtail.admin.filters import WagtailFilterSet

from .models import GovernanceTask


class GovernanceTaskFilterSet(WagtailFilterSet):
    year = django_filters.ChoiceFilter(label="年度", choices=[])
    area = django_filters.ChoiceFilter(label="重点任务类别", choices=[])
    responsible_offices = django_filters.CharFilter(
        label="责任单位", lookup_expr="contains", help_text="如：党建办"
    )
    overdue = django_filters.BooleanFilter(label="已逾期", method="filter_overdue")

    class Meta:
        model = GovernanceTask
        fields = ["year", "area", "status", "is_long_term", "responsible_offices"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = (
            GovernanceTask.objects.values("area")
            .annotate(first=Min("number"))
            .order_by("first")
            .values_list("area", flat=True)
        )
        self.filters["area"].extra["choices"] = [(area, area) for area in areas]
        years = GovernanceTask.objects.order_by("-year").values_list("year", flat=True).distinct()
        self.filters["year"].extra["choices"] = [(year, f"{year}年") for year in years]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        overdue = GovernanceTask.objects.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)
