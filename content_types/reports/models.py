"""报告制度 (measure 2): the owners' committee, the property firm and the commissioner report to
the community on schedules, and the community office reads each report.

A ``ReportSchedule`` (site_config ``report_schedules``) says who reports what, how often, within
how many days after each period, and under which headings. A ``Report`` is one compound's report
for one period: written from the schedule's headings by a holder of the schedule's role,
submitted, then acknowledged (阅知) or returned with comments by the community office. The
periods and deadlines are the disclosures' own (``content_types.disclosures.periods``).
Reports are internal: isolated by their compound in the admin and never in the API.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from content_types.disclosures.periods import Period
from content_types.roles.models import Role

# Who reports to the community, and who reads the reports (the street office reads only).
REPORTER_ROLES: tuple[str, ...] = (Role.OWNERS_COMMITTEE, Role.PROPERTY_FIRM, Role.COMMISSIONER)
REVIEWER_ROLES: tuple[str, ...] = (Role.COMMUNITY_OFFICE,)
READER_ROLES: tuple[str, ...] = (Role.STREET_OFFICE, *REVIEWER_ROLES, *REPORTER_ROLES)


class ReportSchedule(models.Model):
    """Who reports what to the community, how often, and under which headings."""

    code = models.SlugField("代码", max_length=64, unique=True)
    name = models.CharField("报告名称", max_length=100, help_text="如：物业季度财务报告")
    role = models.CharField(
        "报告主体",
        max_length=32,
        choices=[(role, Role(role).label) for role in REPORTER_ROLES],
    )
    period = models.CharField("频次", max_length=16, choices=Period.choices)
    grace_days = models.PositiveSmallIntegerField(
        "宽限天数", default=10, help_text="每期结束后多少天内应当提交。"
    )
    headings = models.JSONField("报告提纲", default=list, help_text="报告各部分的标题。")
    scope = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="适用范围",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="该街道或社区以下的每个小区都按此制度报告。",
    )

    class Meta:
        verbose_name = "报告制度"
        verbose_name_plural = "报告制度"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_period_display()}）"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待阅知"
    RETURNED = "returned", "已退回"
    ACKNOWLEDGED = "acknowledged", "已阅知"


# A report in these states is with its writers; once submitted, with the community office.
WRITABLE_STATUSES: tuple[str, ...] = (ReportStatus.DRAFT, ReportStatus.RETURNED)
# A period is reported once its report has reached the community office.
FILED_STATUSES: tuple[str, ...] = (ReportStatus.SUBMITTED, ReportStatus.ACKNOWLEDGED)


class Report(ClusterableModel):
    compound = models.ForeignKey(
        "structure.CompoundPage",
        verbose_name="小区",
        on_delete=models.PROTECT,
        related_name="reports",
    )
    # Isolated by its compound (``content_types.roles.permissions``); who writes and who reads
    # it back is checked by the services (``services.py``).
    scope_field = "compound"
    scope_roles = READER_ROLES

    schedule = models.ForeignKey(
        ReportSchedule,
        verbose_name="报告制度",
        null=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    title = models.CharField("标题", max_length=200)
    role = models.CharField(
        "报告主体", max_length=32, choices=[(role, Role(role).label) for role in REPORTER_ROLES]
    )
    period_start = models.DateField("报告期起")
    period_end = models.DateField("报告期止")
    due_on = models.DateField("应交日期")
    status = models.CharField(
        "状态", max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撰写人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="阅知人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("阅知或退回时间", null=True, blank=True)
    review_comment = models.TextField("社区意见", blank=True)

    panels = [InlinePanel("sections", heading="报告内容", label="部分", min_num=1)]

    class Meta:
        verbose_name = "工作报告"
        verbose_name_plural = "工作报告"
        ordering = ["-period_start", "compound__path", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "compound", "period_start"], name="one_report_per_period"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period_label(self) -> str:
        return f"{self.period_start:%Y-%m-%d} 至 {self.period_end:%Y-%m-%d}"

    @property
    def is_late(self) -> bool:
        """Submitted after its day (or not yet submitted and past it)."""
        if self.submitted_at is None:
            return timezone.localdate() > self.due_on
        return timezone.localtime(self.submitted_at).date() > self.due_on


class ReportSection(Orderable):
    """One heading of the schedule's outline and what the report says under it."""

    report = ParentalKey(Report, related_name="sections", on_delete=models.CASCADE)
    heading = models.CharField("标题", max_length=100)
    body = models.TextField("内容", max_length=10000, blank=True)

    panels = [FieldPanel("heading"), FieldPanel("body")]

    class Meta(Orderable.Meta):
        verbose_name = "报告部分"
        verbose_name_plural = "报告部分"
