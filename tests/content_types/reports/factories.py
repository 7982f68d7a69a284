"""Report schedules and reports for tests; reports are begun and moved through the services.

Usage::

    schedule = ReportScheduleFactory(scope=street_tree.community_a)
    report = written(schedule, street_tree.compound_a1, committee_user, today)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import factory
from factory.django import DjangoModelFactory

from content_types.disclosures.periods import Period
from content_types.reports import services
from content_types.reports.models import Report, ReportSchedule
from content_types.roles.models import Role, RoleAssignment
from tests.content_types.roles.factories import UserFactory

if TYPE_CHECKING:
    import datetime

HEADINGS = ["本季度主要工作", "财务收支情况", "存在问题及下步打算"]


class ReportScheduleFactory(DjangoModelFactory):
    class Meta:
        model = ReportSchedule

    code = factory.Sequence(lambda n: f"committee-quarterly-{n}")
    name = "业委会季度工作报告"
    role = Role.OWNERS_COMMITTEE
    period = Period.QUARTER
    grace_days = 15
    headings = factory.LazyFunction(lambda: list(HEADINGS))


def written(
    schedule: ReportSchedule, compound: Any, user: Any, today: datetime.date | None = None
) -> Report:
    """The compound's report for the schedule's current period, begun and every part written."""
    report = services.start(schedule, compound, user, today)
    for section in report.sections.all():
        section.body = f"{compound.title}：{section.heading}的情况。"
        section.save()
    return report


def role_holders(tree: Any, people: tuple[tuple[str, str, str], ...]) -> dict[str, Any]:
    """One user per (username, role, scope name in the street tree), holding that role there."""
    users = {}
    for username, role, scope in people:
        users[username] = UserFactory(username=username)
        RoleAssignment.objects.create(user=users[username], role=role, scope=getattr(tree, scope))
    return users
