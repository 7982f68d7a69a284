"""A broken file is refused whole: every problem at its path and line, in Chinese."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from site_config.validation import ConfigError, load_config

from .conftest import MINIMAL

pytestmark = pytest.mark.django_db


def problems(path) -> list[str]:
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    return [str(problem) for problem in refused.value.problems]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "street: {title: 百官街道, slug: baiguan}",
            "street: {title: 百官街道, slug: baiguan, colour: red}",
            "site.yaml 第1行，street.colour：未知的键（请检查拼写）。",
        ),
        (
            "households: 612",
            "households: 很多",
            "site.yaml 第6行，communities[0].compounds[0].households：应为整数，实际为“很多”。",
        ),
        (
            "slug: yangguang",
            "slug: jinxiu",
            "site.yaml 第7行，communities[0].compounds[1].slug：页面 slug“jinxiu”重复。",
        ),
        (
            "role: owners_committee",
            "role: mayor",
            "site.yaml 第12行，users[0].roles[0].role：取值“mayor”无效，可选：street_office、",
        ),
        (
            "scope: jinxiu}",
            "scope: nowhere}",
            "site.yaml 第12行，users[0].roles[0].scope：范围“nowhere”不存在",
        ),
        (
            "{role: community_office, scope: fengming}",
            "{role: community_office, scope: jinxiu}",
            "site.yaml 第14行，users[1].roles[0].scope：“社区微治办”只能授予在社区上，"
            "“jinxiu”是小区。",
        ),
        (
            "type: scoped_role",
            "type: telepathy",
            "site.yaml 第17行，chains[0].steps[0].type："
            "未知的审核步骤类型“telepathy”，可用：scoped_role",
        ),
        (
            "  - username: office",
            "  - username: committee",
            "site.yaml 第13行，users[1].username：用户名“committee”重复。",
        ),
        (
            "street: {title: 百官街道, slug: baiguan}",
            "include: [people.yaml]\nstreet: {title: 百官街道, slug: baiguan}",
            "site.yaml 第1行，include[0]：找不到文件“people.yaml”。",
        ),
        (
            "      - {title: 阳光水岸, slug: yangguang, address: 凤鸣路 233 号}",
            "      - {title: 阳光水岸, slug: yangguang, address: [凤鸣路",
            "site.yaml 第8行，（文件顶层）：YAML 语法错误",
        ),
        (
            "    name: 锦绣花园业委会",
            "    name: 锦绣花园业委会\n    name: 又一个名字",
            "site.yaml 第11行，users[0].name：同一位置重复写了这个键。",
        ),
        (
            "address: 凤鸣路 101 号",
            'address: "凤鸣路\\0 101 号"',
            "site.yaml 第6行，communities[0].compounds[0].address：文本不能包含空字符（\\0）。",
        ),
    ],
    ids=[
        "unknown-key",
        "wrong-type",
        "duplicate-slug",
        "unknown-role",
        "unknown-scope",
        "role-on-wrong-level",
        "unknown-task-type",
        "duplicate-username",
        "missing-include",
        "yaml-syntax",
        "duplicate-key",
        "nul-in-text",
    ],
)
def test_each_problem_is_reported_at_its_path_and_line(write_config, old, new, expected) -> None:
    assert old in MINIMAL
    reported = problems(write_config(MINIMAL.replace(old, new, 1)))

    assert any(line.startswith(expected) for line in reported), reported


def test_every_problem_is_listed_at_once(write_config) -> None:
    broken = (
        MINIMAL.replace("households: 612", "households: 很多")
        .replace("slug: yangguang", "slug: jinxiu")
        .replace("role: owners_committee", "role: mayor")
        .replace("scope: fengming}", "scope: nowhere}")
        .replace("type: scoped_role", "type: telepathy")
    )

    reported = problems(write_config(broken))

    assert len(reported) == 6, reported  # the duplicate slug is reported on both lines
    assert [line.split("，")[0] for line in reported] == [
        "site.yaml 第6行",
        "site.yaml 第6行",
        "site.yaml 第7行",
        "site.yaml 第12行",
        "site.yaml 第14行",
        "site.yaml 第17行",
    ]


def test_problems_in_an_included_file_name_that_file(write_config) -> None:
    write_config(
        "users:\n  - username: bob\n    roles: [{role: commissioner, scope: nowhere}]\n",
        "people.yaml",
    )
    main = write_config("include: people.yaml\n" + MINIMAL)

    reported = problems(main)

    assert any(
        line.startswith("people.yaml 第3行，users[2].roles[0].scope：范围“nowhere”不存在")
        for line in reported
    ), reported


def test_an_include_that_redefines_a_section_is_refused(write_config) -> None:
    write_config("street: {title: 另一个街道, slug: other}\n", "street.yaml")

    reported = problems(write_config("include: street.yaml\n" + MINIMAL))

    assert any(
        "street.yaml 第1行，street：该键在主文件和包含文件中都有定义" in line for line in reported
    )


def test_a_refused_file_changes_nothing(empty_site, write_config) -> None:
    pages = Page.objects.count()

    with pytest.raises(CommandError) as refused:
        call_command(
            "apply_config",
            str(write_config(MINIMAL.replace("role: owners_committee", "role: mayor"))),
        )

    assert "配置文件有 1 处问题，未做任何修改" in str(refused.value)
    assert Page.objects.count() == pages


def test_chain_rules_name_real_page_types_and_scopes(write_config) -> None:
    rules = MINIMAL + (
        "    rules:\n"
        "      - {page_types: [expenditures.nosuchpage], subtree: nowhere, min_amount: 5000}\n"
    )

    reported = problems(write_config(rules))

    assert any(
        r.startswith(
            "site.yaml 第20行，chains[0].rules[0].page_types[0]："
            "页面类型“expenditures.nosuchpage”不存在"
        )
        for r in reported
    ), reported
    assert any(
        r.startswith("site.yaml 第20行，chains[0].rules[0].subtree：范围“nowhere”不存在")
        for r in reported
    ), reported


def test_a_circular_include_is_refused(write_config) -> None:
    write_config("include: site.yaml\nfirms: []\n", "firms.yaml")

    reported = problems(write_config("include: firms.yaml\n" + MINIMAL))

    assert any(
        line.startswith("firms.yaml 第1行，include：循环包含：“site.yaml”已在包含链中。")
        for line in reported
    ), reported


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        ('"2023.13"', "完成时限“2023.13”不是有效的月份。"),
        ("明年", "完成时限“明年”应写作“2023.04”或“长期坚持”。"),
    ],
)
def test_a_task_deadline_is_read_as_the_task_list_reads_it(write_config, deadline, expected):
    task = (
        f"{{year: 2023, number: 1, area: 甲, key_task: 乙, measure: 丙, offices: 丁, "
        f"deadline: {deadline}}}"
    )
    path = write_config(f"{MINIMAL}tasks:\n  - {task}\n")

    line = len(MINIMAL.splitlines()) + 2
    assert problems(path) == [f"site.yaml 第{line}行，tasks[0].deadline：{expected}"]


def test_an_office_account_and_a_tasks_office_must_be_offices_of_the_file(write_config):
    offices = "offices:\n  - {code: party-building, name: 党建办}\n"
    user = "  - {username: office_x, offices: [nowhere]}\n"
    task = (
        "tasks:\n  - {year: 2023, number: 1, area: 甲, key_task: 乙, measure: 丙, "
        "offices: 党建办、信访办, deadline: '2023.04'}\n"
    )
    path = write_config(MINIMAL.replace("chains:\n", f"{user}chains:\n") + offices + task)

    reported = problems(path)

    assert any("users[2].offices[0]：责任单位“nowhere”未在 offices 中定义。" in p for p in reported)
    assert any(
        "tasks[0].offices：责任单位“信访办”未在 offices 中定义（按名称对应）。" in p
        for p in reported
    )
