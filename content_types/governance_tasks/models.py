"""年度任务清单: the street's annual task list (附件1 of 百委〔2023〕37号) and its progress.

A deadline is either a month (the annex writes "2023.04") or "长期坚持", an
ongoing duty with no date. It is stored as the first day of the month plus a
long-term flag, so overdue tasks are one indexed date comparison; exactly one
of the two is set (a check constraint, and a Chinese message in the form).

Each list has its year, so 2024's stands beside 2023's; a task copied to a new year
points at the task it was first listed as (``origin``), and its history (``TaskUpdate``)
is read across all its years. The responsible offices (责任单位) are the offices of the
site configuration, linked by name from the policy's column; their users post the
updates. A task done community by community (``per_community``) keeps a status per
community (``CommunityTaskStatus``), posted by that community's office.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import DraftStateMixin, RevisionMixin

from content_types.roles.models import Role

LONG_TERM_LABEL = "长期坚持"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"
    ONGOING = "ongoing", LONG_TERM_LABEL


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def end_of_month(first: datetime.date) -> datetime.date:
    """The last day of ``first``'s month: a month deadline is met by the end of that month."""
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def office_names(text: str) -> list[str]:
    """The offices of the policy's 责任单位 column, written "党建办、社区办"."""
    return [name.strip() for name in text.replace("，", "、").split("、") if name.strip()]


class GovernanceTaskQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date | None = None) -> GovernanceTaskQuerySet:
        """Not done, not ongoing, and due in a month before this one."""
        this_month = first_of_month(today or timezone.localdate())
        return self.filter(is_long_term=False, deadline_month__lt=this_month).exclude(
            status__in=[TaskStatus.DONE, TaskStatus.ONGOING]
        )


class GovernanceTask(DraftStateMixin, RevisionMixin, models.Model):
    # Rows are owned by the offices named here: the access module filters by them.
    office_field = "offices"

    year = models.PositiveSmallIntegerField("年度", help_text="任务清单所属年度，如：2023")
    number = models.PositiveSmallIntegerField("序号")
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
    per_community = models.BooleanField(
        "按社区分别推进",
        default=False,
        help_text="每个社区各有进展状态，由该社区微治办更新（如：组建社区“微治办”）。",
    )
    status = models.CharField(
        "进展状态", max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress_notes = models.TextField("进展情况", blank=True)
    offices = models.ManyToManyField(
        "site_config.Office",
        verbose_name="责任单位账号",
        blank=True,
        editable=False,
        related_name="governance_tasks",
        help_text="按“责任单位”一栏的名称对应配置文件中的责任单位，保存时自动关联。",
    )
    origin = models.ForeignKey(
        "self",
        verbose_name="首次列入的任务",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="carried_over",
        help_text="复制到新年度的任务指向它最早的那一年，历次进展一并可查。",
    )

    objects = GovernanceTaskQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("number")]),
        FieldRowPanel([FieldPanel("area"), FieldPanel("key_task")]),
        FieldPanel("measure"),
        FieldPanel("responsible_offices"),
        MultiFieldPanel(
            [FieldPanel("deadline_month"), FieldPanel("is_long_term")], heading="完成时限"
        ),
        FieldPanel("per_community"),
        FieldPanel("status"),
        FieldPanel("progress_notes"),
    ]

    class Meta:
        verbose_name = "年度任务"
        verbose_name_plural = "年度任务清单"
        ordering = ["-year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"],
                name="governance_task_number_per_year",
                violation_error_message="该年度已有这个序号的任务。",
            ),
            models.CheckConstraint(
                condition=models.Q(is_long_term=True, deadline_month__isnull=True)
                | models.Q(is_long_term=False, deadline_month__isnull=False),
                name="governance_task_deadline_xor_long_term",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.number}. {self.key_task}"

    @property
    def first_task_id(self) -> int | None:
        """The task this one was first listed as: the key its history is kept under."""
        return self.origin_id or self.pk

    @property
    def due_date(self) -> datetime.date | None:
        """The last day the task may be done on time; None for a long-term task."""
        if self.is_long_term or self.deadline_month is None:
            return None
        return end_of_month(self.deadline_month)

    @property
    def deadline_display(self) -> str:
        if self.is_long_term or self.deadline_month is None:
            return LONG_TERM_LABEL
        return f"{self.deadline_month.year}年{self.deadline_month.month}月"

    @property
    def status_summary(self) -> str:
        """The status as the list shows it; per community, how many communities are done."""
        if not self.per_community:
            return self.get_status_display()
        done = getattr(self, "communities_done", None)
        if done is None:
            done = self.community_statuses.filter(
                status__in=[TaskStatus.DONE, TaskStatus.ONGOING]
            ).count()
        return f"按社区推进：{done} 个社区已完成"

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

    def validate_constraints(self, exclude: Any = None) -> None:
        # The year's numbers as one message on the number, not a form-wide error.
        try:
            super().validate_constraints(exclude)
        except ValidationError as invalid:
            if "该年度已有这个序号的任务。" in invalid.messages:
                raise ValidationError({"number": "该年度已有这个序号的任务。"}) from invalid
            raise

    def link_offices(self) -> list[str]:
        """Link the offices named in 责任单位; returns the names no office of the config has."""
        office = self._meta.get_field("offices").related_model
        names = office_names(self.responsible_offices)
        found = list(office.objects.filter(name__in=names))  # type: ignore[union-attr]
        self.offices.set(found)
        known = {row.name for row in found}
        return [name for name in names if name not in known]


class CommunityTaskStatus(models.Model):
    """Where a task is done community by community: one community's status, its office's to keep."""

    # The access module isolates these rows by community, as compound rows by compound: a
    # community's office keeps its own community's statuses, the street office any.
    scope_field = "community"
    scope_roles = (Role.STREET_OFFICE, Role.COMMUNITY_OFFICE)

    task = models.ForeignKey(
        GovernanceTask,
        verbose_name="年度任务",
        on_delete=models.CASCADE,
        related_name="community_statuses",
    )
    community = models.ForeignKey(
        "structure.CommunityPage",
        verbose_name="社区",
        on_delete=models.CASCADE,
        related_name="governance_task_statuses",
    )
    status = models.CharField(
        "进展状态", max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress_notes = models.TextField("进展情况", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "社区任务进展"
        verbose_name_plural = "社区任务进展"
        ordering = ["task", "community__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "community"], name="governance_task_status_per_community"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.community.title}"


class TaskUpdate(models.Model):
    """One update of a task's status and progress, with its evidence: the task's history.

    Kept under the task first listed (``first_task``), so a task copied to a new year
    shows every year's updates; ``task`` is the year's task it was posted on.
    """

    task = models.ForeignKey(
        GovernanceTask, verbose_name="年度任务", on_delete=models.CASCADE, related_name="updates"
    )
    first_task = models.ForeignKey(
        GovernanceTask,
        verbose_name="首次列入的任务",
        on_delete=models.CASCADE,
        related_name="history",
    )
    community = models.ForeignKey(
        "structure.CommunityPage",
        verbose_name="社区",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="按社区推进的任务：更新的是哪个社区的进展。",
    )
    status = models.CharField("进展状态", max_length=16, choices=TaskStatus.choices)
    progress_notes = models.TextField("进展情况", blank=True)
    evidence = models.ManyToManyField(
        "wagtaildocs.Document", verbose_name="佐证材料", blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = "任务进展记录"
        verbose_name_plural = "任务进展记录"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["first_task", "created_at"])]

    def __str__(self) -> str:
        return f"{self.task} · {self.get_status_display()}"
