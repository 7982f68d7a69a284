"""Which annual tasks to remind whom of: before a deadline, and when it has been missed.

A task due in a month is due by that month's last day. From
``WEIZHI_ANNUAL_TASK_REMINDER_DAYS`` before it, the owners of an unfinished task are
reminded (``before``); once it has passed, they are told it is late, and so is the street
office (``missed``). The owners are the users of its offices, or, for a task done
community by community, the 社区微治办 of each community not yet done. The worker sends
them through the outbox once per task, community and kind (``workflows.chains.tasks``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from content_types.roles.models import Role
from content_types.roles.scope import users_holding_role_over
from content_types.structure.models import CommunityPage

from .models import GovernanceTask, end_of_month, first_of_month
from .progress import FINISHED, community_statuses

if TYPE_CHECKING:
    from django.db.models import QuerySet

BEFORE = "before"
MISSED = "missed"


@dataclass(frozen=True)
class Reminder:
    kind: str
    task: GovernanceTask
    community: CommunityPage | None
    recipients: QuerySet
    subject: str
    body: str
    url: str


def _office_users(task: GovernanceTask) -> QuerySet:
    return (
        get_user_model().objects.filter(offices__governance_tasks=task, is_active=True).distinct()
    )


def _street_office(page: Any) -> QuerySet:
    return users_holding_role_over(page, [Role.STREET_OFFICE])


def deadline_reminders(today: datetime.date) -> list[Reminder]:
    days = settings.WEIZHI_ANNUAL_TASK_REMINDER_DAYS
    this_month = first_of_month(today)
    horizon = first_of_month(today + datetime.timedelta(days=days))
    tasks = list(
        GovernanceTask.objects.filter(
            live=True, is_long_term=False, deadline_month__lte=horizon
        ).order_by("year", "number")
    )
    communities = list(CommunityPage.objects.order_by("path"))
    statuses = community_statuses(tasks)
    reminders: list[Reminder] = []
    for task in tasks:
        due = end_of_month(task.deadline_month)
        missed = task.deadline_month < this_month
        if not missed and (due - today).days > days:
            continue
        url = reverse(GovernanceTask.snippet_viewset.get_url_name("progress"), args=[task.pk])
        places: list[CommunityPage | None] = (
            [c for c in communities if statuses.get((task.pk, c.pk)) not in FINISHED]
            if task.per_community
            else ([None] if task.status not in FINISHED else [])
        )
        for community in places:
            owners = (
                users_holding_role_over(community, [Role.COMMUNITY_OFFICE])
                if community is not None
                else _office_users(task)
            )
            who = f"{community.title}" if community is not None else task.responsible_offices
            if missed:
                street = _street_office(community or communities[0]) if communities else None
                recipients = owners if street is None else (owners | street).distinct()
                subject = f"【年度任务逾期】{task}"
                body = (
                    f"{task.year}年度任务“{task.key_task}”（第{task.number}项）的完成时限"
                    f"{task.deadline_display}已过，{who}尚未完成，请尽快推进并更新进展。"
                )
            else:
                recipients = owners
                subject = f"【年度任务提醒】{task}"
                body = (
                    f"{task.year}年度任务“{task.key_task}”（第{task.number}项）须在"
                    f"{due:%Y年%m月%d日}前完成，{who}尚未完成，请按时推进并更新进展、上传佐证材料。"
                )
            reminders.append(
                Reminder(
                    kind=MISSED if missed else BEFORE,
                    task=task,
                    community=community,
                    recipients=recipients,
                    subject=subject,
                    body=body,
                    url=url if community is None else f"{url}?community={community.pk}",
                )
            )
    return reminders
