"""What each compound discloses over the year, with figures that add up as the models demand.

Finance statements of all three funds (shared revenue for the last two half-years, each closing
balance the next opening one, the other funds for the last), property-fee collection for the
last four quarters with per-building figures, the three lists, and the property services with
their shared energy costs. Each is published through its compound's chain about ten days after
its period ends, so no schedule shows it as overdue. Figures follow each compound's households
and area, so compounds differ as real ones would.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

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
from content_types.roles.models import Role

from .review import add_draft, approve_all, has_child, person, submit

if TYPE_CHECKING:
    from wagtail.models import Page

    from content_types.structure.models import CompoundPage

    from .clock import Clock

CENT = Decimal("0.01")
PUBLISH_AFTER_DAYS = 10
# (fund, income lines, expenditure lines): each line (category, description, yuan per m² a year).
FUND_LINES = {
    Fund.SHARED_REVENUE: (
        [("地面停车位租金", "临时停车及月租车位", "1.10"), ("电梯广告位租金", "轿厢广告", "0.45")],
        [("公共设施维修", "路灯、门禁维修", "0.38"), ("审计费", "年度财务审计", "0.12")],
    ),
    Fund.MAINTENANCE_FUND: (
        [("存款利息", "专项维修资金定期存款利息", "0.32")],
        [("屋面防水维修", "顶层渗漏处理", "0.55")],
    ),
    Fund.COMMITTEE_FUNDS: (
        [("共有收益划拨", "经业主大会同意划拨的运行经费", "0.16")],
        [("办公用品", "打印、档案盒", "0.03"), ("会议补贴", "委员误工补贴", "0.09")],
    ),
}
OPENING_PER_M2 = {
    Fund.SHARED_REVENUE: Decimal("2.40"),
    Fund.MAINTENANCE_FUND: Decimal("38.00"),
    Fund.COMMITTEE_FUNDS: Decimal("0.20"),
}
FEE_PER_M2_MONTH = Decimal("1.60")
HOUSEHOLDS_PER_BUILDING = 60


def yuan(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def variation(compound: Page, salt: int) -> Decimal:
    """A fixed factor between 0.90 and 1.10 for this compound, so figures differ between them."""
    return Decimal(90 + (compound.pk * 7 + salt * 13) % 21) / 100


def load(clock: Clock, compounds: list[CompoundPage]) -> None:
    for compound in compounds:
        finance_statements(clock, compound)
        fee_collections(clock, compound)
        asset_lists(clock, compound)
        property_services(clock, compound)


def published(clock: Clock, compound: CompoundPage, page: Page, role: str, days_ago: int) -> None:
    """Written by ``role`` ``days_ago`` days ago, approved the next day by its chain."""
    author = person(compound, role)
    with clock.at(days_ago + 1, hour=10):
        add_draft(compound, page, author)
        submit(page, author)
    with clock.at(days_ago, hour=11):
        approve_all(page, comment="数据已核对，同意公开。")


def after_period(clock: Clock, end: datetime.date) -> int:
    """Days ago a disclosure of a period ending ``end`` was published (never in the future)."""
    return max(clock.days_since(end) - PUBLISH_AFTER_DAYS, 0)


def finance_statements(clock: Clock, compound: CompoundPage) -> None:
    area = compound.total_exclusive_area or Decimal("30000")
    for fund_number, (fund, (income, spending)) in enumerate(FUND_LINES.items()):
        balance = yuan(area * OPENING_PER_M2[fund] * variation(compound, fund_number))
        # Shared revenue for the last two half-years (its schedule's), the others for the last.
        periods = clock.half_years(2 if fund == Fund.SHARED_REVENUE else 1)
        for half, (start, end) in enumerate(periods):
            lines = [
                FinanceLine(
                    direction=direction,
                    category=category,
                    description=description,
                    amount=yuan(area * Decimal(rate) / 2 * variation(compound, half + index)),
                )
                for direction, rows in (
                    (Direction.INCOME, income),
                    (Direction.EXPENDITURE, spending),
                )
                for index, (category, description, rate) in enumerate(rows)
            ]
            closing = balance + sum(
                (line.amount if line.direction == Direction.INCOME else -line.amount)
                for line in lines
            )
            slug = f"finance-{fund.replace('_', '-')}-{start:%Y%m}"
            if not has_child(compound, slug):
                page = FinanceStatementPage(  # type: ignore[misc]  # modelcluster child rows
                    title=f"{start:%Y年}{half_label(start)}{fund.label}收支公开",
                    slug=slug,
                    fund=fund,
                    period_start=start,
                    period_end=end,
                    opening_balance=balance,
                    closing_balance=closing,
                    lines=lines,
                    notes="原始凭证存放于业委会办公室，业主可预约查阅。",
                )
                published(clock, compound, page, Role.OWNERS_COMMITTEE, after_period(clock, end))
            balance = closing


def half_label(start: datetime.date) -> str:
    return "上半年" if start.month == 1 else "下半年"


def split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if index < total % parts else 0) for index in range(parts)]


def fee_collections(clock: Clock, compound: CompoundPage) -> None:
    households = compound.household_count or 300
    area = compound.total_exclusive_area or Decimal("30000")
    fee_per_home = yuan(area / households * FEE_PER_M2_MONTH * 3)
    buildings = split(households, max(households // HOUSEHOLDS_PER_BUILDING, 2))
    for quarter, (start, end) in enumerate(clock.quarters(4)):
        slug = f"fees-{start:%Y%m}"
        if has_child(compound, slug):
            continue
        rows = []
        for number, homes in enumerate(buildings, start=1):
            paid = homes - (number + quarter + compound.pk) % 5 - homes // 20
            due = fee_per_home * homes
            rows.append(
                BuildingCollection(
                    building=f"{number}幢",
                    households_total=homes,
                    households_paid=paid,
                    amount_due=due,
                    amount_collected=fee_per_home * paid,
                )
            )
        page = FeeCollectionPage(  # type: ignore[misc]  # modelcluster child rows
            title=f"{start:%Y年}第{(start.month + 2) // 3}季度物业费收缴情况",
            slug=slug,
            period_start=start,
            period_end=end,
            households_total=sum(row.households_total for row in rows),
            households_paid=sum(row.households_paid for row in rows),
            amount_due=sum(row.amount_due for row in rows),
            amount_collected=sum(row.amount_collected for row in rows),
            buildings=rows,
            notes="往期欠费和预缴费用不计入本期收缴率。",
        )
        published(clock, compound, page, Role.PROPERTY_FIRM, after_period(clock, end))


def asset_lists(clock: Clock, compound: CompoundPage) -> None:
    if has_child(compound, "asset-lists"):
        return
    homes = compound.household_count or 300
    items = [
        (
            AssetKind.PUBLIC_RESOURCE,
            "地面停车位",
            "小区主干道两侧",
            homes // 6,
            "个",
            "月租及临停",
            homes * 18,
        ),
        (
            AssetKind.PUBLIC_RESOURCE,
            "电梯广告位",
            "各幢电梯轿厢",
            homes // 40,
            "个",
            "出租给广告公司",
            homes * 6,
        ),
        (AssetKind.PUBLIC_RESOURCE, "快递柜场地", "北门内侧", 2, "处", "出租给快递柜运营商", 3600),
        (AssetKind.ASSET, "业委会办公室", "物业服务中心二楼", 36, "平方米", "业委会办公", 0),
        (AssetKind.ASSET, "监控设备", "各出入口及车库", homes // 12, "台", "物业使用维护", 0),
        (
            AssetKind.FUND,
            "专项维修资金",
            "住房维修资金专户",
            homes * 4200,
            "元",
            "定期存款",
            homes * 40,
        ),
    ]
    page = AssetListsPage(
        title="公共资源、资产、资金三张清单",
        slug="asset-lists",
        as_of=clock.day(40),
        items=[
            AssetItem(
                kind=kind,
                name=name,
                location=location,
                quantity=Decimal(quantity),
                unit=unit,
                usage=usage,
                annual_income=Decimal(income),
            )
            for kind, name, location, quantity, unit, usage, income in items
        ],
        notes="清单每年清查一次，变动时及时更新。",
    )
    published(clock, compound, page, Role.PROPERTY_FIRM, 30)


def energy_splits(
    compound: CompoundPage,
    area: Decimal,
    homes: int,
    start: datetime.date,
    end: datetime.date,
    months: int,
) -> list[EnergyCostSplit]:
    """Electricity by area and water by household, for ``months`` of shared use."""
    return [
        EnergyCostSplit(
            period_start=start,
            period_end=end,
            kind=EnergyKind.ELECTRICITY,
            total_cost=yuan(area * Decimal("0.07") * months * variation(compound, 5)),
            basis=SplitBasis.AREA,
            split_over=area,
        ),
        EnergyCostSplit(
            period_start=start,
            period_end=end,
            kind=EnergyKind.WATER,
            total_cost=yuan(Decimal(homes) * Decimal("1.20") * months * variation(compound, 6)),
            basis=SplitBasis.HOUSEHOLD,
            split_over=Decimal(homes),
        ),
    ]


def property_services(clock: Clock, compound: CompoundPage) -> None:
    if has_child(compound, "property-services"):
        return
    area = compound.total_exclusive_area or Decimal("30000")
    homes = compound.household_count or 300
    start, end = clock.quarters(1)[0]
    page = PropertyServicesPage(
        title=f"{clock.today:%Y年}物业服务内容、收费标准及公共能耗分摊公示",
        slug="property-services",
        effective_from=datetime.date(clock.today.year, 1, 1),
        services=[
            ServiceItem(item="保洁", standard="楼道每日清扫一次、每周拖洗一次；垃圾日产日清。"),
            ServiceItem(item="秩序维护", standard="出入口 24 小时值守，每两小时巡逻一次。"),
            ServiceItem(item="绿化养护", standard="草坪每月修剪两次，乔灌木每年修剪两次。"),
            ServiceItem(
                item="物业服务费",
                standard="含上述公共服务，按专有部分面积计收。",
                fee=FEE_PER_M2_MONTH,
                fee_unit="元/平方米·月",
            ),
        ],
        energy_splits=[
            # Last year's whole shared energy costs (the yearly schedule asks for them), then
            # the latest quarter's.
            *energy_splits(compound, area, homes, *clock.last_year(), 12),
            *energy_splits(compound, area, homes, start, end, 3),
        ],
    )
    # Published in the current year, as the yearly schedule asks.
    published(
        clock,
        compound,
        page,
        Role.PROPERTY_FIRM,
        min(clock.days_since(page.effective_from) - 1, 45),
    )
