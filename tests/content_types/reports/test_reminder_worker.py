"""The real worker, on the configured broker, reminds the writers of each overdue report through
the outbox: the firm of 锦绣花园 whose monthly report is missing, once a day each however often
it runs; not the firm of 阳光水岸, whose report is in, nor anyone in another community.
"""

from __future__ import annotations

import pytest

from content_types.reports import services
from content_types.reports.tasks import remind_overdue_reports
from content_types.roles.models import Role
from tests.celery_worker import wait_for
from workflows.chains.models import Notification

from .factories import ReportScheduleFactory, written

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def reminders(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, event=Notification.Event.REPORT).values_list(
            "subject", flat=True
        )
    )


def test_the_worker_reminds_the_writers_of_overdue_reports_once_a_day(
    worker_queue, street_tree, role_user
) -> None:
    schedule = ReportScheduleFactory(
        code="firm-monthly",
        name="物业月度服务报告",
        role=Role.PROPERTY_FIRM,
        period="month",
        grace_days=0,  # last month's report is overdue whatever today is
        headings=["服务情况"],
        scope=street_tree.community_a,
    )
    firm_a1 = role_user(Role.PROPERTY_FIRM, street_tree.compound_a1, "firm_a1")
    committee_a1 = role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1, "committee_a1")
    firm_a2 = role_user(Role.PROPERTY_FIRM, street_tree.compound_a2, "firm_a2")
    firm_b1 = role_user(Role.PROPERTY_FIRM, street_tree.compound_b1, "firm_b1")
    services.submit(written(schedule, street_tree.compound_a2, firm_a2), firm_a2)

    remind_overdue_reports.apply_async(queue=worker_queue)
    assert wait_for(lambda: reminders(firm_a1))
    (subject,) = reminders(firm_a1)
    assert subject.startswith("【逾期提醒】锦绣花园") and "物业月度服务报告尚未提交" in subject
    assert reminders(committee_a1) == []  # the firm's report, not the committee's
    assert reminders(firm_a2) == [] and reminders(firm_b1) == []

    # The next run the same day: a colleague who joined since is reminded, nobody twice.
    newcomer = role_user(Role.PROPERTY_FIRM, street_tree.compound_a1, "firm_a1_newcomer")
    remind_overdue_reports.apply_async(queue=worker_queue)
    assert wait_for(lambda: reminders(newcomer))
    assert len(reminders(firm_a1)) == 1
