"""Filters for the API's lists, built on django-filter: a bad value is a Chinese error."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms

from content_types.configured_disclosures.models import ConfiguredDisclosurePage
from content_types.expenditures.models import ExpenditureProposalPage
from content_types.governance_tasks.models import GovernanceTask, TaskStatus
from content_types.notices.models import NoticeCategory, NoticePage
from graphql import GraphQLError

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from content_types.disclosures.kinds import DisclosureKind


class DateRangeForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(
                f"开始日期 {start:%Y-%m-%d} 晚于结束日期 {end:%Y-%m-%d}，请检查日期范围。"
            )
        return cleaned


def date_range(start_field: str, end_field: str | None = None) -> dict[str, Any]:
    """dateFrom/dateTo filters: a period overlapping the range, or a date within it."""
    end_field = end_field or start_field
    return {
        "date_from": django_filters.DateFilter(
            field_name=end_field, lookup_expr="gte", label="开始日期"
        ),
        "date_to": django_filters.DateFilter(
            field_name=start_field, lookup_expr="lte", label="结束日期"
        ),
    }


class NoticeFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=NoticeCategory.choices, label="类别")
    date_from = django_filters.DateFilter(
        field_name="first_published_at", lookup_expr="date__gte", label="开始日期"
    )
    date_to = django_filters.DateFilter(
        field_name="first_published_at", lookup_expr="date__lte", label="结束日期"
    )
    pinned = django_filters.BooleanFilter(label="置顶")

    class Meta:
        model = NoticePage
        fields: list[str] = []
        form = DateRangeForm


class DisclosureFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        field_name="first_published_at", lookup_expr="date__gte", label="开始日期"
    )
    date_to = django_filters.DateFilter(
        field_name="first_published_at", lookup_expr="date__lte", label="结束日期"
    )

    class Meta:
        fields: list[str] = []
        form = DateRangeForm


class ProposalFilter(DisclosureFilter):
    class Meta(DisclosureFilter.Meta):
        model = ExpenditureProposalPage


@cache
def filter_for(kind: DisclosureKind) -> type[django_filters.FilterSet]:
    """The filters of a kind's list: its dates, and its fund where it has one."""
    extra = {}
    if kind.fund_field:
        label = kind.model._meta.get_field(kind.fund_field).verbose_name
        extra[kind.fund_field] = django_filters.ChoiceFilter(choices=kind.funds(), label=label)
    meta = type("Meta", (), {"model": kind.model, "fields": [], "form": DateRangeForm})
    return type(
        f"{kind.type_name}Filter",
        (django_filters.FilterSet,),
        {**date_range(*kind.dates), **extra, "Meta": meta},
    )


class ConfiguredDisclosureFilter(django_filters.FilterSet):
    """A configured kind's pages by their date (公示日期)."""

    date_from = django_filters.DateFilter(field_name="as_of", lookup_expr="gte", label="开始日期")
    date_to = django_filters.DateFilter(field_name="as_of", lookup_expr="lte", label="结束日期")

    class Meta:
        model = ConfiguredDisclosurePage
        fields: list[str] = []
        form = DateRangeForm


class GovernanceTaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label="进展状态")
    area = django_filters.CharFilter(lookup_expr="icontains", label="重点任务类别")

    class Meta:
        model = GovernanceTask
        fields: list[str] = []


def apply_filters(
    filterset_class: type[django_filters.FilterSet], queryset: QuerySet, **arguments: Any
) -> QuerySet:
    """``queryset`` narrowed by the arguments given; invalid values are a Chinese error."""
    data = {name: value for name, value in arguments.items() if value is not None}
    filterset = filterset_class(data, queryset=queryset)
    if not filterset.is_valid():
        problems: list[str] = []
        for name, messages in filterset.errors.items():
            field = filterset.form.fields.get(name)
            label = f"{field.label}：" if field is not None and field.label else ""
            problems.extend(f"{label}{message}" for message in messages)
        raise GraphQLError(
            "筛选条件有误：" + "；".join(problems), extensions={"code": "BAD_FILTER"}
        )
    return filterset.qs
