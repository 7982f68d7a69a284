"""Report schedules (报告制度): the file's ``report_schedules`` kept as ``ReportSchedule`` rows.

They exist only through the file, like disclosure schedules; a schedule that leaves the file is
deleted, and its reports stay, named by their titles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from content_types.reports.models import ReportSchedule

if TYPE_CHECKING:
    from site_config.plan import Change

    from .context import Context


def save_report_schedule(change: Change, context: Context) -> None:
    values = change.values
    schedule = context.current.objects["report_schedule"].get(change.key) or ReportSchedule(
        code=change.key
    )
    schedule.name = values["name"]
    schedule.role = values["role"]
    schedule.period = values["every"]
    schedule.grace_days = values["grace_days"]
    schedule.headings = list(values["headings"])
    schedule.scope = context.pages[values["scope"]]
    schedule.save()
