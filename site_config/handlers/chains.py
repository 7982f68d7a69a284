"""Review chains and their steps, and the annual task list (附件1)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Workflow, WorkflowContentType, WorkflowPage, WorkflowTask

from content_types.governance_tasks.loader import parse_deadline, task_with
from site_config.models import ManagedObject
from site_config.task_types import TASK_TYPES, chain_rule_model

if TYPE_CHECKING:
    from site_config.plan import Change

    from .context import Context


def save_task(change: Change, context: Context) -> None:
    values = change.values
    task_type = TASK_TYPES[values["type"]]
    step = {"role": values["role"], "key": values["key"], **dict(values["params"])}
    task = context.tasks.get(change.key)
    if task is not None and type(task) is not task_type.model:
        task.active = False
        task.save(update_fields=["active"])
        ManagedObject.objects.filter(kind="task", key=change.key).delete()
        task = None
    if task is None:
        task = task_type.model(name=change.key, **task_type.to_fields(step))
        task.save()
        context.mark("task", change.key, task)
    else:
        for name, value in task_type.to_fields(step).items():
            setattr(task, name, value)
        task.active = True
        task.save()
        if change.adopt:
            context.mark("task", change.key, task)
    context.tasks[change.key] = task


def remove_task(change: Change, context: Context) -> None:
    task = context.current.objects["task"][change.key]
    ManagedObject.objects.filter(kind="task", key=change.key).delete()
    task.active = False
    task.save(update_fields=["active"])


def save_chain(change: Change, context: Context) -> None:
    values = change.values
    workflow = context.current.objects["chain"].get(change.key)
    if workflow is None:
        workflow = Workflow.objects.create(name=change.key, active=values["active"])
        context.mark("chain", change.key, workflow)
    else:
        if workflow.active != values["active"]:
            workflow.active = values["active"]
            workflow.save(update_fields=["active"])
        if change.adopt:
            context.mark("chain", change.key, workflow)
    if change.action == "create" or "steps" in change.changed:
        workflow.workflow_tasks.all().delete()
        WorkflowTask.objects.bulk_create(
            WorkflowTask(workflow=workflow, task=context.tasks[name], sort_order=index)
            for index, name in enumerate(values["steps"])
        )
    if change.action == "create" or "pages" in change.changed:
        wanted = {context.pages[slug].pk for slug in values["pages"]}
        WorkflowPage.objects.filter(workflow=workflow).exclude(page_id__in=wanted).delete()
        WorkflowPage.objects.filter(page_id__in=wanted).exclude(workflow=workflow).delete()
        have = set(WorkflowPage.objects.filter(workflow=workflow).values_list("page_id", flat=True))
        WorkflowPage.objects.bulk_create(
            WorkflowPage(workflow=workflow, page_id=page_id) for page_id in sorted(wanted - have)
        )
    if change.action == "create" or "rules" in change.changed:
        _save_rules(workflow, values, context)
    if change.action == "create" or "snippets" in change.changed:
        types = [
            ContentType.objects.get_by_natural_key(*label.split("."))
            for label in values["snippets"]
        ]
        WorkflowContentType.objects.filter(workflow=workflow).exclude(
            content_type__in=types
        ).delete()
        for content_type in types:
            WorkflowContentType.objects.update_or_create(
                content_type=content_type, defaults={"workflow": workflow}
            )


def _save_rules(workflow: Workflow, values: dict[str, Any], context: Context) -> None:
    model = chain_rule_model()
    model.objects.filter(workflow=workflow).delete()
    model.objects.bulk_create(
        model(
            workflow=workflow,
            content_type=ContentType.objects.get_by_natural_key(*label.split(".")),
            scope=context.pages[subtree] if subtree else None,
            min_amount=Decimal(min_amount) if min_amount else None,
        )
        for label, subtree, min_amount in values["rules"]
    )


def remove_chain(change: Change, context: Context) -> None:
    workflow = context.current.objects["chain"][change.key]
    ManagedObject.objects.filter(kind="chain", key=change.key).delete()
    WorkflowPage.objects.filter(workflow=workflow).delete()
    WorkflowContentType.objects.filter(workflow=workflow).delete()
    if workflow.active:
        workflow.deactivate()


def save_governance_task(change: Change, context: Context) -> None:
    values = change.values
    deadline_month, long_term = parse_deadline(values["deadline"])
    year, number = change.key.split("/")
    task = task_with(
        {
            "year": int(year),
            "number": int(number),
            "area": values["area"],
            "key_task": values["key_task"],
            "measure": values["measure"],
            "responsible_offices": values["offices"],
            "deadline_month": deadline_month,
            "is_long_term": long_term,
            "per_community": values["per_community"],
        },
        context.current.objects["governance_task"].get(change.key),
    )
    task.live = True
    task.full_clean()
    task.save()
    task.link_offices()  # after the offices of this apply, which come first (``KINDS``)
    if change.action == "create" or change.adopt:
        context.mark("governance_task", change.key, task)
