"""年度任务清单: the street's annual task list (附件1 of 百委〔2023〕37号) and its progress.

A deadline is either a month (the annex writes "2023.04") or "长期坚持", an
ongoing duty with no date. It is stored as the first day of the month plus a
long-term flag, so overdue tasks are one indexed date comparison; exactly one
of the two is set (a check constraint, and a Chinese message in the form).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, RevisionMixin

if TYPE_CHECKING:
    import datetime

LONG_TERM_LABEL = "长期坚持"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"
    ONGOING = "ongoing", LONG_TERM_LABEL


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


class GovernanceTaskQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date | None = None) -> GovernanceTaskQuerySet:
        """Not done, not ongoing, and due in a month before this one."""
        this_month = first_of_month(today or timezone.localdate())
        return self.filter(is_long_term=False, deadline_month__lt=this_month).exclude(
            status__in=[TaskStatus.DONE, TaskStatus.ONGOING]
        )


class GovernanceTask(DraftStateMixin, RevisionMixin, models.Model):
    number = models.PositiveSmallIntegerField(
        "序号", unique=True, error_messages={"unique": "已有这个序号的任务。"}
    )
    area = models.CharField(
        "重点任务类别", max_length=100, help_text="如：（一）突出党建引领，健全工作机制"
    )
    key_task = models.CharField("重点任务", max_length=100, help_text="如：组建两级“微治办”")
    measure = models.TextField("具体举措")
    responsible_offices = models.CharField(
        "责任单位", max_length=200, help_text="多个单位用顿号分隔，如：党建办、社区办"
    )
    deadline_month = models.DateField(
        "完成时限（月份）",
        null=True,
        blank=True,
        help_text="选择该月任意一天即可，按月计；长期坚持的任务不填。",
    )
    is_long_term = models.BooleanField("长期坚持", default=False)
    status = models.CharField(
        "进展状态", max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress_notes = models.TextField("进展情况", blank=True)

    objects = GovernanceTaskQuerySet.as_manager()

    panels = [
        FieldPanel("number"),
        FieldRowPanel([FieldPanel("area"), FieldPanel("key_task")]),
        FieldPanel("measure"),
        FieldPanel("responsible_offices"),
        MultiFieldPanel(
            [FieldPanel("deadline_month"), FieldPanel("is_long_term")], heading="完成时限"
        ),
        FieldPanel("status"),
        FieldPanel("progress_notes"),
    ]

    class Meta:
        verbose_name = "年度任务"
        verbose_name_plural = "年度任务清单"
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_long_term=True, deadline_month__isnull=True)
                | models.Q(is_long_term=False, deadline_month__isnull=False),
                name="governance_task_deadline_xor_long_term",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.key_task}"

    @property
    def deadline_display(self) -> str:
        if self.is_long_term or self.deadline_month is None:
            return LONG_TERM_LABEL
        return f"{self.deadline_month.year}年{self.deadline_month.month}月"

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        if self.is_long_term or self.deadline_month is None:
            return False
        if self.status in (TaskStatus.DONE, TaskStatus.ONGOING):
            return False
        return self.deadline_month < first_of_month(today or timezone.localdate())

    def clean(self) -> None:
        super().clean()
        if self.deadline_month:
            self.deadline_month = first_of_month(self.deadline_month)
        if self.is_long_term and self.deadline_month:
            raise ValidationError(
                {"deadline_month": "长期坚持的任务没有完成月份，请清空月份或取消“长期坚持”。"}
            )
        if not self.is_long_term and not self.deadline_month:
            raise ValidationError({"deadline_month": "请填写完成月份，或勾选“长期坚持”。"})
        if self.status == TaskStatus.ONGOING and not self.is_long_term:
            raise ValidationError({"status": "只有长期坚持的任务才能标为“长期坚持”状态。"})
