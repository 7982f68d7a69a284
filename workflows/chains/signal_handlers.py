"""Replace Wagtail's in-request moderation e-mails with our outbox, delivered by Celery."""

from __future__ import annotations

from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

from content_types.audits.signals import audit_opened
from content_types.cases.signals import case_moved
from content_types.reports.signals import report_moved, report_overdue
from workflows.voting.signals import vote_finalised, vote_reminder_sent, vote_rerun

from . import notifications, report_notifications
from .assembly import on_vote_finalised, on_vote_rerun

WAGTAIL_EMAIL_HANDLERS = (
    (task_submitted, TaskState, "group_approval_task_submitted_email_notification"),
    (workflow_submitted, WorkflowState, "workflow_state_submitted_email_notification"),
    (workflow_rejected, WorkflowState, "workflow_state_rejected_email_notification"),
    (workflow_approved, WorkflowState, "workflow_state_approved_email_notification"),
)


def register() -> None:
    # This app is listed after wagtail.admin, whose ready() connected these.
    for signal, sender, dispatch_uid in WAGTAIL_EMAIL_HANDLERS:
        signal.disconnect(sender=sender, dispatch_uid=dispatch_uid)

    task_submitted.connect(notifications.on_task_submitted, dispatch_uid="weizhi_task_submitted")
    workflow_approved.connect(
        notifications.on_workflow_approved,
        sender=WorkflowState,
        dispatch_uid="weizhi_workflow_approved",
    )
    workflow_rejected.connect(
        notifications.on_workflow_rejected,
        sender=WorkflowState,
        dispatch_uid="weizhi_workflow_rejected",
    )

    case_moved.connect(notifications.on_case_moved, dispatch_uid="weizhi_case_moved")
    report_moved.connect(report_notifications.on_report_moved, dispatch_uid="weizhi_report_moved")
    report_overdue.connect(
        report_notifications.on_report_overdue, dispatch_uid="weizhi_report_overdue"
    )
    audit_opened.connect(notifications.on_audit_opened, dispatch_uid="weizhi_audit_opened")
    vote_finalised.connect(on_vote_finalised, dispatch_uid="weizhi_assembly_vote_finalised")
    vote_rerun.connect(on_vote_rerun, dispatch_uid="weizhi_assembly_vote_rerun")
    vote_reminder_sent.connect(
        notifications.on_vote_reminder, dispatch_uid="weizhi_vote_reminder_sent"
    )
