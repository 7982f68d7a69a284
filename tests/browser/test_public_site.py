"""An owner reads the demo street's 锦绣花园 on a phone, then on a desktop, in real Chromium.

On a phone (375 px) the owner opens the compound page from its public address and finds every
section filled: current notices, each kind of disclosure, the proposals with their steps, the
committee, the firm and whom to contact. The latest finance statement has its chart drawn and
its table, and its printed 公示 the same table with a QR code and room for a seal; a proposal the
owners decided leads to its vote result (heads and area) and to its usage report. An expired
notice is in the archive, found by its search box and readable there, and not in the current
list; a draft notice and a restricted one are nowhere. On a desktop (1920 px) the fee
collection's chart stands beside the table of the same rates. No page weighs more than 500 KB
compressed before images, the ECharts bundle included, and none scrolls sideways.

Then the demo's screens, opened at the addresses ``make demo`` prints: 锦绣花园's screen fills
every panel (a notice's picture, the finance chart drawn by ECharts, the fee rate, the asset
lists, the proposals, the vote owners are answering with its turnout, the last result and the
firm's contact), and 凤鸣社区's screen shows its notices and each of its compounds'
disclosures, fee rate and open proposals. The demo is large, so both walks share one load.
"""

from __future__ import annotations

import gzip
import re
from io import StringIO
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect
from wagtail.models import PageViewRestriction, Site

from content_types.configured_disclosures.models import ConfiguredKind
from content_types.disclosures.kinds import KINDS
from content_types.notices.models import NoticePage
from content_types.structure.models import CompoundPage
from tests.content_types.notices.factories import NoticePageFactory

if TYPE_CHECKING:
    from collections.abc import Callable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1920, "height": 1080}
MAX_PAGE_BYTES = 500_000
DRAFT, RESTRICTED = "尚未审核的停电通知（草稿）", "仅限业委会查看的通知"
SCREEN = {"width": 1366, "height": 900}
WAIT_MS = 20_000
ADDRESS = re.compile(r"(http://\S+/screen/(?:community/)?[\w-]+/#token=\S+)\s+（(\S+) · (\S+)）")
PICTURE_LOADED = """() => {
    const picture = document.querySelector("#notice-feature img.notice-image");
    return picture !== null && picture.complete && picture.naturalWidth > 0;
}"""
CANVAS_HAS_INK = """(selector) => {
    const canvas = document.querySelector(`${selector} canvas`);
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    return pixels.some((value, index) => index % 4 === 3 && value > 0);
}"""


@pytest.fixture
def screen_addresses(live_server, wagtail_root, tmp_path) -> dict[str, str]:
    """The demo street, loaded as ``make demo`` loads it, and its printed screen addresses by
    what each shows.

    ``wagtail_root``: a transactional test before this one may have flushed the tree's root.
    """
    output = StringIO()
    with override_settings(VAR_DIR=tmp_path):
        call_command("load_demo", base_url=live_server.url, stdout=output)
    return {shows: url for url, _screen, shows in ADDRESS.findall(output.getvalue())}


@pytest.fixture
def jinxiu(live_server, screen_addresses) -> CompoundPage:
    """The demo street served at the live server's address, with a draft notice and a
    restricted one added to 锦绣花园."""
    address = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(hostname=address.hostname, port=address.port)
    Site.clear_site_root_paths_cache()
    compound = CompoundPage.objects.get(slug="jinxiu")
    NoticePageFactory(parent=compound, title=DRAFT, live=False)
    restricted = NoticePageFactory(parent=compound, title=RESTRICTED)
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    yield compound
    Site.clear_site_root_paths_cache()


class Weighing:
    """What a page loaded, compressed as the production server sends it, images left out."""

    def __init__(self, page) -> None:
        self.responses = []
        page.on("response", self.note)

    def note(self, response) -> None:
        self.responses.append(response)

    def forget(self) -> None:
        self.responses.clear()

    def bytes(self) -> int:
        loaded = [r for r in self.responses if r.request.resource_type != "image"]
        return sum(len(gzip.compress(response.body(), 9)) for response in loaded)


