"""A compound as its public screen sees it: notices, a finance statement, fees, proposals, a vote.

Shared by ``benchmarks.screen_feed`` (50 notices, the fixed data set it times) and the screen
page's browser test (a handful), so the page is tested on the shape of data the benchmark serves.
Usage (Django set up, e.g. inside a test)::

    compound = build_street()                       # street → community → compound, all live
    seeded = populate_screen(compound, notices=50)  # everything live and published
    seeded.notice_ids                               # the 50 notice ids, newest first

Everything is published through revisions, as an editor's approved work would be, and the
publication times are fixed relative to ``now`` so that every run orders the notices the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from wagtail.models import Page

from content_types.disclosures.models import (
    BuildingCollection,
    Direction,
    FeeCollectionPage,
    FinanceLine,
    FinanceStatementPage,
    Fund,
)
from content_types.expenditures.models import ExpenditureProposalPage
from content_types.notices.models import NoticeCategory, NoticePage
from content_types.structure.models import CommunityPage, CompoundPage, StreetPage
from core.civil_code import Matter, Measure, TallyCounts, decide
from workflows.voting.models import ResultStage, Vote, VoteResult, VoteStatus

CATEGORIES = list(NoticeCategory)
SUBJECTS = [
    ("二次供水设施检修停水通知", "本周六 8:00—12:00 二次供水设施检修，届时停水，请提前储水。"),
    ("电动自行车充电桩启用公告", "东门新增 40 个充电端口，扫码即用，禁止入户充电。"),
    ("共有收益收支情况公示", "上季度共有收益收支明细已公示，欢迎业主监督。"),
    ("垃圾分类宣传活动", "周日上午在中心广场开展垃圾分类宣传，欢迎参加。"),
    ("消防通道清理通知", "请各位业主于本周内移走占用消防通道的车辆和杂物。"),
]


FINANCE_LINES = [
    (Direction.INCOME, "停车费", "地面停车位租金", "28800.00"),
    (Direction.INCOME, "广告费", "电梯轿厢广告", "12000.00"),
    (Direction.INCOME, "场地租金", "快递柜场地", "3600.00"),
    (Direction.EXPENDITURE, "电梯维修", "3幢电梯更换钢丝绳", "8650.50"),
    (Direction.EXPENDITURE, "公共照明", "地下车库灯具更换", "4320.00"),
]
BUILDINGS = [("1幢", 120, 112), ("2幢", 120, 109), ("3幢", 120, 101), ("4幢", 120, 117)]


def statement_fields() -> dict[str, Any]:
    """A quarter's shared-revenue statement whose lines are ``FINANCE_LINES`` (they balance)."""
    opening = Decimal("56000.00")
    closing = opening + sum(
        (Decimal(a) if d == Direction.INCOME else -Decimal(a) for d, _, _, a in FINANCE_LINES),
        Decimal("0.00"),
    )
    return {
        "title": "2024年第三季度共有收益收支公开",
        "slug": "finance-2024q3",
        "fund": Fund.SHARED_REVENUE,
        "period_start": date(2024, 7, 1),
        "period_end": date(2024, 9, 30),
        "opening_balance": opening,
        "closing_balance": closing,
    }


def fee_fields() -> dict[str, Any]:
    """A year's fee collection whose buildings are ``BUILDINGS``."""
    return {
        "title": "2024年度物业费收缴情况公开",
        "slug": "fees-2024",
        "period_start": date(2024, 1, 1),
        "period_end": date(2024, 12, 31),
        "households_total": sum(b[1] for b in BUILDINGS),
        "households_paid": sum(b[2] for b in BUILDINGS),
        "amount_due": Decimal("576000.00"),
        "amount_collected": Decimal("526800.00"),
    }


@dataclass
class SeededScreen:
    compound: CompoundPage
    notice_ids: list[int] = field(default_factory=list)
    statement: FinanceStatementPage | None = None
    fees: FeeCollectionPage | None = None
    proposals: list[ExpenditureProposalPage] = field(default_factory=list)
    vote: Vote | None = None


