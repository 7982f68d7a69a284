"""``manage.py load_governance_tasks``: load or refresh the policy's annual task list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from content_types.governance_tasks.loader import ANNEX1, TaskListError, load_governance_tasks


class Command(BaseCommand):
    help = "载入百委〔2023〕37号附件1年度任务清单；可重复运行，不覆盖进展状态和进展情况。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=ANNEX1, help="任务清单 YAML 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_governance_tasks(options["file"])
        except (OSError, TaskListError) as failed:
            raise CommandError(str(failed)) from failed
        self.stdout.write(
            f"年度任务清单：新增 {result.created} 项，更新 {result.updated} 项，"
            f"未变 {result.unchanged} 项。"
        )
