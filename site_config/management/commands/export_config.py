"""``manage.py export_config [-o FILE]``: write the current configuration as YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from site_config.export import export_yaml


class Command(BaseCommand):
    help = "把当前的街道结构、人员角色、审核流程和年度任务导出为配置文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", help="写入的文件；不写则输出到屏幕")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = export_yaml()
        except ValueError as empty:
            raise CommandError(str(empty)) from empty
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"已导出到 {options['output']}。"))
        else:
            self.stdout.write(text, ending="")