def weigh(page, weighing: Weighing, go: Callable[[], object], width: int) -> None:
    """Load a page by ``go`` and check its weight, and that it fits ``width``."""
    weighing.forget()
    go()
    page.wait_for_load_state("networkidle")
    assert weighing.bytes() <= MAX_PAGE_BYTES, page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_an_owner_reads_the_compound_on_a_phone_and_on_a_desktop_then_the_screens_fill_every_panel(
    page, jinxiu, screen_addresses
) -> None:
    expired = NoticePage.objects.descendant_of(jinxiu).filter(expired=True).first()
    weighing = Weighing(page)
    page.set_viewport_size(PHONE)
    weigh(page, weighing, lambda: page.goto(jinxiu.full_url), PHONE["width"])

    expect(page.locator("h1")).to_have_text("锦绣花园")
    notices = page.locator("#notices ul.notices > li")
    expect(notices.first).to_contain_text("【置顶】")
    current = " ".join(notices.all_inner_texts())
    assert expired.title not in current
    for section in page.locator("#disclosures .disclosure-kind").all():
        expect(section.locator("li a").first).to_be_visible()
    declared = ConfiguredKind.objects.filter(active=True).order_by("sort_order", "code")
    assert page.locator("#disclosures h3").all_inner_texts() == [
        *(kind.label for kind in KINDS),
        *(kind.name for kind in declared),
    ]
    expect(page.locator("#committee li").first).to_contain_text("主任")
    expect(page.locator("#contact")).to_contain_text("服务电话")
    expect(page.locator("#contact")).to_contain_text("小区专员")
    expect(page.locator("#contact")).to_contain_text("办公电话")
    for hidden in (DRAFT, RESTRICTED):
        expect(page.get_by_text(hidden)).to_have_count(0)

    # The latest finance statement: its chart is drawn and its table lists the same figures.
    finance = page.locator('#disclosures [data-kind="finance_statement"] li a').first
    title = finance.inner_text()
    weigh(page, weighing, finance.click, PHONE["width"])
    expect(page.locator("h1")).to_have_text(title)
    assert page.evaluate(CANVAS_HAS_INK, "#finance-chart")
    expect(page.locator("#finance-by-category tbody tr").first).to_contain_text("期初余额")
    # Its printed 公示: the same title and table, a QR code to this page and room for a seal.
    page.get_by_role("link", name="打印公示").click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("#finance-by-category tbody tr").first).to_contain_text("期初余额")
    expect(page.locator(".online svg")).to_have_count(1)
    expect(page.locator(".seal")).to_have_text("盖章处")
    page.go_back()
    page.go_back()

    # A proposal the owners decided: its vote result in both measures, then its usage report.
    decided = page.locator("#proposals article").filter(has_text="表决结果详情").first
    expect(decided.locator("table.steps")).to_contain_text("业主大会审定")
    expect(decided).to_contain_text("平方米")
    report_link = decided.locator("table.steps tr", has_text="使用情况公开").locator("a").first
    report_title = report_link.inner_text()
    decided.get_by_role("link", name="表决结果详情").click()
    expect(page.locator("main")).to_contain_text("同意")
    expect(page.locator("main")).to_contain_text("平方米")
    page.go_back()
    page.locator("#proposals").get_by_role("link", name=report_title).click()
    expect(page.locator("h1")).to_have_text(report_title)
    expect(page.locator("main")).to_contain_text("实际使用金额")
    page.go_back()

    # The expired notice is in the archive, and its search box finds it.
    archive = page.get_by_role("link", name="往期通知（已到期）")
    weigh(page, weighing, archive.click, PHONE["width"])
    expect(page.locator("ul.notices")).to_contain_text(expired.title)
    page.get_by_role("searchbox").fill(expired.title[:4])
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("main")).to_contain_text("的搜索结果")
    expect(page.locator("ul.notices")).to_contain_text(expired.title)
    page.locator("ul.notices").get_by_role("link", name=expired.title).click()
    expect(page.locator("h1")).to_have_text(expired.title)
    expect(page.locator("main")).to_contain_text("到期，仅供查阅")
    page.go_back()
    for hidden in (DRAFT, RESTRICTED):
        expect(page.get_by_text(hidden)).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # On a desktop: the fee collection's chart beside the table of the same rates.
    page.set_viewport_size(DESKTOP)
    weigh(page, weighing, lambda: page.goto(jinxiu.full_url), DESKTOP["width"])
    fees = page.locator('#disclosures [data-kind="fee_collection"] li a').first
    weigh(page, weighing, fees.click, DESKTOP["width"])
    assert page.evaluate(CANVAS_HAS_INK, "#fee-chart")
    chart, table = (
        page.locator("#fee-chart").bounding_box(),
        page.locator("#fee-rates").bounding_box(),
    )
    assert chart["x"] + chart["width"] <= table["x"] and abs(chart["y"] - table["y"]) < 40
    buildings = page.locator("#fee-rates tbody tr td:first-child").all_inner_texts()
    drawn = page.evaluate(
        """() => echarts.getInstanceByDom(document.getElementById("fee-chart"))
            .getOption().yAxis[0].data"""
    )
    assert drawn == buildings and len(buildings) > 1
    page.set_viewport_size(PHONE)
    weigh(page, weighing, page.reload, PHONE["width"])

    # The demo's screens, on the screen's own size.
    page.set_viewport_size(SCREEN)
    the_demo_screens_fill_every_panel(page, screen_addresses)


