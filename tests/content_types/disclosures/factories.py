"""Factories for disclosure pages and their rows.

Usage::

    statement = FinanceStatementPageFactory(parent=compound)        # balanced, live
    FinanceStatementPageFactory(
        parent=compound,
        opening_balance=Decimal("100.00"),
        lines=[FinanceLineFactory.build(direction=Direction.INCOME, amount=Decimal("20.00"))],
    )                                                                # closing computed: 120.00
    fees = FeeCollectionPageFactory(
        parent=compound, buildings=[BuildingCollectionFactory.build(building="1幢")]
    )
    AssetListsPageFactory(parent=compound)
    PropertyServicesPageFactory(parent=compound, live=False)        # a draft

Rows are passed built, not saved (``RowFactory.build(...)``): the page saves them with itself.
``closing_balance`` defaults to the balanced figure; pass it to make an unbalanced statement.
The fee collection totals default to the sums of ``buildings`` when buildings are given.
"""

from datetime import date
from decimal import Decimal

import factory
import wagtail_factories

from content_types.disclosures.models import (
    AssetItem,
    AssetKind,
    AssetListsPage,
    BuildingCollection,
    Direction,
    EnergyCostSplit,
    EnergyKind,
    FeeCollectionPage,
    FinanceLine,
    FinanceStatementPage,
    Fund,
    PropertyServicesPage,
    ServiceItem,
    SplitBasis,
)


class FinanceLineFactory(factory.django.DjangoModelFactory):
    direction = Direction.INCOME
    category = "停车费"
    description = "地面停车位租金"
    amount = Decimal("1000.00")

    class Meta:
        model = FinanceLine


def _closing(statement) -> Decimal:
    signed = (
        line.amount if line.direction == Direction.INCOME else -line.amount
        for line in statement.lines
    )
    return statement.opening_balance + sum(signed, Decimal("0.00"))


class FinanceStatementPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"共有收益收支公开（第{n}期）")
    slug = factory.Sequence(lambda n: f"finance-{n}")
    fund = Fund.SHARED_REVENUE
    period_start = date(2024, 1, 1)
    period_end = date(2024, 3, 31)
    opening_balance = Decimal("10000.00")
    lines = factory.LazyFunction(
        lambda: [
            FinanceLineFactory.build(direction=Direction.INCOME, amount=Decimal("3600.00")),
            FinanceLineFactory.build(
                direction=Direction.EXPENDITURE,
                category="电梯维修",
                description="3幢电梯更换钢丝绳",
                amount=Decimal("1250.50"),
            ),
        ]
    )
    closing_balance = factory.LazyAttribute(_closing)

    class Meta:
        model = FinanceStatementPage


class BuildingCollectionFactory(factory.django.DjangoModelFactory):
    building = factory.Sequence(lambda n: f"{n + 1}幢")
    households_total = 60
    households_paid = 54
    amount_due = Decimal("72000.00")
    amount_collected = Decimal("64800.00")

    class Meta:
        model = BuildingCollection


def _sum_or(field: str, default):
    """The sum of the buildings' figure, or ``default`` when no buildings are given."""

    def total(page):
        return sum((getattr(b, field) for b in page.buildings), 0) if page.buildings else default

    return factory.LazyAttribute(total)


class FeeCollectionPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"物业费收缴情况公开（第{n}期）")
    slug = factory.Sequence(lambda n: f"fees-{n}")
    period_start = date(2024, 1, 1)
    period_end = date(2024, 12, 31)
    buildings = factory.LazyFunction(list)
    households_total = _sum_or("households_total", 300)
    households_paid = _sum_or("households_paid", 270)
    amount_due = _sum_or("amount_due", Decimal("360000.00"))
    amount_collected = _sum_or("amount_collected", Decimal("324000.00"))

    class Meta:
        model = FeeCollectionPage


class AssetItemFactory(factory.django.DjangoModelFactory):
    kind = AssetKind.PUBLIC_RESOURCE
    name = "地面停车位"
    location = "小区东门内侧"
    quantity = Decimal("40")
    unit = "个"
    usage = "出租给业主停车"
    annual_income = Decimal("28800.00")

    class Meta:
        model = AssetItem


class AssetListsPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"三张清单（第{n}版）")
    slug = factory.Sequence(lambda n: f"assets-{n}")
    as_of = date(2024, 6, 30)
    items = factory.LazyFunction(
        lambda: [
            AssetItemFactory.build(),
            AssetItemFactory.build(
                kind=AssetKind.ASSET,
                name="业委会办公用房",
                location="3幢架空层",
                quantity=Decimal("35.50"),
                unit="平方米",
                usage="业委会办公",
                annual_income=Decimal("0.00"),
            ),
            AssetItemFactory.build(
                kind=AssetKind.FUND,
                name="共有收益定期存款",
                location="某银行百官支行",
                quantity=Decimal("200000.00"),
                unit="元",
                usage="一年期定期存款",
                annual_income=Decimal("3000.00"),
            ),
        ]
    )

    class Meta:
        model = AssetListsPage


class ServiceItemFactory(factory.django.DjangoModelFactory):
    item = "保洁"
    standard = "楼道每日清扫一次，每周拖洗一次。"
    fee = Decimal("1.20")
    fee_unit = "元/平方米·月"

    class Meta:
        model = ServiceItem


class EnergyCostSplitFactory(factory.django.DjangoModelFactory):
    period_start = date(2024, 3, 1)
    period_end = date(2024, 3, 31)
    kind = EnergyKind.ELECTRICITY
    total_cost = Decimal("12000.00")
    basis = SplitBasis.AREA
    split_over = Decimal("27500.50")

    class Meta:
        model = EnergyCostSplit


class PropertyServicesPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"物业服务与公共能耗公示（第{n}期）")
    slug = factory.Sequence(lambda n: f"services-{n}")
    effective_from = date(2024, 1, 1)
    services = factory.LazyFunction(lambda: [ServiceItemFactory.build()])
    energy_splits = factory.LazyFunction(lambda: [EnergyCostSplitFactory.build()])

    class Meta:
        model = PropertyServicesPage
