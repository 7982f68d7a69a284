"""Two years of the annual task list (附件1), kept by the offices that own them.

The file's list is 2023's; it is copied to this year as the street office would at the start
of a year, each task keeping its history. Through 2023 the offices post progress month by
month with their evidence (a short PDF each), and the tasks done community by community are
done in each community; this year's list is part way: tasks past their month are done but
one, later ones in progress, and the communities at different points.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile

from content_types.governance_tasks.models import GovernanceTask, TaskStatus, TaskUpdate
from content_types.governance_tasks.progress import carry_over_year, record_update
from content_types.roles.models import Role

from .review import administrator, person

if TYPE_CHECKING:
    from content_types.structure.models import CommunityPage, StreetPage

    from .clock import Clock

FIRST_YEAR = 2023
# 2023's tasks still open at the end of that year: the 小区专员 in every compound, and the
# compound Party organisations, carried on into this year.
LEFT_OPEN = {
    6: "已选派小区专员42人，尚有3个新交付小区待配备。",
    13: "新建小区党组织2个，仍在推进中。",
}


def _evidence(task: GovernanceTask, what: str) -> ContentFile:
    text = f"{task.year} {task.number} {what}".encode()
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% "
        + text
        + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return ContentFile(pdf, name=f"{task.year}年第{task.number}项{what}.pdf")


def _owner(task: GovernanceTask) -> Any:
    office = task.offices.order_by("sort_order").first()
    user = office.users.order_by("username").first() if office is not None else None
    return user or administrator()


def _days_ago(clock: Clock, day: datetime.date) -> int:
    return max((clock.today - day).days, 0)


def _post(
    clock: Clock,
    street: StreetPage,
    task: GovernanceTask,
    day: datetime.date,
    status: str,
    notes: str,
    community: CommunityPage | None = None,
    evidence: bool = False,
) -> None:
    if day > clock.today:
        return
    poster = person(community, Role.COMMUNITY_OFFICE) if community else _owner(task)
    files = [_evidence(task, "佐证材料")] if evidence else []
    with clock.at(_days_ago(clock, day), hour=15):
        record_update(task, poster, status, notes, files, community=community, street=street)


def _month_end(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
        days=3
    )


def _keep(
    clock: Clock, street: StreetPage, task: GovernanceTask, communities: list, done: Any
) -> None:
    """Post a task's year: started a month or two before its month, done in it (``done`` says
    which communities, or whether the task, got there)."""
    start = datetime.date(task.year, 1, 20)
    due = task.deadline_month
    if task.is_long_term or due is None:
        for month in (3, 9):
            _post(clock, street, task, datetime.date(task.year, month, 25), TaskStatus.ONGOING,
                  f"持续推进：{task.year}年{month}月已对照举措开展督导，情况已汇总。",
                  evidence=month == 9)  # fmt: skip
        return
    if task.per_community:
        for index, community in enumerate(communities):
            _post(clock, street, task, start, TaskStatus.IN_PROGRESS,
                  f"{community.title}已部署，正在推进。", community=community)  # fmt: skip
            if done(index):
                _post(clock, street, task, _month_end(due), TaskStatus.DONE,
                      f"{community.title}已按期完成。", community, evidence=True)  # fmt: skip
        return
    _post(clock, street, task, start, TaskStatus.IN_PROGRESS, "已制定工作方案，正在推进。")
    if done(None):
        _post(clock, street, task, _month_end(due), TaskStatus.DONE,
              f"已按期完成：{task.key_task}，相关材料已归档。", evidence=True)  # fmt: skip


def load(clock: Clock, street: StreetPage, communities: list[CommunityPage]) -> None:
    if TaskUpdate.objects.exists():
        return
    first = list(GovernanceTask.objects.filter(year=FIRST_YEAR).order_by("number"))
    if not first:
        return
    for task in first:
        note = LEFT_OPEN.get(task.number)
        _keep(clock, street, task, communities, lambda _index, note=note: note is None)
        if note:
            _post(clock, street, task, datetime.date(FIRST_YEAR, 12, 20), TaskStatus.IN_PROGRESS,
                  note, community=None if not task.per_community else communities[0])  # fmt: skip
    this_year = max(clock.today.year, FIRST_YEAR + 1)
    with clock.at(_days_ago(clock, datetime.date(this_year, 1, 5))):
        current = carry_over_year(FIRST_YEAR, this_year)
    this_month = clock.today.replace(day=1)
    past = [
        t.number
        for t in current
        if not t.per_community and (t.deadline_month or this_month) < this_month
    ]
    for task in current:
        late = bool(past) and task.number == past[-1]  # the one task past its month, still open

        def done(index: int | None, task: GovernanceTask = task, late: bool = late) -> bool:
            if late or task.deadline_month is None or task.deadline_month >= this_month:
                return False
            return index is None or index < len(communities) - 1  # the last community lags

        _keep(clock, street, task, communities, done)
