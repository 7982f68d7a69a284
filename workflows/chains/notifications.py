"""Who is told what when an item moves along its chain; the outbox delivers it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import AbstractGroupApprovalTask, TaskState, WorkflowState

from content_types.audits.models import Audit
from content_types.cases.models import Case, CaseStep, StepAction
from content_types.cases.services import handlers_at
from content_types.roles.models import Role
from content_types.roles.scope import users_holding_role_over
from workflows.voting.services import when

from .outbox import Notification, notify

if TYPE_CHECKING:
    from django.db.models import QuerySet


def reviewers_of(task_state: TaskState) -> QuerySet:
    """The users who may act on ``task_state``: scoped roles, or a stock task's groups."""
    task = task_state.task.specific
    obj = task_state.workflow_state.content_object
    if hasattr(task, "reviewers_for"):
        return task.reviewers_for(obj)
    if isinstance(task, AbstractGroupApprovalTask):
        return get_user_model().objects.filter(groups__in=task.groups.all(), is_active=True)
    return get_user_model().objects.none()


def admin_url(obj: Any) -> str:
    return AdminURLFinder().get_edit_url(obj) or ""


def on_task_submitted(sender: type, instance: TaskState, user: Any = None, **kwargs: Any) -> None:
    obj = instance.workflow_state.content_object
    recipients = reviewers_of(instance)
    if user is not None:
        recipients = recipients.exclude(pk=user.pk)
    notify(
        recipients,
        Notification.Event.SUBMITTED,
        subject=f"【待审核】{obj}（{instance.task.name}）",
        body=f"“{obj}”已提交到“{instance.task.name}”步骤，请您审核。",
        url=admin_url(obj),
        task_state=instance,
    )


def on_vote_waiting(task_state: TaskState, vote: Any, compound: Any) -> None:
    """Tell the compound's owners' committee that a review step put a vote in its hands.

    Nobody reviews that step: the committee opens the vote (and prints the codes) in
    业主大会表决, and is told so here; without a committee, the community office is.
    """
    recipients = users_holding_role_over(compound, [Role.OWNERS_COMMITTEE])
    if not recipients.exists():
        recipients = users_holding_role_over(compound, [Role.COMMUNITY_OFFICE])
    obj = task_state.workflow_state.content_object
    notify(
        recipients,
        Notification.Event.SUBMITTED,
        subject=f"【待开启表决】{obj}（{task_state.task.name}）",
        body=(
            f"“{obj}”已到“{task_state.task.name}”步骤，已生成表决“{vote.title}”。"
            "请在“业主大会表决”中核对表决期，开启表决并发放表决码。"
        ),
        url=reverse("voting_admin:detail", args=[vote.pk]),
        task_state=task_state,
    )


def on_vote_reminder(
    sender: type, vote: Any, building: str, notice: Any, user: Any = None, **kwargs: Any
) -> None:
    """Send a building's vote reminder to those who post it and pass it on to the owners.

    The firm's staff post it in the building, the commissioner passes it on in the grid, the
    committee collects the ballots; each gets the published notice to print. Like the notice,
    it names no one.
    """
    recipients = users_holding_role_over(vote.compound, Role.VOTE_REMINDER_POSTERS)
    if user is not None:
        recipients = recipients.exclude(pk=user.pk)
    where = building or "各楼栋"
    notify(
        recipients,
        Notification.Event.VOTE_REMINDER,
        subject=f"【表决提醒】请在{where}张贴并转告业主：{vote.title}"[:255],
        body=(
            f"“{vote.title}”将于{when(vote.closes_at)}截止。"
            f"请在{where}张贴表决提醒，并转告业主凭表决通知书上的表决码网上表决，"
            "或填写纸质表决票交业主委员会。提醒已发布在小区公告栏（网站和公开屏），"
            "可从下方链接打开打印。"
        ),
        url=notice.url or "",
    )


def on_workflow_approved(
    sender: type, instance: WorkflowState, user: Any = None, **kwargs: Any
) -> None:
    author = instance.requested_by
    if author is None or author == user:
        return
    obj = instance.content_object
    notify(
        [author],
        Notification.Event.APPROVED,
        subject=f"【已通过】{obj}",
        body=f"您提交的“{obj}”已通过全部审核并发布。",
        url=admin_url(obj),
    )


def on_workflow_rejected(
    sender: type, instance: WorkflowState, user: Any = None, **kwargs: Any
) -> None:
    author = instance.requested_by
    if author is None or author == user:
        return
    obj = instance.content_object
    task_state = instance.current_task_state.specific
    comment = task_state.get_comment() or "（审核人未填写意见）"
    notify(
        [author],
        Notification.Event.REJECTED,
        subject=f"【被退回】{obj}（{task_state.task.name}）",
        body=f"您提交的“{obj}”在“{task_state.task.name}”步骤被退回修改。审核意见：{comment}",
        url=admin_url(obj),
        task_state=task_state,
    )


def on_case_moved(sender: type, case: Case, step: CaseStep, **kwargs: Any) -> None:
    """Tell who must act next on a case: the level it reached, or the handler it was given.

    The message names the case, its place and level, never its reporter.
    """
    url = reverse("cases:edit", args=[case.pk])
    if step.action in (StepAction.FILED, StepAction.ESCALATED, StepAction.RETURNED):
        recipients = handlers_at(case)
        group = f"（{case.working_group}）" if case.working_group else ""
        verbs: dict[str, str] = {
            StepAction.FILED: "新登记",
            StepAction.ESCALATED: "已上报",
            StepAction.RETURNED: "已退回",
        }
        verb = verbs[step.action]
        subject = f"【诉求事件】{case}{verb}至{case.get_level_display()}{group}"
        deadline = timezone.localtime(case.deadline_at)
        body = (
            f"{case.scope.title}的{case.get_category_display()}事件“{case.title}”（{case.place}）"
            f"{verb}至{case.get_level_display()}{group}，请于 {deadline:%Y-%m-%d %H:%M} 前处置。"
            + (f"\n说明：{step.note}" if step.note else "")
        )
    elif step.action == StepAction.ASSIGNED and case.assignee_id:
        recipients = get_user_model().objects.filter(pk=case.assignee_id, is_active=True)
        subject = f"【诉求事件】{case}已指派给您"
        body = f"{case.scope.title}的事件“{case.title}”（{case.place}）已指派给您处置。"
    else:
        return
    if step.actor_id is not None:
        recipients = recipients.exclude(pk=step.actor_id)
    notify(recipients, Notification.Event.CASE, subject=subject, body=body, url=url)


def on_audit_opened(sender: type, audit: Audit, **kwargs: Any) -> None:
    """Tell the community office over the compound that an audit of its committee is due."""
    url = reverse(Audit.snippet_viewset.get_url_name("edit"), args=[audit.pk])
    recipients = users_holding_role_over(audit.compound, [Role.COMMUNITY_OFFICE])
    subject = f"【审计】{audit.compound.title}{audit.get_kind_display()}已开启"
    body = (
        f"{audit.committee}的{audit.get_kind_display()}（审计期间 {audit.period_label}）已开启，"
        f"审计单位：{audit.auditor}，请于 {audit.due_on:%Y-%m-%d} 前出具审计报告。"
    )
    notify(recipients, Notification.Event.AUDIT, subject=subject, body=body, url=url)
