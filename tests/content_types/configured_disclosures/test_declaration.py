"""Every column type and rule of a declared kind, as an editor meets them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from content_types.configured_disclosures.declaration import Declaration

FIRE = Declaration.from_json(
    "fire-safety",
    "消防设施检查公示",
    header=[
        {"code": "inspected_on", "label": "检查日期", "type": "date", "required": True},
        {"code": "points_total", "label": "检查点位合计", "type": "integer", "required": True},
        {"code": "budget", "label": "整改预算", "type": "money"},
    ],
    columns=[
        {"code": "place", "label": "部位", "type": "text", "required": True},
        {"code": "item", "label": "设施", "type": "choice", "options": ["灭火器", "消火栓"]},
        {"code": "points", "label": "检查点位", "type": "integer", "required": True},
        {"code": "passed", "label": "合格点位", "type": "integer"},
        {"code": "cost", "label": "整改费用", "type": "money"},
        {"code": "share", "label": "分摊比例", "type": "percent"},
        {"code": "area", "label": "面积", "type": "decimal"},
        {"code": "found_on", "label": "发现日期", "type": "date"},
        {"code": "fixed_on", "label": "整改日期", "type": "date"},
        {"code": "report", "label": "整改报告", "type": "document"},
        {"code": "photo", "label": "照片", "type": "image"},
    ],
    rules=[
        {"type": "total", "column": "points", "header": "points_total"},
        {"type": "bounds", "column": "share", "min": "0", "max": "100"},
        {"type": "not_before", "column": "fixed_on", "other": "found_on"},
    ],
    computed={"code": "rate", "label": "合格率", "numerator": "passed", "denominator": "points"},
)
HEADER = {"inspected_on": "2026-11-30", "points_total": "30", "budget": "1200.5"}


def good_row(**cells: str) -> dict[str, str]:
    return {"place": "1幢地下车库", "item": "灭火器", "points": "30", "passed": "29", **cells}


def problems(header: dict[str, str], rows: list[dict[str, str]]) -> list[str]:
    return [str(problem) for problem in FIRE.check(header, rows)[2]]


def test_a_good_table_is_stored_typed_and_computed() -> None:
    row = good_row(
        cost="1,200.5",
        share="12.5%",
        area="3.25",
        found_on="2026-11-01",
        fixed_on="2026-11-20",
        report="7",
        photo="9",
    )
    header, rows, found = FIRE.check(HEADER, [row, {"place": "", "points": ""}])

    assert found == []
    assert header == {"inspected_on": "2026-11-30", "points_total": 30, "budget": "1200.50"}
    # The blank second row is dropped; money has two places; the rate is exact, half up.
    assert rows == [
        {
            "place": "1幢地下车库",
            "item": "灭火器",
            "points": 30,
            "passed": 29,
            "cost": "1200.50",
            "share": "12.50",
            "area": "3.25",
            "found_on": "2026-11-01",
            "fixed_on": "2026-11-20",
            "report": 7,
            "photo": 9,
            "rate": "96.67",
        }
    ]
    assert FIRE.by_code["cost"].display(rows[0]["cost"]) == "1,200.50"
    assert FIRE.by_code["found_on"].display(rows[0]["found_on"]) == "2026年11月1日"
    assert FIRE.by_code["share"].value(rows[0]["share"]) == Decimal("12.50")


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"place": ""}, "第 1 行“部位”：必须填写。"),
        ({"item": "喷淋"}, "第 1 行“设施”：应为以下之一：灭火器、消火栓。"),
        ({"passed": "29.5"}, "第 1 行“合格点位”：应为整数，现为“29.5”。"),
        ({"cost": "12.345"}, "第 1 行“整改费用”：最多保留 2 位小数。"),
        ({"cost": "-3"}, "第 1 行“整改费用”：金额不能为负数。"),
        ({"cost": "十元"}, "第 1 行“整改费用”：应为数字，现为“十元”。"),
        ({"share": "1.005"}, "第 1 行“分摊比例”：最多保留 2 位小数。"),
        ({"area": "Infinity"}, "第 1 行“面积”：数值超出范围。"),
        (
            {"found_on": "2026/11/01"},
            "第 1 行“发现日期”：应为日期，如 2026-01-31，现为“2026/11/01”。",
        ),
        ({"report": "报告"}, "第 1 行“整改报告”：请选择文档。"),
        ({"photo": "x"}, "第 1 行“照片”：请选择图片。"),
        ({"place": "字" * 501}, "第 1 行“部位”：不能超过 500 个字。"),
    ],
)
def test_each_type_names_the_row_and_column_of_a_bad_cell(cells, message) -> None:
    assert problems(HEADER, [good_row(**cells)]) == [message]


def test_header_fields_are_checked_too() -> None:
    assert problems({**HEADER, "inspected_on": "", "budget": "abc"}, [good_row()]) == [
        "“检查日期”：必须填写。",
        "“整改预算”：应为数字，现为“abc”。",
    ]


def test_the_rules_over_the_table() -> None:
    rows = [
        good_row(points="20", share="100.01", found_on="2026-11-10", fixed_on="2026-11-09"),
        good_row(points="5"),
    ]

    assert problems(HEADER, rows) == [
        "“检查点位”：各行“检查点位”合计 25，与“检查点位合计”30 不符。",
        "第 1 行“分摊比例”：应在 0 与 100 之间。",
        "第 1 行“整改日期”：不能早于“发现日期”（2026年11月10日）。",
    ]


def test_a_rate_over_nothing_is_blank_and_too_many_rows_are_refused() -> None:
    assert FIRE.check(HEADER, [good_row(points="0", passed="0")])[1][0]["rate"] is None
    refused = problems(HEADER, [good_row()] * 501)
    assert refused == ["表格最多 500 行，现有 501 行。"]
