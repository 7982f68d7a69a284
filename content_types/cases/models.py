"""诉求与事件: a dispute, hazard or complaint handled level by level (分级处置, measure 3).

A case belongs to a compound or a community (its ``scope``) and climbs from the compound's
three parties (the commissioner for the community, the owners' committee, the property firm)
to the community 微治办 and then to the street 微治办 and the working group of its category,
when a level does not finish it in time or passes it up. Every step is a ``CaseStep`` row:
the timeline, who and when. The reporter's name and phone are personal data, stored
encrypted and shown only to ``Role.CASE_REPORTER_READERS``; the public part is the summary
the handler writes when publishing a closed case, and nothing else.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, MultipleChooserPanel
from wagtail.models import Orderable, Page

from content_types.accounts.personal_data import EncryptedCharField, mask_phone
from content_types.roles.models import Role
from content_types.units.models import phone_digest


class CaseCategory(models.TextChoices):
    DISPUTE = "dispute", "矛盾纠纷"
    HAZARD = "hazard", "安全隐患"
    VIOLATION = "violation", "违法违规"
    COMPLAINT = "complaint", "服务投诉"
    OTHER = "other", "其他"


class CaseLevel(models.TextChoices):
    """The levels in the order a case climbs them."""

    COMPOUND = "compound", "小区三方"
    COMMUNITY = "community", "社区微治办"
    STREET = "street", "街道微治办"


LEVELS: tuple[str, ...] = tuple(CaseLevel.values)

# Who handles a case at each level, over the case's scope.
LEVEL_ROLES: dict[str, tuple[str, ...]] = {
    CaseLevel.COMPOUND: (Role.COMMISSIONER, Role.OWNERS_COMMITTEE, Role.PROPERTY_FIRM),
    CaseLevel.COMMUNITY: (Role.COMMUNITY_OFFICE,),
    CaseLevel.STREET: (Role.STREET_OFFICE,),
}


class CaseStatus(models.TextChoices):
    PENDING = "pending", "待受理"
    ACCEPTED = "accepted", "处置中"
    RESOLVED = "resolved", "已办结"
    CLOSED = "closed", "已关闭"


# The statuses whose level deadline runs: once resolved, nobody is late.
OPEN_STATUSES: tuple[str, ...] = (CaseStatus.PENDING, CaseStatus.ACCEPTED)


class ReporterKind(models.TextChoices):
    OWNER = "owner", "业主反映"
    PATROL = "patrol", "巡查发现"
    OTHER = "other", "其他渠道"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    FAIRLY = "fairly", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"
    UNREACHABLE = "unreachable", "未能联系到业主"


class CaseDeadline(models.Model):
    """How many days a level has before its case goes up by itself (site_config ``case_deadlines``).

    A level without a row takes ``WEIZHI_CASE_DEADLINE_DAYS``.
    """

    level = models.CharField("层级", max_length=16, choices=CaseLevel.choices, unique=True)
    days = models.PositiveSmallIntegerField("处置期限（天）")

    class Meta:
        verbose_name = "分级处置期限"
        verbose_name_plural = "分级处置期限"
        ordering = ["level"]

    def __str__(self) -> str:
        return f"{self.get_level_display()}：{self.days} 天"


def deadline_days(level: str) -> int:
    row = CaseDeadline.objects.filter(level=level).values_list("days", flat=True).first()
    return row if row is not None else settings.WEIZHI_CASE_DEADLINE_DAYS[level]


class CaseQuerySet(models.QuerySet):
    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now: Any = None) -> CaseQuerySet:
        return self.open().filter(deadline_at__lt=now or timezone.now())

    def overdue_first(self, now: Any = None) -> CaseQuerySet:
        """Overdue cases first, then by the nearest deadline; closed ones last."""
        now = now or timezone.now()
        rank = models.Case(
            models.When(status__in=OPEN_STATUSES, deadline_at__lt=now, then=0),
            models.When(status__in=OPEN_STATUSES, then=1),
            models.When(status=CaseStatus.RESOLVED, then=2),
            default=3,
            output_field=models.IntegerField(),
        )
        return self.annotate(queue_rank=rank).order_by("queue_rank", "deadline_at", "-pk")

    def published(self) -> CaseQuerySet:
        return self.filter(status=CaseStatus.CLOSED, published_at__isnull=False)


class Case(ClusterableModel):
    scope = models.ForeignKey(
        Page,
        verbose_name="所属小区或社区",
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # Isolated by its compound or community (``content_types.roles.permissions``); what each
    # handler may do at each level is checked by the services (``services.py``).
    scope_field = "scope"
    scope_roles = Role.CASE_HANDLERS

    title = models.CharField("事由", max_length=100, help_text="一句话概括，如：3 幢楼道堆放杂物。")
    category = models.CharField("类别", max_length=16, choices=CaseCategory.choices)
    place = models.CharField("地点", max_length=200, help_text="如：3 幢 2 单元楼道。")
    description = models.TextField("情况描述", max_length=5000)
    reporter_kind = models.CharField(
        "来源", max_length=16, choices=ReporterKind.choices, default=ReporterKind.OWNER
    )
    reporter_name = EncryptedCharField(
        "反映人姓名", max_length=50, blank=True, help_text="个人信息，加密保存，仅经办人员可见。"
    )
    reporter_phone = EncryptedCharField(
        "反映人电话", max_length=20, blank=True, help_text="个人信息，加密保存，仅经办人员可见。"
    )
    # How a data subject's request finds the cases filed under their phone (personal_data_report).
    reporter_phone_digest = models.CharField(
        "反映人电话摘要", max_length=64, db_index=True, editable=False, blank=True, default=""
    )

    level = models.CharField(
        "处置层级", max_length=16, choices=CaseLevel.choices, default=CaseLevel.COMPOUND
    )
    status = models.CharField(
        "状态", max_length=16, choices=CaseStatus.choices, default=CaseStatus.PENDING
    )
    working_group = models.CharField("街道工作组", max_length=100, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filed_at = models.DateTimeField("登记时间", default=timezone.now)
    level_since = models.DateTimeField("进入本层级时间", default=timezone.now)
    deadline_at = models.DateTimeField("本层级处置期限")

    resolution = models.TextField("处置情况", blank=True)
    outcome = models.TextField("办理结果", blank=True)
    satisfaction = models.CharField(
        "业主满意度", max_length=16, choices=Satisfaction.choices, blank=True
    )
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    public_summary = models.TextField(
        "公开摘要", blank=True, help_text="公开到小区页面的匿名摘要，不得含姓名、电话、门牌号。"
    )
    published_at = models.DateTimeField("公开时间", null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    panels = [
        FieldPanel("scope"),
        FieldPanel("category"),
        FieldPanel("title"),
        FieldPanel("place"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("reporter_kind"),
                FieldPanel("reporter_name"),
                FieldPanel("reporter_phone"),
            ],
            heading="反映人",
        ),
        MultipleChooserPanel("photos", chooser_field_name="image", heading="照片", label="照片"),
        MultipleChooserPanel(
            "attachments", chooser_field_name="document", heading="材料", label="材料"
        ),
    ]

    class Meta:
        verbose_name = "诉求事件"
        verbose_name_plural = "诉求与事件"
        ordering = ["-filed_at", "-pk"]
        indexes = [models.Index(fields=["status", "deadline_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"SJ{self.pk or 0:05d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, now: Any = None) -> bool:
        return self.is_open and self.deadline_at < (now or timezone.now())

    @property
    def masked_reporter_phone(self) -> str:
        return mask_phone(self.reporter_phone)

    @property
    def owner_reported(self) -> bool:
        return self.reporter_kind == ReporterKind.OWNER

    def lowest_level(self) -> str:
        """A community's own case starts (and can be returned no lower than) the community."""
        model = self.scope.content_type.model if self.scope_id else "compoundpage"
        return CaseLevel.COMPOUND if model == "compoundpage" else CaseLevel.COMMUNITY

    def next_level(self) -> str | None:
        index = LEVELS.index(self.level)
        return LEVELS[index + 1] if index + 1 < len(LEVELS) else None

    def previous_level(self) -> str | None:
        index = LEVELS.index(self.level)
        return LEVELS[index - 1] if index > LEVELS.index(self.lowest_level()) else None

    def enter_level(self, level: str, now: Any) -> None:
        self.level = level
        self.level_since = now
        self.deadline_at = now + timedelta(days=deadline_days(level))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.reporter_phone_digest = (
            phone_digest(self.reporter_phone) if self.reporter_phone else ""
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "reporter_phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "reporter_phone_digest"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.reporter_phone:
            digits = "".join(ch for ch in self.reporter_phone if ch.isdigit())
            if not 7 <= len(digits) <= 15:
                raise ValidationError(
                    {"reporter_phone": "请填写有效的电话号码（7 至 15 位数字）。"}
                )
            self.reporter_phone = digits
        if self.reporter_kind == ReporterKind.OWNER and not self.reporter_name.strip():
            raise ValidationError({"reporter_name": "业主反映的事项请填写反映人姓名，以便回访。"})


class CasePhoto(Orderable):
    case = ParentalKey(Case, related_name="photos", on_delete=models.CASCADE)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="照片",
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(Orderable.Meta):
        verbose_name = "照片"
        verbose_name_plural = "照片"


class CaseAttachment(Orderable):
    case = ParentalKey(Case, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="材料", on_delete=models.PROTECT, related_name="+"
    )

    class Meta(Orderable.Meta):
        verbose_name = "材料"
        verbose_name_plural = "材料"


class StepAction(models.TextChoices):
    FILED = "filed", "登记"
    ACCEPTED = "accepted", "受理"
    ASSIGNED = "assigned", "指派"
    ESCALATED = "escalated", "上报"
    RETURNED = "returned", "退回"
    RESOLVED = "resolved", "办结"
    CLOSED = "closed", "关闭"
    PUBLISHED = "published", "公开"


class CaseStep(models.Model):
    """One step of a case, for its timeline; ``actor`` is empty when the worker escalated it."""

    case = models.ForeignKey(
        Case, verbose_name="事件", on_delete=models.CASCADE, related_name="steps"
    )
    action = models.CharField("操作", max_length=16, choices=StepAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间", default=timezone.now)
    from_level = models.CharField("原层级", max_length=16, choices=CaseLevel.choices, blank=True)
    to_level = models.CharField("新层级", max_length=16, choices=CaseLevel.choices, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "处置记录"
        verbose_name_plural = "处置记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_action_display()}"

    @property
    def actor_label(self) -> str:
        if self.actor is None:
            return "系统（逾期自动上报）"
        return self.actor.get_full_name() or self.actor.get_username()
