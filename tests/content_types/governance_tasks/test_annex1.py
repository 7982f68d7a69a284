"""The policy's annual task list (附件1) loads whole, verbatim, and idempotently."""

from __future__ import annotations

import datetime
import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from content_types.governance_tasks.loader import (
    ANNEX1,
    TaskListError,
    load_governance_tasks,
    read_task_list,
)
from content_types.governance_tasks.models import GovernanceTask, TaskStatus

# shared/ lies beside the repository, here and in CI.
POLICY = Path(__file__).resolve().parents[3].parent / "shared/policy/baiwei-2023-37.txt"


def annex1_rows() -> dict[int, str]:
    """Each row of 附件1 as the policy prints it, by its number (a row may wrap lines)."""
    if not POLICY.exists():
        if os.environ.get("CI"):
            pytest.fail(f"政策原文缺失：{POLICY}")
        pytest.skip(f"the policy text is not beside this checkout ({POLICY})")
    annex = POLICY.read_text(encoding="utf-8").split("附件 1:")[1].split("附件 2:")[0]
    starts = [(int(m.group(1)), m.start()) for m in re.finditer(r"^(\d+)\t", annex, re.M)]
    ends = [start for _, start in starts[1:]] + [len(annex)]
    return {number: annex[start:end] for (number, start), end in zip(starts, ends, strict=True)}


@pytest.mark.django_db
def test_the_34_tasks_load_numbered_1_to_34():
    result = load_governance_tasks()

    assert result.created == 34
    assert list(GovernanceTask.objects.values_list("number", flat=True)) == list(range(1, 35))
    assert GovernanceTask.objects.filter(live=True).count() == 34


@pytest.mark.django_db
def test_rows_read_as_the_annex_prints_them():
    load_governance_tasks()
    task = {task.number: task for task in GovernanceTask.objects.all()}

    assert task[1].area == "（一）突出党建引领，健全工作机制"
    assert task[1].key_task == "组建两级“微治办”"
    assert task[1].measure == (
        "街道成立由街道办事处主任任主任、街道党群副书记为常务副主任、分管社区工作领导为副主任、"
        "相关领导为成员的街道“微治办”。"
    )
    assert task[1].responsible_offices == "党建办"
    assert task[1].deadline_month == datetime.date(2023, 4, 1)
    assert task[10].responsible_offices == "派出所、应急与消防办、村镇建设办"
    assert task[10].key_task == "健全三方协同运行机制"
    assert task[10].is_long_term and task[10].status == TaskStatus.ONGOING
    assert task[17].measure.startswith("严格把关“三优先”“十不能”资格条件")
    assert task[29].area == "（四）突出行业管理，提升服务水平"
    assert task[34].measure == (
        "对党建强、服务好、群众满意度高,在文明城市创建中表现突出的物业服务企业,"
        "向行业主管部门优先推荐评先评优。"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "offices", "deadline"),
    [
        (9, "党建办、社区办", datetime.date(2023, 9, 1)),
        (12, "党建办", datetime.date(2023, 12, 1)),
        (13, "党建办", datetime.date(2023, 12, 1)),
        (19, "党建办、社区办", datetime.date(2023, 6, 1)),
        (22, "社区办", None),
        (25, "社区办、村镇建设办", datetime.date(2023, 6, 1)),
        (26, "社区办、村镇建设办", datetime.date(2023, 6, 1)),
        (28, "社区办", datetime.date(2023, 6, 1)),
    ],
)
def test_merged_cells_take_the_value_of_the_row_above(number, offices, deadline):
    load_governance_tasks()
    task = GovernanceTask.objects.get(number=number)

    assert task.responsible_offices == offices
    assert task.deadline_month == deadline
    assert task.is_long_term is (deadline is None)


def test_every_row_is_verbatim_from_the_policy_under_its_own_number():
    rows = annex1_rows()
    annex = "".join(rows.values())
    tasks = read_task_list()

    assert sorted(rows) == list(range(1, 35))
    assert [task["number"] for task in tasks] == list(range(1, 35))
    for task in tasks:
        row = rows[task["number"]]
        assert task["measure"] in row, task["number"]
        assert task["key_task"] in annex, task["number"]


@pytest.mark.django_db
def test_loading_again_changes_nothing_and_keeps_the_progress_recorded_since():
    load_governance_tasks()
    GovernanceTask.objects.filter(number=1).update(
        status=TaskStatus.DONE, progress_notes="街道微治办已于4月挂牌。"
    )
    GovernanceTask.objects.filter(number=2).update(measure="被误改的举措")

    result = load_governance_tasks()

    assert (result.created, result.updated, result.unchanged) == (0, 1, 33)
    first = GovernanceTask.objects.get(number=1)
    assert first.status == TaskStatus.DONE and first.progress_notes == "街道微治办已于4月挂牌。"
    assert GovernanceTask.objects.get(number=2).measure.startswith("各社区成立由社区党组织书记")
    assert GovernanceTask.objects.count() == 34


@pytest.mark.django_db
def test_the_management_command_reports_what_it_did():
    out = StringIO()
    call_command("load_governance_tasks", stdout=out)
    call_command("load_governance_tasks", stdout=out)

    assert "新增 34 项" in out.getvalue()
    assert "未变 34 项" in out.getvalue()


@pytest.mark.django_db
def test_a_bad_row_stops_the_load_with_its_number_and_writes_nothing(tmp_path):
    lines = ANNEX1.read_text(encoding="utf-8").replace(
        'deadline: "2023.11"', 'deadline: "2023.13"', 1
    )
    bad = tmp_path / "annex1.yaml"
    bad.write_text(lines, encoding="utf-8")

    with pytest.raises(TaskListError) as refused:
        load_governance_tasks(bad)
    with pytest.raises(CommandError):
        call_command("load_governance_tasks", file=bad)

    assert str(refused.value) == "第3项：完成时限“2023.13”不是有效的月份。"
    assert not GovernanceTask.objects.exists()


@pytest.mark.django_db
def test_a_missing_column_is_named(tmp_path):
    bad = tmp_path / "annex1.yaml"
    bad.write_text(
        'tasks:\n  - year: 2023\n    number: 1\n    area: "甲"\n    key_task: "乙"\n',
        encoding="utf-8",
    )

    with pytest.raises(TaskListError) as refused:
        load_governance_tasks(bad)

    assert str(refused.value) == "第1行缺少：measure、offices、deadline。"
