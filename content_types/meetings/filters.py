"""Listing filters for joint meetings, offering only the user's compounds."""

from __future__ import annotations

import django_filters
from wagtail.admin.widgets import AdminDateInput

from content_types.roles.viewsets import CompoundScopedFilterSet
from content_types.structure.models import CompoundPage

from .models import JointMeeting


class JointMeetingFilterSet(CompoundScopedFilterSet):
    compound = django_filters.ModelChoiceFilter(label="小区", queryset=CompoundPage.objects.none())
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label="会议日期起", widget=AdminDateInput
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label="会议日期止", widget=AdminDateInput
    )

    class Meta:
        model = JointMeeting
        fields = ["compound"]
