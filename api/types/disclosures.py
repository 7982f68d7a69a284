"""Disclosures (公开公示) with their structured rows.

The kinds written out here add totals, rates and labels; any other registered kind gets a type
made from its model: its own fields, its rows and when it was first published.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import graphene
from graphene_django import DjangoObjectType

from content_types.disclosures.models import (
    AssetItem,
    AssetListsPage,
    BuildingCollection,
    EnergyCostSplit,
    FeeCollectionPage,
    FinanceLine,
    FinanceStatementPage,
    PropertyServicesPage,
    ServiceItem,
    line_totals,
)

if TYPE_CHECKING:
    from django.db.models import Model

    from content_types.disclosures.kinds import DisclosureKind


def _label(field: str) -> graphene.String:
    return graphene.String(required=True, description=f"{field}的中文名称")


class FinanceLineType(DjangoObjectType):
    direction_label = _label("收支")

    class Meta:
        model = FinanceLine
        name = "FinanceLine"
        fields = ("id", "direction", "category", "description", "amount")
        description = "收支明细"
        convert_choices_to_enum = False

    @staticmethod
    def resolve_direction_label(line: FinanceLine, info: Any) -> str:
        return line.get_direction_display()


class FinanceStatementType(DjangoObjectType):
    fund_label = _label("资金类别")
    lines = graphene.List(graphene.NonNull(FinanceLineType), required=True)
    income_total = graphene.Decimal(required=True, description="收入合计（元）")
    expenditure_total = graphene.Decimal(required=True, description="支出合计（元）")
    published_at = graphene.DateTime(description="首次发布时间")

    class Meta:
        model = FinanceStatementPage
        name = "FinanceStatement"
        fields = (
            "id",
            "title",
            "slug",
            "fund",
            "period_start",
            "period_end",
            "opening_balance",
            "closing_balance",
            "notes",
        )
        description = "资金收支公开"
        convert_choices_to_enum = False

    @staticmethod
    def resolve_fund_label(page: FinanceStatementPage, info: Any) -> str:
        return page.get_fund_display()

    @staticmethod
    def resolve_lines(page: FinanceStatementPage, info: Any) -> list[FinanceLine]:
        return list(page.lines.all())

    @staticmethod
    def resolve_income_total(page: FinanceStatementPage, info: Any) -> Any:
        return line_totals(page.lines.all())[0]

    @staticmethod
    def resolve_expenditure_total(page: FinanceStatementPage, info: Any) -> Any:
        return line_totals(page.lines.all())[1]

    @staticmethod
    def resolve_published_at(page: FinanceStatementPage, info: Any) -> Any:
        return page.first_published_at


class CollectionRates:
    rate_by_amount = graphene.Decimal(description="收缴率（按金额，百分比）；应收为 0 时为空")
    rate_by_households = graphene.Decimal(description="收缴率（按户数，百分比）；应缴为 0 时为空")


class BuildingCollectionType(CollectionRates, DjangoObjectType):
    class Meta:
        model = BuildingCollection
        name = "BuildingCollection"
        fields = (
            "id",
            "building",
            "households_total",
            "households_paid",
            "amount_due",
            "amount_collected",
        )
        description = "楼栋收缴情况"


class FeeCollectionType(CollectionRates, DjangoObjectType):
    buildings = graphene.List(graphene.NonNull(BuildingCollectionType), required=True)
    collection_rate = graphene.Decimal(
        description="收缴率（按金额，百分比），同 rateByAmount，供公开屏使用"
    )
    published_at = graphene.DateTime(description="首次发布时间")

    class Meta:
        model = FeeCollectionPage
        name = "FeeCollection"
        fields = (
            "id",
            "title",
            "slug",
            "period_start",
            "period_end",
            "households_total",
            "households_paid",
            "amount_due",
            "amount_collected",
            "notes",
        )
        description = "物业费收缴公开"

    @staticmethod
    def resolve_buildings(page: FeeCollectionPage, info: Any) -> list[BuildingCollection]:
        return list(page.buildings.all())

    @staticmethod
    def resolve_collection_rate(page: FeeCollectionPage, info: Any) -> Any:
        return page.rate_by_amount

    @staticmethod
    def resolve_published_at(page: FeeCollectionPage, info: Any) -> Any:
        return page.first_published_at


class AssetItemType(DjangoObjectType):
    kind_label = _label("清单")

    class Meta:
        model = AssetItem
        name = "AssetItem"
        fields = ("id", "kind", "name", "location", "quantity", "unit", "usage", "annual_income")
        description = "三张清单的条目"
        convert_choices_to_enum = False

    @staticmethod
    def resolve_kind_label(item: AssetItem, info: Any) -> str:
        return item.get_kind_display()


class AssetListsType(DjangoObjectType):
    items = graphene.List(graphene.NonNull(AssetItemType), required=True)
    published_at = graphene.DateTime(description="首次发布时间")

    class Meta:
        model = AssetListsPage
        name = "AssetLists"
        fields = ("id", "title", "slug", "as_of", "notes")
        description = "三张清单（公共资源、资产、资金）"

    @staticmethod
    def resolve_items(page: AssetListsPage, info: Any) -> list[AssetItem]:
        return list(page.items.all())

    @staticmethod
    def resolve_published_at(page: AssetListsPage, info: Any) -> Any:
        return page.first_published_at


class ServiceItemType(DjangoObjectType):
    class Meta:
        model = ServiceItem
        name = "ServiceItem"
        fields = ("id", "item", "standard", "fee", "fee_unit")
        description = "物业服务项目"


class EnergyCostSplitType(DjangoObjectType):
    kind_label = _label("能耗类别")
    basis_label = _label("分摊方式")
    share = graphene.Decimal(description="每平方米或每户分摊的费用（元）")
    unit_label = graphene.String(required=True, description="分摊单位，如“元/平方米”")

    class Meta:
        model = EnergyCostSplit
        name = "EnergyCostSplit"
        fields = ("id", "period_start", "period_end", "kind", "total_cost", "basis", "split_over")
        description = "公共能耗分摊"
        convert_choices_to_enum = False

    @staticmethod
    def resolve_kind_label(split: EnergyCostSplit, info: Any) -> str:
        return split.get_kind_display()

    @staticmethod
    def resolve_basis_label(split: EnergyCostSplit, info: Any) -> str:
        return split.get_basis_display()

    @staticmethod
    def resolve_share(split: EnergyCostSplit, info: Any) -> Any:
        return split.share

    @staticmethod
    def resolve_unit_label(split: EnergyCostSplit, info: Any) -> str:
        return split.unit_label


class PropertyServicesType(DjangoObjectType):
    services = graphene.List(graphene.NonNull(ServiceItemType), required=True)
    energy_splits = graphene.List(graphene.NonNull(EnergyCostSplitType), required=True)
    published_at = graphene.DateTime(description="首次发布时间")

    class Meta:
        model = PropertyServicesPage
        name = "PropertyServices"
        fields = ("id", "title", "slug", "effective_from", "notes")
        description = "物业服务与公共能耗公示"

    @staticmethod
    def resolve_services(page: PropertyServicesPage, info: Any) -> list[ServiceItem]:
        return list(page.services.all())

    @staticmethod
    def resolve_energy_splits(page: PropertyServicesPage, info: Any) -> list[EnergyCostSplit]:
        return list(page.energy_splits.all())

    @staticmethod
    def resolve_published_at(page: PropertyServicesPage, info: Any) -> Any:
        return page.first_published_at


WRITTEN_OUT = {
    written._meta.model: written
    for written in (FinanceStatementType, FeeCollectionType, AssetListsType, PropertyServicesType)
}


def _own_fields(model: type[Model]) -> tuple[str, ...]:
    return tuple(
        field.name
        for field in model._meta.local_concrete_fields
        if not field.is_relation and field.name != "sort_order"
    )


def _rows_field(model: type[Model], relation: str) -> tuple[graphene.List, Any]:
    row_model: Any = model._meta.get_field(relation).related_model
    meta = {
        "model": row_model,
        "name": row_model.__name__,
        "fields": ("id", *_own_fields(row_model)),
        "description": str(row_model._meta.verbose_name),
        "convert_choices_to_enum": False,
    }
    row_type = type(
        f"{row_model.__name__}Type", (DjangoObjectType,), {"Meta": type("Meta", (), meta)}
    )

    def resolve(page: Any, info: Any) -> list[Any]:
        return list(getattr(page, relation).all())

    return graphene.List(graphene.NonNull(row_type), required=True), staticmethod(resolve)


@cache
def object_type(kind: DisclosureKind) -> type[DjangoObjectType]:
    """The GraphQL type of a kind's pages."""
    if kind.model in WRITTEN_OUT:
        return WRITTEN_OUT[kind.model]
    attrs: dict[str, Any] = {}
    for relation in kind.rows:
        attrs[relation], attrs[f"resolve_{relation}"] = _rows_field(kind.model, relation)
    meta = {
        "model": kind.model,
        "name": kind.type_name,
        "fields": ("id", "title", "slug", *_own_fields(kind.model)),
        "description": kind.label,
        "convert_choices_to_enum": False,
    }
    return type(
        f"{kind.type_name}Type",
        (DjangoObjectType,),
        {
            **attrs,
            "published_at": graphene.DateTime(description="首次发布时间"),
            "resolve_published_at": staticmethod(_first_published_at),
            "Meta": type("Meta", (), meta),
        },
    )


def _first_published_at(page: Any, info: Any) -> Any:
    return page.first_published_at
