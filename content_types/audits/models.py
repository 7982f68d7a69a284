"""审计: 轮审 and 换届审计 of an owners' committee's finances (measure 8).

An audit belongs to one committee (and so to its compound, its ``scope``); the street and
community 微治办 plan and follow it (``Role.COORDINATION_OFFICES``), nobody in the compound
reaches it in the admin, and the API exposes none of it. Each finding carries the amount it
concerns and is followed to closure (整改销号); an end-of-term audit with open findings holds
back the election of the next committee (``election_blocker``) unless the street office
overrides it with a reason, which is logged.

The worker opens the end-of-term audit a configured number of days before the term ends and
plans the rotation audits (``AuditPolicy``, from site_config ``audits:``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from content_types.roles.models import Role

if TYPE_CHECKING:
    import datetime


class AuditKind(models.TextChoices):
    ROTATION = "rotation", "轮审"
    TERM_END = "term_end", "换届审计"
    SPECIAL = "special", "专项审计"


class AuditorKind(models.TextChoices):
    OFFICE = "office", "街道、社区有关科室"
    FIRM = "firm", "第三方审计机构"


class AuditStatus(models.TextChoices):
    PLANNED = "planned", "待审计"
    IN_PROGRESS = "in_progress", "审计中"
    RECTIFYING = "rectifying", "已出报告，整改中"
    CLOSED = "closed", "已办结"


# Before the report: the audit itself is late once its due date has passed.
UNREPORTED_STATUSES: tuple[str, ...] = (AuditStatus.PLANNED, AuditStatus.IN_PROGRESS)


class FindingStatus(models.TextChoices):
    OPEN = "open", "待整改"
    CLOSED = "closed", "已整改销号"


class AuditPolicy(models.Model):
    """What the site configuration's ``audits:`` section decides; one row."""

    term_end_days_before = models.PositiveSmallIntegerField("换届审计提前开启（天）", default=90)
    rotation_years = models.PositiveSmallIntegerField("轮审周期（年）", default=3)
    rotation_month = models.PositiveSmallIntegerField("轮审开始月份", default=3)
    due_days = models.PositiveSmallIntegerField("审计完成期限（天）", default=60)
    auditor = models.CharField("默认审计单位", max_length=100, default="街道财务审计中心")

    class Meta:
        verbose_name = "审计规则"
        verbose_name_plural = "审计规则"

    def __str__(self) -> str:
        return "审计规则"

    @classmethod
    def current(cls) -> AuditPolicy:
        return cls.objects.order_by("pk").first() or cls()

    def rotation_due(self, compound_id: int, year: int) -> bool:
        """Whether a compound's turn of the rotation falls in ``year``: a fixed share each year,
        every compound once in ``rotation_years``."""
        every = max(self.rotation_years, 1)
        return compound_id % every == year % every


# The fields site_config's ``audits:`` section sets, by the same names.
AUDIT_POLICY_FIELDS: tuple[str, ...] = (
    "term_end_days_before",
    "rotation_years",
    "rotation_month",
    "due_days",
    "auditor",
)


class AuditQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date | None = None) -> AuditQuerySet:
        """Not reported by their due date."""
        today = today or timezone.localdate()
        return self.filter(status__in=UNREPORTED_STATUSES, due_on__lt=today)

    def with_open_findings(self) -> AuditQuerySet:
        return self.filter(findings__status=FindingStatus.OPEN).distinct()


