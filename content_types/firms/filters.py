"""Listing filters for the firms' snippet admin."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import django_filters
from wagtail.admin.filters import WagtailFilterSet

from content_types.structure.models import CompoundPage

from .models import PropertyFirm, PropertyFirmQuerySet

if TYPE_CHECKING:
    from django.db.models import QuerySet


class PropertyFirmFilterSet(WagtailFilterSet):
    live = django_filters.BooleanFilter(label="已发布")
    needs_own_party_organisation = django_filters.BooleanFilter(
        label="应单独建立党组织而未建立",
        method="filter_needs_own_party_organisation",
    )
    compounds = django_filters.ModelChoiceFilter(
        label="服务小区", queryset=CompoundPage.objects.order_by("path")
    )

    class Meta:
        model = PropertyFirm
        fields = ["party_status", "live"]

    def filter_needs_own_party_organisation(
        self, queryset: QuerySet, name: str, value: bool | None
    ) -> QuerySet:
        if value is None:
            return queryset
        flagged = cast("PropertyFirmQuerySet", queryset).needing_own_party_organisation()
        return flagged if value else queryset.exclude(pk__in=flagged.values("pk"))
