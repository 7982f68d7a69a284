"""A new kind of 公示 from the configuration file to the wall, in real Chromium.

The street office adds a kind in the admin's configuration editor (typed into CodeMirror),
reads the plan and applies it; 锦绣花园's owners' committee writes a page of the kind in the
table editor, meets the rules' messages naming row and column, fixes the cells and submits it;
the community office approves it, and the page is on the public compound page, on the
compound's screen and in the GraphQL ``configuredDisclosures`` list.
"""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from api.models import Screen
from content_types.configured_disclosures.models import ConfiguredDisclosurePage, ConfiguredKind
from content_types.structure.models import CompoundPage
from site_config.models import ConfigVersion

from .admin_session import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_MS = 15_000

# Appended to the example file, whose last section is ``disclosure_kinds``.
NEW_KIND = """  - code: water-tank
    name: 二次供水水箱清洗公示
    levels: [compound]
    editors: [owners_committee, property_firm]
    chain: 小区内容审核
    schedule: {every: half_year, grace_days: 30}
    header:
      - {code: tanks_total, label: 清洗水箱合计, type: integer, required: true}
    columns:
      - {code: place, label: 水箱位置, type: text, required: true}
      - {code: tanks, label: 水箱数量, type: integer, required: true}
      - {code: cleaned_on, label: 清洗日期, type: date, required: true}
      - {code: tested_on, label: 水质检测日期, type: date, required: true}
    rules:
      - {type: total, column: tanks, header: tanks_total}
      - {type: not_before, column: tested_on, other: cleaned_on}
"""

QUERY = """query ($kind: String!) {
  configuredDisclosures(kind: $kind, compound: "jinxiu") {
    totalCount
    items { title kind { name } header { label text } rows { cells { label text } } }
  }
}"""