def the_demo_screens_fill_every_panel(page, addresses: dict[str, str]) -> None:
    page.goto(addresses["锦绣花园"].replace("/#token=", "/?poll=1#token=", 1))
    expect(page.locator("#status")).to_contain_text("更新于", timeout=WAIT_MS)
    expect(page.locator("#notice-feature h3")).not_to_be_empty()
    expect(page.locator("#notice-list li")).not_to_have_count(0)
    expect(page.locator("#finance-chart svg")).to_have_count(1)
    expect(page.locator("#finance-summary dd")).to_have_count(4)
    expect(page.locator("#fee-rate")).to_have_text(re.compile(r"^\d+\.\d%$"))
    expect(page.locator("#assets li")).not_to_have_count(0)
    expect(page.locator("#proposals li:not(.empty)")).not_to_have_count(0)
    open_votes = page.locator("#open-votes")
    expect(open_votes.locator(".turnout")).to_have_count(1)
    expect(open_votes).to_contain_text("按人数")
    expect(open_votes).to_contain_text("按面积")
    expect(page.locator("#votes table")).to_have_count(1)
    expect(page.locator("#firm")).to_contain_text("上虞锦程物业服务有限公司")
    expect(page.locator("#firm")).to_contain_text("0575-82100001")
    for panel in page.locator("main .panel").all():
        expect(panel.locator(".empty")).to_have_count(0)
    page.clock.install()  # rotate through the notices at once rather than every 12 seconds
    page.reload()
    expect(page.locator("#status")).to_contain_text("更新于", timeout=WAIT_MS)
    for _ in range(12):
        if page.evaluate(PICTURE_LOADED):
            break
        page.clock.run_for(12_000)
        page.wait_for_timeout(300)
    assert page.evaluate(PICTURE_LOADED), "the notice's picture is shown"

    page.goto(addresses["凤鸣社区"])
    expect(page.locator("#status")).to_contain_text("更新于", timeout=WAIT_MS)
    expect(page.locator("#notice-feature h3")).not_to_be_empty()
    cards = page.locator("#compound-cards .compound-card")
    expect(cards).to_have_count(2)
    for card in cards.all():
        expect(card.locator(".figure .value").first).to_have_text(re.compile(r"^\d+\.\d%$"))
        expect(card.locator(".dues .state")).not_to_have_count(0)
        expect(card).to_contain_text("按时公开")
    expect(cards.first).to_contain_text("进行中的大额资金使用申请")
    for panel in page.locator("main .panel").all():
        expect(panel.locator(".empty")).to_have_count(0)
