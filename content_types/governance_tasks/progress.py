"""Posting progress on annual tasks, copying a task to a new year, and what others count.

Every update is a ``TaskUpdate`` (status, notes, evidence, who, when) kept under the task
first listed, and sets the current status where it belongs: on the task, or for a task done
community by community on that community's ``CommunityTaskStatus``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from wagtail.documents import get_document_model

from content_types.structure.models import CommunityPage

from .models import CommunityTaskStatus, GovernanceTask, TaskStatus, TaskUpdate
from .offices import evidence_collection

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.core.files import File
    from django.db.models import QuerySet
    from wagtail.models import Page

FINISHED = (TaskStatus.DONE, TaskStatus.ONGOING)


@transaction.atomic
def record_update(
    task: GovernanceTask,
    user: Any,
    status: str,
    notes: str = "",
    files: Iterable[File] = (),
    community: CommunityPage | None = None,
    office: Any = None,
    street: Page | None = None,
) -> TaskUpdate:
    """Post an update; evidence goes into the restricted collection of its office or community."""
    update = TaskUpdate.objects.create(
        task=task,
        first_task_id=task.first_task_id or task.pk,
        community=community,
        status=status,
        progress_notes=notes,
        author=user if user is not None and user.is_authenticated else None,
    )
    files = list(files)
    if files:
        owner = community or office or task.offices.order_by("sort_order").first()
        collection = evidence_collection(street or _street_above(community, task), owner)
        document_model = get_document_model()
        documents = []
        for upload in files:
            document = document_model(title=upload.name, file=upload, collection=collection)
            document.uploaded_by_user = update.author
            document.save()
            documents.append(document)
        update.evidence.set(documents)
    if community is not None:
        CommunityTaskStatus.objects.update_or_create(
            task=task, community=community, defaults={"status": status, "progress_notes": notes}
        )
        if not task.is_long_term:
            task.status = overall_status(task)
            GovernanceTask.objects.filter(pk=task.pk).update(status=task.status)
    else:
        GovernanceTask.objects.filter(pk=task.pk).update(status=status, progress_notes=notes)
        task.status, task.progress_notes = status, notes
    return update


def overall_status(task: GovernanceTask) -> str:
    """A per-community task's own status: done when every community is, begun when any is."""
    statuses = list(task.community_statuses.values_list("status", flat=True))
    everywhere = bool(statuses) and len(statuses) >= CommunityPage.objects.count()
    if everywhere and all(status in FINISHED for status in statuses):
        return TaskStatus.DONE
    if any(status != TaskStatus.NOT_STARTED for status in statuses):
        return TaskStatus.IN_PROGRESS
    return TaskStatus.NOT_STARTED


def _street_above(community: CommunityPage | None, task: GovernanceTask) -> Page:
    page = community or CommunityPage.objects.order_by("path").first()
    if page is None:
        raise ValueError("街道下还没有社区，无法确定佐证材料的存放位置。")
    return page.get_parent().specific


def history(task: GovernanceTask) -> QuerySet[TaskUpdate]:
    """Every update of the task in all its years, newest first."""
    return (
        TaskUpdate.objects.filter(first_task_id=task.first_task_id)
        .select_related("task", "community", "author")
        .prefetch_related("evidence")
    )


def shifted_month(task: GovernanceTask, year: int) -> Any:
    if task.deadline_month is None:
        return None
    return task.deadline_month.replace(year=task.deadline_month.year + year - task.year)


@transaction.atomic
def carry_over(task: GovernanceTask, year: int) -> GovernanceTask:
    """Copy ``task`` into the list of ``year``: same columns, its deadline moved by as many
    years, a fresh status, and its history kept (it points at the task first listed)."""
    if year <= task.year:
        raise ValueError("只能复制到以后的年度。")
    if GovernanceTask.objects.filter(year=year, number=task.number).exists():
        raise ValueError(f"{year}年度的清单已有第{task.number}项任务。")
    copy = GovernanceTask(
        year=year,
        number=task.number,
        area=task.area,
        key_task=task.key_task,
        measure=task.measure,
        responsible_offices=task.responsible_offices,
        deadline_month=shifted_month(task, year),
        is_long_term=task.is_long_term,
        per_community=task.per_community,
        status=TaskStatus.ONGOING if task.is_long_term else TaskStatus.NOT_STARTED,
        origin_id=task.first_task_id,
        live=task.live,
    )
    copy.full_clean()
    copy.save()
    copy.offices.set(task.offices.all())
    return copy


def carry_over_year(year: int, to_year: int) -> list[GovernanceTask]:
    """Copy a whole year's list (the tasks not yet in ``to_year``'s) to ``to_year``."""
    taken = set(GovernanceTask.objects.filter(year=to_year).values_list("number", flat=True))
    return [
        carry_over(task, to_year)
        for task in GovernanceTask.objects.filter(year=year).order_by("number")
        if task.number not in taken
    ]


def community_statuses(tasks: Iterable[GovernanceTask]) -> dict[tuple[int, int], str]:
    """The status of each (task, community) pair of per-community tasks; missing means 未开始."""
    ids = [task.pk for task in tasks if task.per_community]
    return {
        (task_id, community_id): status
        for task_id, community_id, status in CommunityTaskStatus.objects.filter(
            task_id__in=ids
        ).values_list("task_id", "community_id", "status")
    }


def tasks_done_for_community(community: CommunityPage | int, year: int) -> tuple[int, int]:
    """(done, due) of ``year``'s per-community tasks for one community: for the scorecards.

    ``due`` counts the year's live tasks done community by community; ``done`` those the
    community has marked 已完成 (or 长期坚持 for a long-term one). Two queries.
    """
    community_id = community if isinstance(community, int) else community.pk
    due = GovernanceTask.objects.filter(year=year, per_community=True, live=True)
    done = CommunityTaskStatus.objects.filter(
        community_id=community_id, task__in=due, status__in=FINISHED
    ).count()
    return done, due.count()


def year_progress(year: int) -> dict[str, Any]:
    """The year's list by status, for the progress chart and its table.

    A task done community by community counts as done when every community is done.
    """
    tasks = list(GovernanceTask.objects.filter(year=year, live=True).order_by("number"))
    communities = list(CommunityPage.objects.order_by("path").values_list("pk", "title"))
    statuses = community_statuses(tasks)
    counts = dict.fromkeys(TaskStatus.values, 0)
    per_community: dict[str, int] = {title: 0 for _, title in communities}
    per_community_total = 0
    for task in tasks:
        status = task.status
        if task.per_community:
            per_community_total += 1
            mine = [statuses.get((task.pk, pk), TaskStatus.NOT_STARTED) for pk, _ in communities]
            for (_, title), value in zip(communities, mine, strict=True):
                per_community[title] += value in FINISHED
            if communities and all(value in FINISHED for value in mine):
                status = TaskStatus.DONE
            elif any(value != TaskStatus.NOT_STARTED for value in mine):
                status = TaskStatus.IN_PROGRESS
            else:
                status = TaskStatus.NOT_STARTED
        counts[status] += 1
    return {
        "year": year,
        "total": len(tasks),
        "by_status": [(TaskStatus(value).label, count) for value, count in counts.items()],
        "per_community": list(per_community.items()),
        "per_community_total": per_community_total,
    }
