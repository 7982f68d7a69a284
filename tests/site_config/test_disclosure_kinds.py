"""Disclosure kinds in the file: checked with path and line, applied, and changed only as far
as the pages holding values allow."""

from __future__ import annotations

import datetime

import pytest

from content_types.configured_disclosures.models import ConfiguredDisclosurePage, ConfiguredKind
from content_types.structure.models import CompoundPage
from site_config.apply import RemovalRefused, apply_file
from site_config.validation import ConfigError

from .conftest import MINIMAL

pytestmark = pytest.mark.django_db

KIND = """\
disclosure_kinds:
  - code: elevator-maintenance
    name: 电梯维保公示
    levels: [compound]
    editors: [owners_committee]
    chain: 小区内容审核
    header:
      - {code: firm, label: 维保单位, type: text, required: true}
    columns:
      - {code: building, label: 楼栋, type: text, required: true}
      - {code: lift_no, label: 电梯编号, type: text}
      - {code: result, label: 维保结果, type: choice, options: [合格, 停用待修]}
"""


def with_kind(kind: str = KIND) -> str:
    return MINIMAL + kind


def held_page(compound_slug: str = "jinxiu", lift_no: str = "3") -> ConfiguredDisclosurePage:
    compound = CompoundPage.objects.get(slug=compound_slug)
    page = ConfiguredDisclosurePage(
        title="2026年第四季度电梯维保公示",
        kind=ConfiguredKind.objects.get(code="elevator-maintenance"),
        as_of=datetime.date(2026, 12, 1),
        header={"firm": "绍兴安达电梯"},
        rows=[{"building": "1幢", "lift_no": lift_no, "result": "合格"}],
    )
    compound.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_a_broken_kind_is_reported_at_its_line(empty_site, write_config) -> None:
    broken = with_kind(
        KIND.replace("chain: 小区内容审核", "chain: 不存在的流程").replace(
            "type: choice, options: [合格, 停用待修]", "type: choice"
        )
        + "    rules:\n      - {type: total, column: building, header: firm}\n"
        + "    computed: {code: rate, label: 比率, numerator: lift_no, denominator: nobody}\n"
    )
    lines = broken.splitlines()

    with pytest.raises(ConfigError) as refused:
        apply_file(write_config(broken))

    report = refused.value.report()
    line_of = lambda text: next(n for n, line in enumerate(lines, 1) if text in line)  # noqa: E731
    assert f"site.yaml 第{line_of('不存在的流程')}行" in report
    assert "没有名为“不存在的流程”的审核流程" in report
    assert "disclosure_kinds[0].columns[2].options：选项列须列出 options。" in report
    assert f"site.yaml 第{line_of('type: total')}行" in report
    assert "“building”的类型是text，这里不适用" in report
    assert "没有代码为“nobody”的列或表头字段" in report
    assert not ConfiguredKind.objects.exists()


def test_adding_an_optional_column_is_fine_and_a_second_apply_does_nothing(
    empty_site, write_config
) -> None:
    apply_file(write_config(with_kind()))
    held_page()
    more = KIND + "      - {code: remark, label: 备注, type: text}\n"

    plan = apply_file(write_config(with_kind(more)))

    assert [change.describe() for change in plan.changes][0].startswith(
        "更新 公示种类 elevator-maintenance（电梯维保公示）：表格列"
    )
    assert [c["code"] for c in ConfiguredKind.objects.get().columns][-1] == "remark"
    assert apply_file(write_config(with_kind(more))).is_empty


def test_removing_a_column_with_values_is_refused_unless_the_file_drops_them(
    empty_site, write_config
) -> None:
    apply_file(write_config(with_kind()))
    page = held_page()
    without = KIND.replace("      - {code: lift_no, label: 电梯编号, type: text}\n", "")

    with pytest.raises(RemovalRefused) as refused:
        apply_file(write_config(with_kind(without)))
    assert "删除列“电梯编号”会丢失《2026年第四季度电梯维保公示》中的数据" in str(refused.value)
    assert "drop: lift_no" in str(refused.value)
    assert len(ConfiguredKind.objects.get().columns) == 3

    apply_file(write_config(with_kind(without + "    migrations:\n      - {drop: lift_no}\n")))
    page.refresh_from_db()
    assert page.rows == [{"building": "1幢", "result": "合格"}]


def test_a_type_change_converts_values_only_when_stated_and_possible(
    empty_site, write_config
) -> None:
    apply_file(write_config(with_kind()))
    page = held_page(lift_no="3")
    unreadable = held_page("yangguang", lift_no="三号")
    integer = KIND.replace(
        "{code: lift_no, label: 电梯编号, type: text}",
        "{code: lift_no, label: 电梯编号, type: integer}",
    )
    stated = integer + "    migrations:\n      - {retype: lift_no}\n"

    with pytest.raises(RemovalRefused) as unstated:
        apply_file(write_config(with_kind(integer)))
    with pytest.raises(RemovalRefused) as unconvertible:
        apply_file(write_config(with_kind(stated)))

    assert "列“电梯编号”改变类型或选项" in str(unstated.value)
    assert "retype: lift_no" in str(unstated.value)
    assert "第 1 行“三号”应为整数" in str(unconvertible.value)
    unreadable.delete()
    apply_file(write_config(with_kind(stated)))
    page.refresh_from_db()
    assert page.rows[0]["lift_no"] == 3


def test_removing_a_kind_with_pages_needs_allow_delete_and_keeps_them(
    empty_site, write_config
) -> None:
    apply_file(write_config(with_kind()))
    page = held_page()

    with pytest.raises(RemovalRefused) as refused:
        apply_file(write_config(MINIMAL))
    assert "仍有 1 个该种类的页面" in str(refused.value)

    apply_file(write_config(MINIMAL), allow_delete=True)
    page.refresh_from_db()
    assert not page.live and ConfiguredDisclosurePage.objects.filter(pk=page.pk).exists()
    assert not ConfiguredKind.objects.get().active
    # Declared again, the kind is back, its pages still offline until someone publishes them.
    apply_file(write_config(with_kind()))
    assert ConfiguredKind.objects.get().active
