"""The reviewer's queue ("待我审核"), fetched in a fixed number of queries.

Wagtail's own dashboard panel looks up each waiting item's task, actions and
workflow progress one by one, so a street office with hundreds of items
waits seconds for its dashboard; this gathers the same facts in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch
from django.urls import reverse
from wagtail.models import Page, TaskState, WorkflowTask


@dataclass(frozen=True)
class QueuedItem:
    title: str
    edit_url: str
    approve_url: str
    step_name: str
    step_number: int
    step_count: int
    submitted_by: str
    waiting_since: datetime


def _urls(obj: Any, task_state: TaskState) -> tuple[str, str]:
    if isinstance(obj, Page):
        return (
            reverse("wagtailadmin_pages:edit", args=[obj.pk]),
            reverse("wagtailadmin_pages:workflow_action", args=[obj.pk, "approve", task_state.pk]),
        )
    viewset = obj.snippet_viewset
    return (
        reverse(viewset.get_url_name("edit"), args=[obj.pk]),
        reverse(viewset.get_url_name("workflow_action"), args=[obj.pk, "approve", task_state.pk]),
    )


def review_queue(user: AbstractBaseUser) -> list[QueuedItem]:
    """Every item waiting on ``user``, oldest first."""
    states = (
        TaskState.objects.reviewable_by(user)
        .select_related("task", "revision", "workflow_state__requested_by")
        .prefetch_related(
            "revision__content_object",
            Prefetch(
                "workflow_state__workflow__workflow_tasks",
                queryset=WorkflowTask.objects.order_by("sort_order"),
            ),
        )
        .order_by("started_at")
    )
    items = []
    for state in states:
        obj = state.revision.content_object if state.revision else None
        if obj is None:
            continue
        steps = [step.task_id for step in state.workflow_state.workflow.workflow_tasks.all()]
        edit_url, approve_url = _urls(obj, state)
        requester = state.workflow_state.requested_by
        items.append(
            QueuedItem(
                title=str(obj),
                edit_url=edit_url,
                approve_url=approve_url,
                step_name=state.task.name,
                step_number=steps.index(state.task_id) + 1 if state.task_id in steps else 0,
                step_count=len(steps),
                submitted_by=(requester.get_full_name() or requester.get_username())
                if requester
                else "",
                waiting_since=state.started_at,
            )
        )
    return items
