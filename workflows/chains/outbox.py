"""The notification outbox: rows written with the review step, e-mailed by the worker.

Rows are written inside the transition's transaction; e-mail goes out from
the worker after commit, so neither a slow mail server nor a broker outage
can hold up or undo a review step.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from wagtail.models import TaskState

from workflows.channels.delivery import follow_up_options
from workflows.channels.delivery import record as record_for_channels

if TYPE_CHECKING:
    from collections.abc import Iterable

logger = logging.getLogger(__name__)


class Notification(models.Model):
    """A message to one user about a review step (or a vote's reminder to pass on): shown in the
    admin and e-mailed by the worker.

    Written in the same transaction as the step itself, so a broker outage can
    delay an e-mail but never lose it: undelivered rows are swept and sent
    again by a periodic job once the broker answers.
    """

    class Event(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "被退回"
        REMINDER = "reminder", "审核提醒"
        OVERDUE = "overdue", "逾期提醒"
        VOTE_REMINDER = "vote_reminder", "表决提醒"
        CASE = "case", "诉求事件"
        REPORT = "report", "工作报告"
        AUDIT = "audit", "审计"
        ANNUAL_TASK = "annual_task", "年度任务提醒"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="weizhi_notifications",
    )
    event = models.CharField("事件", max_length=16, choices=Event.choices)
    subject = models.CharField("标题", max_length=255)
    body = models.TextField("内容")
    url = models.CharField("链接", max_length=500, blank=True)
    task_state = models.ForeignKey(
        TaskState,
        verbose_name="审核步骤",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    delivered_at = models.DateTimeField("邮件投递时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "审核通知"
        verbose_name_plural = "审核通知"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["delivered_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.subject}"


def notify(
    recipients: Iterable,
    event: str,
    subject: str,
    body: str,
    url: str = "",
    task_state: TaskState | None = None,
) -> list[Notification]:
    """Record one notification per recipient and send the e-mails once the transaction commits.

    The offices' and roles' channels (group robots, mailboxes) get one message each as well.
    """
    unique = {r.pk: r for r in recipients}
    rows = Notification.objects.bulk_create(
        Notification(
            recipient=recipient,
            event=event,
            subject=subject,
            body=body,
            url=url,
            task_state=task_state,
        )
        for recipient in unique.values()
    )
    ids = [row.pk for row in rows]
    if ids:
        options = follow_up_options()
        transaction.on_commit(lambda: enqueue_delivery(ids, options))
        record_for_channels(unique, event, subject, body, url)
    return rows


def enqueue_delivery(ids: list[int], options: dict | None = None) -> None:
    """Hand the e-mails to the worker; if the broker is down the sweep sends them later.

    ``options``: from a task, its own queue, so the worker that escalated also sends.
    """
    try:
        deliver_notifications.apply_async(args=[ids], retry=False, **(options or {}))
    except Exception:  # any broker failure: the rows stay pending for the sweep
        logger.warning("消息队列不可用，%d 条通知将在队列恢复后补发。", len(ids), exc_info=True)


def deliver(notification_id: int) -> bool:
    """Send one notification's e-mail exactly once, even if two workers race for it."""
    claimed = Notification.objects.filter(pk=notification_id, delivered_at__isnull=True).update(
        delivered_at=timezone.now()
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    email = notification.recipient.email
    if not email:
        return True
    link = f"{settings.WAGTAILADMIN_BASE_URL}{notification.url}" if notification.url else ""
    try:
        send_mail(
            notification.subject,
            f"{notification.body}\n\n{link}".strip(),
            None,
            [email],
        )
    except Exception:
        Notification.objects.filter(pk=notification_id).update(delivered_at=None)
        raise
    return True


@shared_task(name="workflows.chains.tasks.deliver_notifications")
def deliver_notifications(ids: list[int]) -> int:
    return sum(deliver(pk) for pk in ids)


@shared_task(name="workflows.chains.tasks.send_pending_notifications")
def send_pending_notifications() -> int:
    """Send what the direct hand-off missed, e.g. while the broker was down."""
    grace = timedelta(seconds=settings.WEIZHI_NOTIFICATION_SWEEP_GRACE_SECONDS)
    pending = Notification.objects.filter(
        delivered_at__isnull=True, created_at__lte=timezone.now() - grace
    ).values_list("pk", flat=True)
    return sum(deliver(pk) for pk in list(pending[:500]))
