"""Reminders of annual task deadlines, sent by the real worker through the outbox.

Before a deadline month ends, the owners of an unfinished task are reminded; once it has
passed, they and the street office are told it is late. A task done community by
community reminds the offices of the communities not yet done. Each is told once.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from content_types.governance_tasks.models import CommunityTaskStatus, TaskStatus
from content_types.roles.models import Role, RoleAssignment
from site_config.models import Office
from tests.celery_worker import wait_for
from tests.content_types.roles.factories import UserFactory
from workflows.chains.models import Notification
from workflows.chains.tasks import remind_annual_task_deadlines

from .factories import GovernanceTaskFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def month(offset: int) -> datetime.date:
    """The first day of the month ``offset`` months from this one."""
    first = timezone.localdate().replace(day=1)
    index = first.year * 12 + first.month - 1 + offset
    return datetime.date(index // 12, index % 12 + 1, 1)


def test_the_worker_reminds_owners_before_a_deadline_and_when_it_is_missed(
    street_tree, worker_queue
) -> None:
    party = Office.objects.create(code="party-building", name="党建办")
    owner = UserFactory(username="office_party")
    party.users.add(owner)
    street = UserFactory(username="street")
    RoleAssignment.objects.create(user=street, role=Role.STREET_OFFICE, scope=street_tree.street)
    office_a = UserFactory(username="office_a")
    RoleAssignment.objects.create(
        user=office_a, role=Role.COMMUNITY_OFFICE, scope=street_tree.community_a
    )
    office_b = UserFactory(username="office_b")
    RoleAssignment.objects.create(
        user=office_b, role=Role.COMMUNITY_OFFICE, scope=street_tree.community_b
    )
    year = month(0).year
    due_now = GovernanceTaskFactory(year=year, key_task="本月到期", deadline_month=month(0))
    missed = GovernanceTaskFactory(year=year, key_task="上月到期", deadline_month=month(-1))
    done = GovernanceTaskFactory(
        year=year, key_task="已完成", deadline_month=month(0), status=TaskStatus.DONE
    )
    later = GovernanceTaskFactory(year=year, key_task="半年后到期", deadline_month=month(6))
    per_community = GovernanceTaskFactory(
        year=year, key_task="各社区议事厅", deadline_month=month(0), per_community=True
    )
    for task in (due_now, missed, done, later, per_community):
        task.link_offices()
    CommunityTaskStatus.objects.create(
        task=per_community, community=street_tree.community_a, status=TaskStatus.DONE
    )

    remind_annual_task_deadlines.apply_async(queue=worker_queue)

    assert wait_for(lambda: Notification.objects.count() >= 4)
    told = {
        (row.recipient.username, row.subject)
        for row in Notification.objects.filter(event=Notification.Event.ANNUAL_TASK)
    }
    assert told == {
        ("office_party", f"【年度任务提醒】{due_now}"),
        ("office_party", f"【年度任务逾期】{missed}"),
        ("street", f"【年度任务逾期】{missed}"),
        ("office_b", f"【年度任务提醒】{per_community}"),
    }
    before = Notification.objects.get(recipient=owner, subject__startswith="【年度任务提醒】")
    assert "尚未完成" in before.body and "上传佐证材料" in before.body

    assert remind_annual_task_deadlines() == 0  # told once, not every day
    assert Notification.objects.count() == 4
