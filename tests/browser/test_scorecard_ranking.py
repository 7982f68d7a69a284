"""The street office reads 2026年上半年's ranking: the trend of the totals is drawn by the
vendored ECharts under the admin's Content-Security-Policy beside a table of the same numbers,
a compound's scorecard shows what each score rests on, and publishing the 赛比争先 list puts
it on the public site."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from content_types.roles.models import Role
from content_types.scorecards.compute import compute
from content_types.scorecards.periods import from_key
from tests.content_types.scorecards.street import build

from .admin_session import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "weizhi-test"
CANVAS_HAS_INK = """() => {
    const canvas = document.querySelector("#scorecard-trend-chart canvas");
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    return pixels.some((value, index) => index % 4 === 3 && value > 0);
}"""
CHART_SERIES = """() => echarts.getInstanceByDom(document.getElementById("scorecard-trend-chart"))
    .getOption().series.map((s) => [s.name, s.data])"""


def test_the_street_office_reads_the_ranking_its_trend_and_publishes_the_list(
    page, live_server, street_tree, role_user, tmp_path
) -> None:
    build(street_tree)
    compute(from_key("2025H2"))
    compute(from_key("2026H1"))
    user = role_user(Role.STREET_OFFICE, street_tree.street, "street_office")
    user.set_password(PASSWORD)
    user.save()
    base = live_server.url
    sign_in(page, base, "street_office", PASSWORD)

    page.get_by_role("link", name="考评排名").first.click()
    expect(page.get_by_role("heading", name="2026年上半年考评 · 社区总分走势")).to_be_visible()
    expect(page.locator("#scorecard-trend-chart canvas")).to_have_count(1)
    assert page.evaluate(CANVAS_HAS_INK)
    series = dict(page.evaluate(CHART_SERIES))
    assert series["凤鸣社区"][1] == 74.21 and series["龙山社区"][1] == 54.48
    page.screenshot(path=str(tmp_path / "ranking.png"), full_page=True)
    rows = page.locator("#listing-results tbody tr")
    assert rows.first.inner_text().split("\t")[:2] == ["1", "凤鸣社区"]

    page.get_by_role("link", name="锦绣花园").first.click()
    expect(page.get_by_text("总分 69.03")).to_be_visible()
    page.locator("#line-disclosures_on_time + tr summary").click()
    expect(page.get_by_text("应于 2026-04-15 前公开，2026-04-20 公开（逾期）")).to_be_visible()
    page.get_by_role("link", name="← 返回2026年上半年排名").click()

    page.get_by_role("button", name="发布赛比争先榜").click()
    expect(page.get_by_text("已发布2026年上半年赛比争先榜。")).to_be_visible()
    page.get_by_role("link", name="查看公开页面").click()
    expect(page.get_by_role("heading", name="2026年上半年赛比争先榜")).to_be_visible()
    expect(page.get_by_text("凤鸣社区（74.21 分）")).to_be_visible()
