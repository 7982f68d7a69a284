"""A compound's public screen in real Chromium: it follows what is published, and rides out outages.

The screen reads only the persisted queries over HTTP from the live server, so these tests see
what a screen on the wall would: a notice published in the admin appears without a reload, and
when the server cannot be reached the last good data stays with a discreet 离线 mark.
"""

import pytest
from playwright.sync_api import expect

from api.models import Screen
from benchmarks.screen_data import populate_screen
from content_types.notices.models import NoticePage
from content_types.roles.models import Role
from tests.content_types.configured_disclosures.factories import ConfiguredDisclosurePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_MS = 15_000
# Each bar's amount as the chart's series hold it: one series a bar, the others empty there.
CHART_VALUES = """() => {
    const chart = echarts.getInstanceByDom(document.getElementById("finance-chart"));
    const series = chart.getOption().series;
    return series[0].data.map((_, row) => series.map((s) => s.data[row]).find((v) => v != null));
}"""


def graphql_requests(url: str) -> bool:
    return "/graphql/" in url


@pytest.fixture
def screen(live_server, page, street_tree):
    """锦绣花园's registered screen, open in the browser, polling every second, data on show."""
    populate_screen(street_tree.compound_a1, notices=5, pinned=1)
    registered = Screen(name="锦绣花园东门公开屏", scope=street_tree.compound_a1)
    token = registered.issue_token()
    registered.save()
    page.goto(f"{live_server.url}/screen/{street_tree.compound_a1.slug}/?poll=1#token={token}")
    expect(page.locator("#notice-list")).to_contain_text("二次供水设施检修停水通知（第1号）")
    page.evaluate("window.loadedOnce = true")
    return registered


def test_the_screen_shows_the_compounds_published_figures(page, screen) -> None:
    expect(page.locator("#notice-feature")).to_contain_text("置顶")
    expect(page.locator("#finance-title")).to_contain_text("2024年第三季度共有收益收支公开")
    # ECharts draws opening, three income and two expenditure categories, closing: one bar each.
    expect(page.locator("#finance-chart")).to_have_attribute("data-bars", "7")
    assert page.evaluate(CHART_VALUES) == [56000, 28800, 12000, 3600, 8650.5, 4320, 87429.5]
    expect(page.locator("#finance-summary")).to_contain_text("87,429.50 元")
    expect(page.locator("#fee-rate")).to_have_text("91.5%")  # 439 of 480 households
    expect(page.locator("#proposals")).to_contain_text("3幢电梯整体更换")
    votes = page.locator("#votes")
    expect(votes).to_contain_text("使用专项维修资金更换3幢电梯")
    expect(votes).to_contain_text("268 人")
    expect(votes).to_contain_text("27315.60 ㎡")
    expect(page.locator("#status")).to_contain_text("更新于")
    expect(page.locator("#configured-panel")).to_be_hidden()

    # A disclosure of a kind the configuration file declares, published: its table joins in.
    lifts = ConfiguredDisclosurePageFactory(parent=screen.scope, live=False)
    lifts.save_revision().publish()
    panel = page.locator("#configured-panel")
    expect(panel).to_be_visible(timeout=WAIT_MS)
    expect(panel.locator("h2")).to_have_text("电梯维保公示")
    expect(panel.locator("#configured-title")).to_contain_text("维保单位：绍兴安达电梯有限公司")
    expect(panel.locator("th")).to_have_text(["楼栋", "维保日期", "维保结果", "下次维保日期"])
    expect(panel.locator("tbody td")).to_have_text(
        ["1幢", "2026年11月20日", "合格", "2026年12月5日"]
    )


def test_a_notice_published_in_the_admin_appears_without_a_reload(
    page, screen, street_tree, role_user
) -> None:
    commissioner = role_user(Role.COMMISSIONER, street_tree.compound_a1, "commissioner")
    street_office = role_user(Role.STREET_OFFICE, street_tree.street, "street_office")
    notice = NoticePage(
        title="地下车库照明改造完工公告",
        slug="garage-lights",
        summary="地下车库 LED 照明改造已完工，欢迎业主监督。",
        body=[("paragraph", "<p>地下车库 LED 照明改造已完工。</p>")],
        live=False,
    )
    street_tree.compound_a1.add_child(instance=notice)
    revision = notice.save_revision(user=commissioner)

    # A draft is not on the screen, however long it waits.
    page.wait_for_timeout(2_500)
    expect(page.locator("#notice-list")).not_to_contain_text("地下车库照明改造完工公告")

    revision.publish(user=street_office)

    notice_list = page.locator("#notice-list")
    expect(notice_list).to_contain_text("地下车库照明改造完工公告", timeout=WAIT_MS)
    assert page.evaluate("window.loadedOnce") is True, "the page was not reloaded"


def test_when_the_server_fails_the_last_data_stays_marked_offline(page, screen) -> None:
    page.route(graphql_requests, lambda route: route.abort("connectionrefused"))

    status = page.locator("#status")
    expect(status).to_contain_text("离线", timeout=WAIT_MS)
    expect(status).to_contain_text("最后更新")
    expect(status).to_have_class("status offline")
    expect(page.locator("#notice-list")).to_contain_text("二次供水设施检修停水通知（第1号）")
    expect(page.locator("#fee-rate")).to_have_text("91.5%")

    # A server answering with an error is as good as none: still the old data, still offline.
    page.unroute(graphql_requests)
    page.route(graphql_requests, lambda route: route.fulfill(status=500, body="错误"))
    page.wait_for_timeout(2_500)
    expect(status).to_contain_text("离线")
    expect(page.locator("#proposals")).to_contain_text("3幢电梯整体更换")

    page.unroute(graphql_requests)
    expect(status).to_contain_text("更新于", timeout=WAIT_MS)
    expect(status).not_to_have_class("status offline")
    assert page.evaluate("window.loadedOnce") is True


def test_a_revoked_screen_says_so_and_keeps_what_it_showed(page, screen) -> None:
    screen.revoke()

    status = page.locator("#status")
    expect(status).to_contain_text("该公开屏令牌已被吊销", timeout=WAIT_MS)
    expect(status).to_have_class("status offline")
    expect(page.locator("#notice-list")).to_contain_text("二次供水设施检修停水通知（第1号）")


def test_a_screen_opened_without_its_token_asks_for_one(live_server, page, street_tree) -> None:
    populate_screen(street_tree.compound_a1, notices=2)

    page.goto(f"{live_server.url}/screen/{street_tree.compound_a1.slug}/?poll=1")

    expect(page.locator("#status")).to_contain_text("需要公开屏令牌", timeout=WAIT_MS)
    expect(page.locator("#notice-feature")).to_be_empty()
