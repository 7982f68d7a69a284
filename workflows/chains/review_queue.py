"""The reviewer's queue ("待我审核"), fetched in a fixed number of queries.

Wagtail's own dashboard panel looks up each waiting item's task, actions and
workflow progress one by one, so a street office with hundreds of items
waits seconds for its dashboard; this gathers the same facts in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch
from django.urls import reverse
from wagtail.models import Page, Task, TaskState, WorkflowTask

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AbstractBaseUser


@dataclass(frozen=True)
class QueuedItem:
    """One waiting item; ``approve_url`` is None when approving asks for more than a click."""

    title: str
    edit_url: str
    approve_url: str | None
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


def approves_in_one_click(task: Task) -> bool:
    """Whether the step's approval needs nothing but an optional comment.

    The joint meeting's asks which meeting the decision was taken at: a bare "通过" posted from
    the dashboard would be refused, so its reviewers sign in the editor's form instead.
    """
    task_class = task.specific_class or Task
    form_class = task_class.get_form_for_action(task, "approve")
    return form_class is None or not any(
        field.required for field in form_class.base_fields.values()
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
                approve_url=approve_url if approves_in_one_click(state.task) else None,
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
