"""The owners' side in real Chromium: printed 公示 on A4, and every public page accessible and
light.

锦绣花园 holds what the demo holds: notices, a year's finance statement, fee collection,
the three lists, property services, a proposal decided and reported on, and one whose owners'
vote is open. A short notice prints on one A4 sheet and a year's statement on two, each with
the QR code of its public address and the issuing body's seal space on the last sheet. Every
public page (the compound, notices, disclosures, proposals, the vote's pages, the printed
forms) has no serious or critical axe-core violation and weighs under 500 KB compressed before
images.

It is one test, walking far: the server thread reads only committed data, and a
transactional test's data is flushed after it, so a second test would build the street again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
import segno
from wagtail.models import Site

from content_types.disclosures.models import Direction
from tests.api.test_screen_feed import vote_result
from tests.content_types.disclosures.factories import (
    AssetListsPageFactory,
    FeeCollectionPageFactory,
    FinanceLineFactory,
    FinanceStatementPageFactory,
    PropertyServicesPageFactory,
)
from tests.content_types.expenditures.factories import (
    ExpenditureProposalPageFactory,
    UsageReportPageFactory,
)
from tests.content_types.notices.factories import NoticePageFactory
from tests.workflows.chains.expenditure import draft, make_chains, make_people, through_to_vote
from tests.workflows.chains.factories import roll_units
from workflows.voting.services import open_vote

from .audits import axe_violations, compressed_weight
from .public_site import site_at

if TYPE_CHECKING:
    from wagtail.models import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_WEIGHT = 500 * 1024
PAGE_OBJECT = re.compile(rb"/Type\s*/Page\b(?!s)")
INCOME = ["地面停车位租金", "电梯广告位租金", "快递柜场地费", "充电桩场地费"]
SPENDING = ["公共设施维修", "审计费", "绿化补植", "消防器材更换"]


@dataclass
class Street:
    base: str
    compound: Page
    pages: dict[str, Page]
    vote_urls: list[str]

    def public_url(self, page: Page) -> str:
        return page.full_url

    def print_url(self, page: Page) -> str:
        return f"{self.base}/print/{page.pk}/"


def a_years_lines() -> list:
    """Two lines a month for a year: an income and a spending, each on its own category."""
    return [
        FinanceLineFactory.build(
            direction=direction,
            category=categories[month % len(categories)],
            description=f"{month}月{direction.label}",
            amount=Decimal(base) + month,
        )
        for month in range(1, 13)
        for direction, categories, base in (
            (Direction.INCOME, INCOME, "1200.00"),
            (Direction.EXPENDITURE, SPENDING, "800.00"),
        )
    ]


@pytest.fixture
def street(live_server, street_tree, role_user) -> Street:
    tree = street_tree
    compound = tree.compound_a1
    people = make_people(tree, role_user)
    make_chains(tree)
    roll_units(compound)
    vote = open_vote(through_to_vote(draft(compound), people, compound), people["chair"])
    decided = ExpenditureProposalPageFactory(parent=compound, slug="gate-barrier")
    result = vote_result(compound, title="更换南门道闸")
    pages = {
        "notice": NoticePageFactory(
            parent=compound, slug="water", title="二次供水设施检修停水通知"
        ),
        "statement": FinanceStatementPageFactory(
            parent=compound,
            slug="finance-2025",
            title="2025年度共有收益收支公开",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            lines=a_years_lines(),
            first_published_at=datetime.fromisoformat("2026-01-10T10:00+08:00"),
            owner=people["chair"],
        ),
        "fees": FeeCollectionPageFactory(parent=compound, slug="fees"),
        "assets": AssetListsPageFactory(parent=compound, slug="assets"),
        "services": PropertyServicesPageFactory(parent=compound, slug="services"),
        "proposal": decided,
        "report": UsageReportPageFactory(parent=decided, slug="spent"),
    }
    site_at(live_server.url, tree.street)
    votes = ["/vote/", f"/vote/{vote.pk}/", f"/vote/{vote.pk}/proposal/"]
    votes.append(f"/vote/{result.vote_id}/result/")
    yield Street(live_server.url, compound, pages, [f"{live_server.url}{url}" for url in votes])
    Site.clear_site_root_paths_cache()


def printed_pages(page, url: str) -> tuple[int, str]:
    """``url`` printed to PDF on A4 by Chromium: its sheets, and its QR code's SVG path."""
    page.goto(url)
    pdf = page.pdf(format="A4")
    return len(PAGE_OBJECT.findall(pdf)), page.locator("svg.qr-code path").get_attribute("d")


def qr_path(url: str) -> str:
    """The SVG path segno draws for ``url``: the same modules mean the same encoded address."""
    return re.search(r' d="([^"]+)"', segno.make(url, error="m").svg_inline()).group(1)


def test_owners_print_the_pages_and_every_public_page_is_accessible_and_light(street, page) -> None:
    a_notice_prints_on_one_sheet_and_a_years_statement_on_two_with_the_pages_code(street, page)
    every_public_page_is_accessible_and_under_500_kb_before_images(street, page)


def a_notice_prints_on_one_sheet_and_a_years_statement_on_two_with_the_pages_code(
    street, page
) -> None:
    notice, statement = street.pages["notice"], street.pages["statement"]

    # From the notice's public page, 打印公示 opens its printed form.
    page.goto(street.public_url(notice))
    page.get_by_role("link", name="打印公示").click()
    page.wait_for_url(street.print_url(notice))
    sheets, code = printed_pages(page, street.print_url(notice))
    assert sheets == 1
    assert code == qr_path(street.public_url(notice))
    sign = page.locator("footer.sign")
    assert street.public_url(notice) in sign.inner_text()
    assert "盖章处" in sign.inner_text()

    sheets, code = printed_pages(page, street.print_url(statement))
    assert sheets == 2
    assert code == qr_path(street.public_url(statement))
    assert page.locator("footer.sign .issuer-name").inner_text() == "锦绣花园业主委员会"
    assert page.locator("p.issued").inner_text() == "锦绣花园业主委员会 · 2026年1月10日"
    rows = page.locator("table.figures").last.locator("tbody tr")
    assert rows.count() == 24
    # The chart is the screen's: printed, the table beside it carries the figures.
    assert page.locator("#finance-chart").count() == 1
    assert not page.locator("#finance-chart").is_visible()

    # The compound's gate poster is one sheet with the code of the compound's page.
    sheets, code = printed_pages(page, street.print_url(street.compound))
    assert sheets == 1
    assert code == qr_path(street.public_url(street.compound))


def every_public_page_is_accessible_and_under_500_kb_before_images(street, page) -> None:
    pages = [street.compound, *street.pages.values()]
    urls = [
        *(street.public_url(each) for each in pages),
        *street.vote_urls,
        *(street.print_url(each) for each in pages),
    ]

    assert axe_violations(page, urls) == {}

    heavy = {}
    for url in urls:
        weights = compressed_weight(page, url)
        assert url in weights  # the page itself is counted, whatever else it loads
        if sum(weights.values()) > MAX_WEIGHT:
            heavy[url] = weights
    assert heavy == {}