def build_street(slug: str = "bench") -> CompoundPage:
    """A live street, community and compound under the tree's root, for an empty database."""
    root = Page.get_first_root_node()
    street = root.add_child(instance=StreetPage(title="百官街道", slug=f"{slug}-street"))
    community = street.add_child(instance=CommunityPage(title="凤鸣社区", slug=f"{slug}-community"))
    return community.add_child(
        instance=CompoundPage(
            title="锦绣花园",
            slug=f"{slug}-compound",
            address="百官街道凤鸣路 88 号",
            household_count=480,
            total_exclusive_area=Decimal("45210.35"),
        )
    )


def publish_child(parent: Page, page: Page, when=None) -> Page:
    """Add ``page`` as a draft, then publish its revision: the path an approved edit takes."""
    page.live = False
    parent.add_child(instance=page)
    page.save_revision().publish()
    if when is not None:
        type(page).objects.filter(pk=page.pk).update(
            first_published_at=when, last_published_at=when
        )
        page.first_published_at = page.last_published_at = when
    return page


def populate_screen(compound: CompoundPage, *, notices: int = 50, pinned: int = 3) -> SeededScreen:
    now = timezone.now().replace(microsecond=0)
    seeded = SeededScreen(compound=compound)
    for n in range(notices):
        title, summary = SUBJECTS[n % len(SUBJECTS)]
        notice = publish_child(
            compound,
            NoticePage(
                title=f"{title}（第{n + 1}号）",
                slug=f"notice-{n + 1}",
                category=CATEGORIES[n % len(CATEGORIES)],
                summary=summary,
                body=[("paragraph", f"<p>{summary}</p>")],
                pinned=n < pinned,
            ),
            when=now - timedelta(hours=n + 1),
        )
        seeded.notice_ids.append(notice.pk)

    seeded.statement = publish_child(
        compound,
        FinanceStatementPage(  # type: ignore[misc]  # modelcluster child rows
            **statement_fields(),
            lines=[
                FinanceLine(direction=d, category=c, description=s, amount=Decimal(a))
                for d, c, s, a in FINANCE_LINES
            ],
        ),
    )
    seeded.fees = publish_child(
        compound,
        FeeCollectionPage(  # type: ignore[misc]  # modelcluster child rows
            **fee_fields(),
            buildings=[
                BuildingCollection(
                    building=name,
                    households_total=total,
                    households_paid=paid,
                    amount_due=Decimal(total * 1200),
                    amount_collected=Decimal(paid * 1200),
                )
                for name, total, paid in BUILDINGS
            ],
        ),
    )
    for slug, title, amount in (
        ("lift-3", "3幢电梯整体更换", "386000.00"),
        ("roof-5", "5幢屋面防水维修", "74500.00"),
    ):
        seeded.proposals.append(
            publish_child(
                compound,
                ExpenditureProposalPage(
                    title=title,
                    slug=slug,
                    purpose=f"{title}，消除安全隐患。",
                    amount=Decimal(amount),
                    fund_source=Fund.MAINTENANCE_FUND,
                    matter=Matter.USE_MAINTENANCE_FUND.value,
                    usage_report_due=date(2025, 6, 30),
                ),
            )
        )
    seeded.vote = _final_vote(compound, seeded.proposals[0], now)
    return seeded


def _final_vote(compound: CompoundPage, proposal: Page, now) -> Vote:
    vote = Vote.objects.create(
        compound=compound,
        proposal=proposal,
        matter=Matter.USE_MAINTENANCE_FUND.value,
        title="使用专项维修资金更换3幢电梯",
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=16),
        status=VoteStatus.FINAL,
        opened_at=now - timedelta(days=30),
        closed_at=now - timedelta(days=16),
        objection_deadline=now - timedelta(days=9),
        finalised_at=now - timedelta(days=8),
    )
    counts = TallyCounts(
        eligible=Measure(452, Decimal("45210.35")),
        participating=Measure(331, Decimal("33480.20")),
        for_=Measure(268, Decimal("27315.60")),
        against=Measure(41, Decimal("4012.10")),
        abstain=Measure(22, Decimal("2152.50")),
    )
    for stage in (ResultStage.PRELIMINARY, ResultStage.FINAL):
        VoteResult.from_decision(vote, stage, decide(vote.matter_enum, counts)).save()
    return vote
