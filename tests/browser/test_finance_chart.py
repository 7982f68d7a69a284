"""A published finance statement on a phone: its chart is drawn, by the vendored ECharts under
the site's Content-Security-Policy, and the table beside it holds the same figures."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect
from wagtail.models import Site

from content_types.disclosures.models import Direction
from tests.content_types.disclosures.factories import (
    FinanceLineFactory,
    FinanceStatementPageFactory,
)

from .public_site import site_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Two parking lines add up to one category; the lines' order is income, expenditure, income.
LINES = [
    (Direction.INCOME, "停车费", "1200.00"),
    (Direction.EXPENDITURE, "电梯维修", "1250.50"),
    (Direction.INCOME, "广告位租金", "800.00"),
    (Direction.INCOME, "停车费", "2400.00"),
]
EXPECTED_ROWS = [
    ["期初余额", "余额", "10000.00"],
    ["停车费", "收入", "3600.00"],
    ["广告位租金", "收入", "800.00"],
    ["电梯维修", "支出", "1250.50"],
    ["期末余额", "余额", "13149.50"],
]
# Each row's amount as the chart's series hold it: one series a bar, the others empty there.
CHART_VALUES = """() => {
    const chart = echarts.getInstanceByDom(document.getElementById("finance-chart"));
    const series = chart.getOption().series;
    return series[0].data.map((_, row) => series.map((s) => s.data[row]).find((v) => v != null));
}"""
CANVAS_HAS_INK = """() => {
    const canvas = document.querySelector("#finance-chart canvas");
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    return pixels.some((value, index) => index % 4 === 3 && value > 0);
}"""


@pytest.fixture
def statement_url(live_server, street_tree) -> str:
    statement = FinanceStatementPageFactory(
        parent=street_tree.compound_a1,
        slug="finance-2024q1",
        lines=[
            FinanceLineFactory.build(direction=direction, category=category, amount=Decimal(amount))
            for direction, category, amount in LINES
        ],
    )
    site_at(live_server.url, street_tree.street)
    yield statement.full_url
    Site.clear_site_root_paths_cache()


def test_a_phone_shows_the_chart_drawn_and_a_table_with_the_same_figures(
    page, statement_url
) -> None:
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(statement_url)

    canvas = page.locator("#finance-chart canvas")
    expect(canvas).to_have_count(1)
    assert page.evaluate(CANVAS_HAS_INK)
    box = canvas.bounding_box()
    assert 0 < box["width"] <= 375
    rows = page.locator("#finance-by-category tbody tr")
    table = [row.locator("td").all_inner_texts() for row in rows.all()]
    assert table == EXPECTED_ROWS
    assert page.evaluate(CHART_VALUES) == [float(row[2]) for row in EXPECTED_ROWS]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
