"""Load the demo street that ``make run`` shows: the example configuration and a year of content.

The structure is ``site_config/examples/baiguan.yaml`` applied as ``apply_config``
applies it: one source of truth for the street, its communities and
compounds, one login per role, the review chains and the annual task list.
Its content (``site_config.demo``) is written, reviewed and voted on by those
logins through the chains and services. The demo screens get their tokens,
and their full addresses are printed.
Safe to run again: a second run finds nothing to change, a newcomer's edits
to content survive a restart, and rows made by an older demo loader are
adopted rather than duplicated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from site_config import demo
from site_config.apply import RemovalRefused, apply_file
from site_config.demo.screens import addresses
from site_config.validation import ConfigError, load_config

DEMO_CONFIG = Path(settings.BASE_DIR) / "site_config" / "examples" / "baiguan.yaml"
DEMO_PASSWORD = "weizhi-demo"  # noqa: S105 (the demo logins' password, as in README)


def demo_users() -> list[tuple[str, str, str, str]]:
    """(username, full name, role, scope slug) of each role the example file grants."""
    return [
        (user.username, user.name, grant.role, grant.scope)
        for user in load_config(DEMO_CONFIG).users
        for grant in user.roles
    ]


DEMO_USERS = demo_users()
DEMO_SCREEN_CODES = [screen.code for screen in load_config(DEMO_CONFIG).screens]


class Command(BaseCommand):
    help = (
        "载入演示数据：应用 site_config/examples/baiguan.yaml（百官街道）并写入一年的演示内容，"
        "可重复运行；最后列出各演示公开屏的完整地址（含令牌）。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="公开屏地址的前缀（协议、主机和端口）。",
        )
        parser.add_argument(
            "--structure-only", action="store_true", help="只应用站点配置，不写入演示内容。"
        )
        parser.add_argument(
            "--addresses-only", action="store_true", help="不载入数据，只列出演示公开屏的地址。"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["addresses_only"]:
            try:
                plan = apply_file(DEMO_CONFIG)
            except (ConfigError, RemovalRefused) as refused:
                raise CommandError(str(refused)) from refused
            self.stdout.write(plan.report().splitlines()[-1])
            if not options["structure_only"]:
                demo.load(load_config(DEMO_CONFIG).street.slug)
            self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
        for address in addresses(DEMO_SCREEN_CODES, options["base_url"]):
            self.stdout.write(f"  公开屏     {address.url}  （{address.screen} · {address.shows}）")
