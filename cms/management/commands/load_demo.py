"""Load the demo street that ``make run`` shows, from the example site configuration.

The demo is ``site_config/examples/baiguan.yaml`` applied as ``apply_config``
applies it: one source of truth for the street, its communities and
compounds, one login per role, the review chains and the annual task list.
Safe to run again: a second run finds nothing to change, a newcomer's edits
to content survive a restart, and rows made by an older demo loader are
adopted rather than duplicated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from site_config.apply import RemovalRefused, apply_file
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


class Command(BaseCommand):
    help = "载入演示数据：应用 site_config/examples/baiguan.yaml（百官街道），可重复运行。"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = apply_file(DEMO_CONFIG)
        except (ConfigError, RemovalRefused) as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(plan.report().splitlines()[-1])
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
