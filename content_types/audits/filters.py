"""Listing filters for audits, offering only the user's compounds."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import django_filters

from content_types.roles.viewsets import CompoundScopedFilterSet
from content_types.structure.models import CompoundPage

from .models import Audit, AuditKind, AuditQuerySet, AuditStatus

if TYPE_CHECKING:
    from django.db.models import QuerySet


class AuditFilterSet(CompoundScopedFilterSet):
    compound = django_filters.ModelChoiceFilter(label="小区", queryset=CompoundPage.objects.none())
    kind = django_filters.ChoiceFilter(label="审计类型", choices=AuditKind.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=AuditStatus.choices)
    overdue = django_filters.BooleanFilter(
        label="只看逾期未出报告",
        method="filter_overdue",
        widget=django_filters.widgets.BooleanWidget,
    )
    open_findings = django_filters.BooleanFilter(
        label="只看有未整改问题",
        method="filter_open_findings",
        widget=django_filters.widgets.BooleanWidget,
    )

    class Meta:
        model = Audit
        fields = ["compound", "kind", "status"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return cast("AuditQuerySet", queryset).overdue() if value else queryset

    def filter_open_findings(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return cast("AuditQuerySet", queryset).with_open_findings() if value else queryset