def test_a_kind_added_in_the_editor_is_written_reviewed_and_published(
    live_server, page, wagtail_root
) -> None:
    call_command("load_demo", structure_only=True)
    jinxiu = CompoundPage.objects.get(slug="jinxiu")
    screen = Screen.objects.get(scope=jinxiu)
    token = screen.issue_token()
    screen.save()
    base = live_server.url

    # 街道微治办: 站点配置 › 配置文件与版本 › 编辑, the kind typed at the end of the file.
    sign_in(page, base, "street_office")
    page.get_by_role("button", name="站点配置").click()
    page.get_by_role("link", name="配置文件与版本").click()
    page.get_by_role("link", name="编辑或上传配置").click()
    editor = page.locator(".CodeMirror")
    expect(editor).to_contain_text("百官街道小区微治理配置")
    editor.click()
    page.keyboard.press("Control+End")
    if page.evaluate("window.configEditor.getLine(window.configEditor.lastLine())"):
        page.keyboard.press("End")
        page.keyboard.insert_text("\n")
    page.keyboard.insert_text(NEW_KIND)
    page.locator("#id_note").fill("新增二次供水水箱清洗公示")
    page.get_by_role("button", name="计划（先演练，不修改）").click()

    plan = page.locator("#config-plan")
    expect(page.locator("#plan-summary")).to_contain_text("新建 1，更新 0，移除 0")
    expect(plan).to_contain_text("二次供水水箱清洗公示")
    expect(plan).to_contain_text("baiguan.yaml")
    assert not ConfiguredKind.objects.filter(code="water-tank").exists()
    page.get_by_label("我已核对以上计划").check()
    page.get_by_role("button", name="应用此配置").click()
    expect(page.locator(".messages")).to_contain_text("已应用", timeout=WAIT_MS)
    kind = ConfiguredKind.objects.get(code="water-tank", active=True)
    assert ConfigVersion.objects.current().note == "新增二次供水水箱清洗公示"
    sign_out(page, base, "街道微治办")

    # 业委会: a page of the new kind, its table filled in the browser, two rules broken.
    sign_in(page, base, "committee")
    page.goto(f"{base}/admin/pages/{jinxiu.pk}/add_subpage/")
    page.get_by_role("link", name="配置的公示", exact=True).click()
    page.get_by_role("link", name="二次供水水箱清洗公示").click()
    expect(page.locator("#page-edit-form")).to_contain_text("公示种类：二次供水水箱清洗公示")
    page.locator("#id_title").fill("锦绣花园2026年下半年二次供水水箱清洗公示")
    page.locator("#id_as_of").fill("2026-12-01")
    page.locator("#id_as_of").press("Escape")
    page.locator("#id_header__tanks_total").fill("3")
    expect(page.locator("[name=table_rows]")).to_have_count(1)
    table = page.locator("table.declared-table-editor")
    expect(table.locator("th")).to_contain_text(["水箱位置 *", "水箱数量 *", "清洗日期 *"])
    first = table.locator("tbody tr").nth(0)
    first.get_by_label("水箱位置").fill("1幢屋顶水箱")
    first.get_by_label("水箱数量").fill("1")
    first.get_by_label("清洗日期").fill("2026-11-20")
    first.get_by_label("水质检测日期").fill("2026-11-18")
    page.get_by_role("button", name="添加一行").click()
    second = table.locator("tbody tr").nth(1)
    second.get_by_label("水箱位置").fill("地下泵房水箱")
    second.get_by_label("水箱数量").fill("1")
    second.get_by_label("清洗日期").fill("2026-11-21")
    second.get_by_label("水质检测日期").fill("2026-11-22")
    page.locator("footer .w-dropdown__toggle").click()
    page.get_by_role("button", name="提交给小区内容审核").click()

    errors = page.locator("#table-errors")
    expect(errors).to_contain_text(
        "第 1 行“水质检测日期”：不能早于“清洗日期”（2026年11月20日）。", timeout=WAIT_MS
    )
    expect(errors).to_contain_text("各行“水箱数量”合计 2，与“清洗水箱合计”3 不符。")
    assert not ConfiguredDisclosurePage.objects.exists()

    # What was typed is kept; the two cells are fixed and the page goes to review.
    first = table.locator("tbody tr").nth(0)
    expect(first.get_by_label("水箱位置")).to_have_value("1幢屋顶水箱")
    first.get_by_label("水质检测日期").fill("2026-11-23")
    table.locator("tbody tr").nth(1).get_by_label("水箱数量").fill("2")
    page.locator("footer .w-dropdown__toggle").click()
    page.get_by_role("button", name="提交给小区内容审核").click()
    expect(page.locator(".messages")).to_contain_text("已创建并提交审核", timeout=WAIT_MS)
    written = ConfiguredDisclosurePage.objects.get(kind=kind)
    assert not written.live
    sign_out(page, base, "锦绣花园业委会")

    # 社区微治办 approves it from the dashboard.
    sign_in(page, base, "community_office")
    queue = page.locator("section", has=page.get_by_role("heading", name="待我审核"))
    row = queue.locator("tr", has_text="锦绣花园2026年下半年二次供水水箱清洗公示")
    expect(row).to_contain_text("社区审核")
    row.get_by_role("button", name="通过").click()
    page.wait_for_url(f"{base}/admin/pages/{written.pk}/edit/")
    written.refresh_from_db()
    assert written.live

    # The public compound page lists it, and its own page shows the table.
    page.goto(f"{base}/fengming/jinxiu/")
    listed = page.locator("body")
    expect(listed).to_contain_text("二次供水水箱清洗公示")
    page.get_by_role("link", name="锦绣花园2026年下半年二次供水水箱清洗公示").first.click()
    body = page.locator("body")
    expect(body).to_contain_text("清洗水箱合计")
    expect(body).to_contain_text("地下泵房水箱")
    expect(body).to_contain_text("2026年11月23日")

    # The compound's screen shows its table.
    page.goto(f"{base}/screen/jinxiu/?poll=1#token={token}")
    panel = page.locator("#configured-panel")
    expect(panel).to_be_visible(timeout=WAIT_MS)
    expect(panel.locator("h2")).to_have_text("二次供水水箱清洗公示")
    expect(panel.locator("th")).to_have_text(["水箱位置", "水箱数量", "清洗日期", "水质检测日期"])
    expect(panel.locator("tbody td")).to_have_text(
        [
            *("1幢屋顶水箱", "1", "2026年11月20日", "2026年11月23日"),
            *("地下泵房水箱", "2", "2026年11月21日", "2026年11月22日"),
        ]
    )

    # And the API lists it under the kind's code.
    response = page.context.request.post(
        f"{base}/graphql/",
        data=json.dumps({"query": QUERY, "variables": {"kind": "water-tank"}}),
        headers={"Content-Type": "application/json"},
    )
    found = response.json()["data"]["configuredDisclosures"]
    assert found["totalCount"] == 1
    [item] = found["items"]
    assert item["title"] == "锦绣花园2026年下半年二次供水水箱清洗公示"
    assert item["kind"]["name"] == "二次供水水箱清洗公示"
    assert item["header"] == [{"label": "清洗水箱合计", "text": "3"}]
    assert [[cell["text"] for cell in row["cells"]] for row in item["rows"]] == [
        ["1幢屋顶水箱", "1", "2026年11月20日", "2026年11月23日"],
        ["地下泵房水箱", "2", "2026年11月21日", "2026年11月22日"],
    ]