class Audit(ClusterableModel):
    compound = models.ForeignKey(
        "structure.CompoundPage",
        verbose_name="小区",
        on_delete=models.PROTECT,
        related_name="audits",
    )
    # Isolated by its compound (``content_types.roles.permissions``): the coordination offices
    # over it plan and follow it; the committee audited does not run its own audit.
    scope_field = "compound"
    scope_roles = Role.COORDINATION_OFFICES

    committee = models.ForeignKey(
        "committees.OwnersCommittee",
        verbose_name="被审计的业委会",
        on_delete=models.PROTECT,
        related_name="audits",
    )
    kind = models.CharField("审计类型", max_length=16, choices=AuditKind.choices)
    period_start = models.DateField("审计期间自")
    period_end = models.DateField("审计期间至")
    auditor = models.CharField("审计单位", max_length=100, help_text="如：街道财务审计中心。")
    auditor_kind = models.CharField(
        "审计单位类别", max_length=16, choices=AuditorKind.choices, default=AuditorKind.OFFICE
    )
    status = models.CharField(
        "状态", max_length=16, choices=AuditStatus.choices, default=AuditStatus.PLANNED
    )
    planned_on = models.DateField("计划开始日期", default=timezone.localdate)
    due_on = models.DateField("应出具报告日期")
    reported_on = models.DateField("报告日期", null=True, blank=True)
    conclusion = models.TextField("审计结论", blank=True, max_length=5000)
    report = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="审计报告",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="请先上传到本小区“审计材料”集合（仅街道、社区微治办可见）。",
    )
    election_override_reason = models.TextField("准许换届选举的理由", blank=True)
    election_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="准许人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    election_override_at = models.DateTimeField("准许时间", null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    panels = [
        FieldPanel("committee"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")], heading="审计期间"),
        FieldRowPanel([FieldPanel("auditor"), FieldPanel("auditor_kind")], heading="审计单位"),
        FieldRowPanel(
            [FieldPanel("planned_on"), FieldPanel("due_on"), FieldPanel("reported_on")],
            heading="时间",
        ),
        MultiFieldPanel([FieldPanel("conclusion"), FieldPanel("report")], heading="审计报告"),
        InlinePanel("findings", heading="审计发现的问题", label="问题"),
    ]

    class Meta:
        verbose_name = "审计"
        verbose_name_plural = "审计"
        ordering = ["-planned_on", "-pk"]
        constraints = [
            # The worker opens each committee's rotation and end-of-term audit once.
            models.UniqueConstraint(
                fields=["committee", "kind", "period_end"],
                condition=~models.Q(kind=AuditKind.SPECIAL),
                name="audit_once_per_committee_period",
                violation_error_message="该业委会这一期间的同类审计已经登记。",
            )
        ]

    def __str__(self) -> str:
        compound = self.compound.title if self.compound_id else ""
        return f"{self.number} {compound}{self.get_kind_display()}（{self.period_label}）"

    @property
    @admin.display(description="编号")
    def number(self) -> str:
        return f"SJ-A{self.pk or 0:05d}"

    @property
    @admin.display(description="审计期间")
    def period_label(self) -> str:
        if not (self.period_start and self.period_end):
            return ""
        return f"{self.period_start:%Y.%m.%d}—{self.period_end:%Y.%m.%d}"

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.status in UNREPORTED_STATUSES and self.due_on < (today or timezone.localdate())

    @property
    @admin.display(description="未整改问题")
    def open_finding_count(self) -> int:
        return sum(f.status == FindingStatus.OPEN for f in self.findings.all())

    @property
    @admin.display(description="问题涉及金额合计（元）")
    def findings_amount(self) -> Decimal:
        return sum((f.amount or Decimal("0.00") for f in self.findings.all()), Decimal("0.00"))

    @property
    def election_overridden(self) -> bool:
        return bool(self.election_override_at)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.committee_id and not self.compound_id:
            self.compound = self.committee.compound
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.committee_id:
            # The compound is the committee's: chosen once, through the committee.
            self.compound = self.committee.compound
        errors: dict[str, str] = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = "审计期间的结束日期不能早于开始日期。"
        if self.planned_on and self.due_on and self.due_on < self.planned_on:
            errors["due_on"] = "应出具报告日期不能早于计划开始日期。"
        reported = self.status in (AuditStatus.RECTIFYING, AuditStatus.CLOSED)
        if reported and not self.reported_on:
            errors["reported_on"] = "已出具报告的审计请填写报告日期。"
        if reported and not self.report_id:
            errors["report"] = "已出具报告的审计请上传审计报告。"
        if errors:
            raise ValidationError(errors)


class AuditFinding(Orderable):
    """One finding of an audit, with the amount it concerns, followed until it is closed."""

    audit = ParentalKey(Audit, related_name="findings", on_delete=models.CASCADE)
    title = models.CharField("问题", max_length=200, help_text="如：2024年共有收益未按时公开。")
    amount = models.DecimalField(
        "涉及金额（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.00"), "涉及金额不能为负数。")],
    )
    requirement = models.TextField("整改要求", blank=True, max_length=2000)
    rectify_by = models.DateField("整改期限", null=True, blank=True)
    status = models.CharField(
        "整改状态", max_length=16, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    closed_on = models.DateField("销号日期", null=True, blank=True)
    closure_note = models.TextField("整改情况", blank=True, max_length=2000)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("amount"), FieldPanel("rectify_by")]),
        FieldPanel("requirement"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("closed_on")]),
        FieldPanel("closure_note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "审计发现的问题"
        verbose_name_plural = "审计发现的问题"

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.status == FindingStatus.CLOSED:
            errors = {}
            if not self.closure_note.strip():
                errors["closure_note"] = "销号前请填写整改情况。"
            if not self.closed_on:
                errors["closed_on"] = "销号前请填写销号日期。"
            if errors:
                raise ValidationError(errors)
        elif self.closed_on:
            raise ValidationError({"closed_on": "问题尚未整改销号，请勿填写销号日期。"})
