"""The file's ``report_schedules`` (报告制度) become the schedules the reports follow: applied,
changed and removed with the file, exported back, and refused with the path of a bad key."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model

from content_types.reports import services
from content_types.reports.models import Report, ReportSchedule
from site_config.apply import apply_file
from site_config.export import export_yaml
from site_config.validation import ConfigError, load_config

from .conftest import MINIMAL

SCHEDULE = """
report_schedules:
  - code: committee-quarterly
    name: 业委会季度工作报告
    role: owners_committee
    every: quarter
    grace_days: {grace_days}
    headings: [本季度主要工作, 财务收支情况]
    scope: {scope}
"""


def test_a_schedule_of_the_file_is_applied_changed_and_removed(empty_site, write_config):
    apply_file(write_config(MINIMAL + SCHEDULE.format(grace_days=15, scope="baiguan")))
    schedule = ReportSchedule.objects.get()
    assert (schedule.name, schedule.role, schedule.period, schedule.grace_days) == (
        "业委会季度工作报告",
        "owners_committee",
        "quarter",
        15,
    )
    assert schedule.headings == ["本季度主要工作", "财务收支情况"]
    assert "name: 业委会季度工作报告" in export_yaml()

    apply_file(write_config(MINIMAL + SCHEDULE.format(grace_days=20, scope="fengming")))
    schedule = ReportSchedule.objects.get()
    assert schedule.grace_days == 20 and schedule.scope.slug == "fengming"

    committee = schedule.scope.get_children().get(slug="jinxiu").specific
    writer = get_user_model().objects.get(username="committee")
    report = services.start(schedule, committee, writer, datetime.date(2026, 4, 2))
    apply_file(write_config(MINIMAL))
    assert not ReportSchedule.objects.exists()
    kept = Report.objects.get(pk=report.pk)  # the report stays, by its title
    assert kept.schedule is None and kept.title == "锦绣花园2026年第一季度业委会季度工作报告"


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("role: community_office", "report_schedules[0].role"),
        ("headings: []", "report_schedules[0].headings"),
        ("headings: [财务收支, 财务收支]", "报告提纲标题“财务收支”重复"),
        ("scope: nowhere", "范围“nowhere”不存在"),
        ("every: weekly", "report_schedules[0].every"),
    ],
)
def test_a_bad_schedule_is_refused_with_its_path(entry, expected, empty_site, write_config):
    base = {
        "code": "x",
        "name": "报告",
        "role": "property_firm",
        "every": "month",
        "headings": "[服务情况]",
        "scope": "baiguan",
    }
    key, value = entry.split(": ", 1)
    base[key] = value
    fields = ", ".join(f"{key}: {value}" for key, value in base.items())
    path = write_config(MINIMAL + f"report_schedules:\n  - {{{fields}}}\n")

    with pytest.raises(ConfigError) as refused:
        load_config(path)

    assert any(expected in str(problem) for problem in refused.value.problems), [
        str(problem) for problem in refused.value.problems
    ]
    assert not ReportSchedule.objects.exists()
