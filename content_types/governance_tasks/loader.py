"""Load the policy's annual task list (附件1) from ``data/annex1.yaml``.

The one reading of its columns: the site configuration's ``tasks`` use the same
deadline parser and the same create-or-update rule (``parse_deadline``,
``task_with``). Idempotent: tasks are matched by year and number; the policy's own columns are
(re)written, while status and progress notes, which the offices keep up to
date in the admin, are set only when a task is first created. All or nothing:
a bad row stops the load with its number and the problem, and changes nothing.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import LONG_TERM_LABEL, GovernanceTask, TaskStatus

ANNEX1 = Path(__file__).resolve().parent / "data" / "annex1.yaml"
_MONTH = re.compile(r"^(\d{4})\.(\d{2})$")


class TaskListError(ValueError):
    """A task list that cannot be loaded; the message says where and why, in Chinese."""


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def parse_deadline(value: Any) -> tuple[datetime.date | None, bool]:
    """完成时限 as (first of the month, long-term): "2023.04" or "长期坚持"."""
    text = str(value).strip()
    if text == LONG_TERM_LABEL:
        return None, True
    match = _MONTH.match(text)
    if not match:
        raise TaskListError(f"完成时限“{text}”应写作“2023.04”或“{LONG_TERM_LABEL}”。")
    try:
        return datetime.date(int(match[1]), int(match[2]), 1), False
    except ValueError as bad_month:
        raise TaskListError(f"完成时限“{text}”不是有效的月份。") from bad_month


def deadline_text(task: GovernanceTask) -> str:
    """The deadline as the task list writes it, the inverse of ``parse_deadline``."""
    if task.is_long_term or task.deadline_month is None:
        return LONG_TERM_LABEL
    return f"{task.deadline_month:%Y.%m}"


def task_with(values: dict[str, Any], task: GovernanceTask | None = None) -> GovernanceTask:
    """``task``, or a new published one, holding the policy's columns ``values``.

    Status is the offices' to keep: a new task starts 持续推进 when long-term and
    未开始 otherwise, and a task that stops being long-term leaves 持续推进.
    """
    if task is None:
        status = TaskStatus.ONGOING if values["is_long_term"] else TaskStatus.NOT_STARTED
        return GovernanceTask(**values, status=status, live=True)
    for field, value in values.items():
        setattr(task, field, value)
    if task.status == TaskStatus.ONGOING and not task.is_long_term:
        task.status = TaskStatus.NOT_STARTED
    return task


def read_task_list(path: Path = ANNEX1) -> list[dict[str, Any]]:
    """The rows of ``path`` as model field values, checked before anything is written."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as broken:
        raise TaskListError(f"任务清单文件格式错误：{broken}") from broken
    rows = document.get("tasks") if isinstance(document, dict) else None
    if not isinstance(rows, list):
        raise TaskListError("任务清单文件缺少 tasks 列表。")
    tasks: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()
    required = ("year", "number", "area", "key_task", "measure", "offices", "deadline")
    for position, row in enumerate(rows, start=1):
        missing = [key for key in required if not isinstance(row, dict) or not row.get(key)]
        if missing:
            raise TaskListError(f"第{position}行缺少：{'、'.join(missing)}。")
        number = row["number"]
        if not isinstance(number, int) or number < 1:
            raise TaskListError(f"第{position}行：序号“{number}”应为正整数。")
        year = row["year"]
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            raise TaskListError(f"第{position}行：年度“{year}”应为四位数的年份。")
        if (year, number) in seen:
            raise TaskListError(f"{year}年度序号{number}重复。")
        seen.add((year, number))
        try:
            deadline_month, is_long_term = parse_deadline(row["deadline"])
        except TaskListError as wrong:
            raise TaskListError(f"第{number}项：{wrong}") from wrong
        tasks.append(
            {
                "year": year,
                "number": number,
                "area": str(row["area"]).strip(),
                "key_task": str(row["key_task"]).strip(),
                "measure": str(row["measure"]).strip(),
                "responsible_offices": str(row["offices"]).strip(),
                "deadline_month": deadline_month,
                "is_long_term": is_long_term,
                "per_community": bool(row.get("per_community", False)),
            }
        )
    return tasks


@transaction.atomic
def load_governance_tasks(path: Path = ANNEX1) -> LoadResult:
    created = updated = unchanged = 0
    existing = {(task.year, task.number): task for task in GovernanceTask.objects.all()}
    for values in read_task_list(path):
        task = existing.get((values["year"], values["number"]))
        if task is None:
            created += 1
        elif all(getattr(task, field) == value for field, value in values.items()):
            unchanged += 1
            continue
        else:
            updated += 1
        task = task_with(values, task)
        try:
            task.full_clean()
        except ValidationError as invalid:
            messages = "；".join(invalid.messages)
            raise TaskListError(f"第{values['number']}项：{messages}") from invalid
        task.save()
        task.link_offices()
    return LoadResult(created=created, updated=updated, unchanged=unchanged)
