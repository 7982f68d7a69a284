"""Listing filters for committees and the candidate pool, offering only the user's compounds."""

from __future__ import annotations

from typing import TYPE_CHECKING

import django_filters

from content_types.roles.viewsets import CompoundScopedFilterSet
from content_types.structure.models import CompoundPage

from .models import CommitteeCandidate, OwnersCommittee

if TYPE_CHECKING:
    from django.db.models import QuerySet


class OwnersCommitteeFilterSet(CompoundScopedFilterSet):
    compound = django_filters.ModelChoiceFilter(label="小区", queryset=CompoundPage.objects.none())
    live = django_filters.BooleanFilter(label="已发布")
    current = django_filters.BooleanFilter(label="现任（任期包含今天）", method="filter_current")
    below_party_target = django_filters.BooleanFilter(
        label="党员占比低于50%", method="filter_below_party_target"
    )

    class Meta:
        model = OwnersCommittee
        fields = ["compound", "live"]

    def filter_current(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        current = OwnersCommittee.objects.current().values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)

    def filter_below_party_target(
        self, queryset: QuerySet, name: str, value: bool | None
    ) -> QuerySet:
        if value is None:
            return queryset
        below = OwnersCommittee.objects.below_party_target().values("pk")
        return queryset.filter(pk__in=below) if value else queryset.exclude(pk__in=below)


class CommitteeCandidateFilterSet(CompoundScopedFilterSet):
    compound = django_filters.ModelChoiceFilter(label="小区", queryset=CompoundPage.objects.none())

    class Meta:
        model = CommitteeCandidate
        fields = ["compound", "vetting_stage", "is_party_member", "specialty"]
