"""The demo's screens in real Chromium, opened at the addresses ``make demo`` prints.

锦绣花园's screen fills every panel (a notice's picture, the finance chart drawn by ECharts, the
fee rate, the asset lists, the proposals, the vote owners are answering with its turnout, the
last result and the firm's contact), and 凤鸣社区's screen shows its notices and each of its
compounds' disclosures, fee rate and open proposals.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_MS = 20_000
ADDRESS = re.compile(r"(http://\S+/screen/(?:community/)?[\w-]+/#token=\S+)\s+（(\S+) · (\S+)）")
PICTURE_LOADED = """() => {
    const picture = document.querySelector("#notice-feature img.notice-image");
    return picture !== null && picture.complete && picture.naturalWidth > 0;
}"""


@pytest.fixture
def addresses(live_server, wagtail_root, settings, tmp_path) -> dict[str, str]:
    """The demo loaded, and its printed screen addresses by what each shows.

    ``wagtail_root``: a transactional test before this one may have flushed the tree's root.
    """
    settings.VAR_DIR = tmp_path
    output = StringIO()
    call_command("load_demo", base_url=live_server.url, stdout=output)
    return {shows: url for url, _screen, shows in ADDRESS.findall(output.getvalue())}


def test_the_demo_screens_fill_every_panel(page, addresses) -> None:
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
