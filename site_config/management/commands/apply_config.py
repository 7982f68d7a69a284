"""``manage.py apply_config FILE [--dry-run] [--allow-delete]``: make the site match the file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from content_types.accounts.audit import record
from content_types.accounts.models import AuditAction
from site_config.apply import RemovalRefused, apply_file, plan_file
from site_config.models import ConfigVersion
from site_config.validation import ConfigError


class Command(BaseCommand):
    help = "按配置文件设置街道、社区、小区、人员角色、审核流程和年度任务（全部成功或全部不改）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="配置文件（YAML）")
        parser.add_argument("--dry-run", action="store_true", help="只显示计划，不做修改")
        parser.add_argument(
            "--allow-delete",
            action="store_true",
            help="允许移除仍有内容或人员的对象（内容下线保留，不删除）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["dry_run"]:
                _, plan = plan_file(options["file"], options["allow_delete"])
                self.stdout.write(plan.report())
                self.stdout.write("（演练模式，未做任何修改。）")
                return
            before = ConfigVersion.objects.current()
            plan = apply_file(options["file"], options["allow_delete"])
        except ConfigError as invalid:
            raise CommandError(invalid.report()) from invalid
        except RemovalRefused as refused:
            raise CommandError(refused.plan.report() + "\n未做任何修改。") from refused
        self.stdout.write(plan.report())
        version = ConfigVersion.objects.current()
        if plan.is_empty:
            self.stdout.write(self.style.SUCCESS("站点已与配置文件一致，未做修改。"))
        else:
            self.stdout.write(self.style.SUCCESS("配置已应用。"))
        if version is not None and version != before:
            record(
                AuditAction.CONFIG_APPLY,
                username="命令行",
                description=f"应用站点配置：{version}（命令行，{options['file']}）"[:255],
                version=version.pk,
            )
            self.stdout.write(f"已记录为{version}，可在后台“站点配置”中查看和比较。")
