"""Listing filters for reports: status, schedule, compound, and what waits for the user."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import Page

from content_types.roles.scope import is_active_superuser, scope_roles_for
from content_types.roles.viewsets import CompoundScopedFilterSet

from .models import (
    REVIEWER_ROLES,
    WRITABLE_STATUSES,
    Report,
    ReportSchedule,
    ReportStatus,
)


def waiting_for(user: Any) -> Q:
    """Reports the user must act on: to write or rewrite (their role's), or to read back."""
    if is_active_superuser(user):
        return Q(status__in=(*WRITABLE_STATUSES, ReportStatus.SUBMITTED))
    condition = Q(pk__in=[])
    for compound_id, (_kind, held) in scope_roles_for(user).items():
        if held & set(REVIEWER_ROLES):
            condition |= Q(compound_id=compound_id, status=ReportStatus.SUBMITTED)
        condition |= Q(compound_id=compound_id, role__in=held, status__in=WRITABLE_STATUSES)
    return condition


class ReportFilterSet(CompoundScopedFilterSet):
    waiting = django_filters.BooleanFilter(
        label="只看待我处理",
        method="filter_waiting",
        widget=django_filters.widgets.BooleanWidget,
    )
    overdue = django_filters.BooleanFilter(
        label="只看逾期未交",
        method="filter_overdue",
        widget=django_filters.widgets.BooleanWidget,
    )
    status = django_filters.ChoiceFilter(label="状态", choices=ReportStatus.choices)
    schedule = django_filters.ModelChoiceFilter(
        label="报告制度", queryset=ReportSchedule.objects.all()
    )
    compound = django_filters.ModelChoiceFilter(label="小区", queryset=Page.objects.none())

    class Meta:
        model = Report
        fields = ["status", "schedule", "compound"]

    def filter_waiting(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(waiting_for(self.request.user)) if value else queryset

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(status__in=WRITABLE_STATUSES, due_on__lt=timezone.localdate())
