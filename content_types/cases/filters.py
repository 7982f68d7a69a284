"""Listing filters for cases: category, level, status, scope, and the user's own queue."""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import Page

from content_types.roles.scope import is_active_superuser, scope_roles_for
from content_types.roles.viewsets import CompoundScopedFilterSet

from .models import (
    LEVEL_ROLES,
    OPEN_STATUSES,
    Case,
    CaseCategory,
    CaseLevel,
    CaseQuerySet,
    CaseStatus,
)

# What waits for a handler: cases to take up and work on, and resolved ones to close.
WAITING_STATUSES = (*OPEN_STATUSES, CaseStatus.RESOLVED)


def waiting_for(user: Any) -> Q:
    """Cases at a level ``user`` handles in their scope, not yet closed."""
    if is_active_superuser(user):
        return Q(status__in=WAITING_STATUSES)
    # One term per set of levels, not per scope: a street office's 2,000 compounds are one
    # ``scope_id IN (…)``, which PostgreSQL plans in a moment, where 2,000 ORs took seconds.
    scopes_by_levels: dict[tuple[str, ...], list[int]] = {}
    for scope_id, (_kind, held) in scope_roles_for(user).items():
        levels = tuple(level for level, roles in LEVEL_ROLES.items() if held & set(roles))
        if levels:
            scopes_by_levels.setdefault(levels, []).append(scope_id)
    condition = Q(pk__in=[])
    for levels, scope_ids in scopes_by_levels.items():
        condition |= Q(scope_id__in=scope_ids, level__in=levels)
    return condition & Q(status__in=WAITING_STATUSES)


class CaseFilterSet(CompoundScopedFilterSet):
    waiting = django_filters.BooleanFilter(
        label="只看待我处理",
        method="filter_waiting",
        widget=django_filters.widgets.BooleanWidget,
    )
    overdue = django_filters.BooleanFilter(
        label="只看逾期",
        method="filter_overdue",
        widget=django_filters.widgets.BooleanWidget,
    )
    category = django_filters.ChoiceFilter(label="类别", choices=CaseCategory.choices)
    level = django_filters.ChoiceFilter(label="处置层级", choices=CaseLevel.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=CaseStatus.choices)
    scope = django_filters.ModelChoiceFilter(label="小区或社区", queryset=Page.objects.none())

    class Meta:
        model = Case
        fields = ["category", "level", "status", "scope"]

    def filter_waiting(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(waiting_for(self.request.user)) if value else queryset

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return cast("CaseQuerySet", queryset).overdue(timezone.now()) if value else queryset
