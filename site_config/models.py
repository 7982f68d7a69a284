"""What the site configuration file owns, and the parts of it no other app models.

``ManagedObject`` marks every row of another app (pages, firms, committees,
users, review chains, tasks) that the configuration file created or adopted:
the admin shows the mark so nobody edits such a row by hand only to see the
next ``apply_config`` overwrite it, and a row that leaves the file is removed
only if it carries the mark. Offices, coordination offices and disclosure
schedules exist only through the file, so they are models here; screens are
the API's (``api.models.Screen``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from content_types.disclosures.periods import Period


class ManagedObject(models.Model):
    """One row of another app that the configuration file manages, by its key in the file."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    kind = models.CharField("类别", max_length=32)
    key = models.CharField("配置键", max_length=255)
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = "配置管理对象"
        verbose_name_plural = "配置管理对象"
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="managed_once"),
            models.UniqueConstraint(fields=["kind", "key"], name="managed_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class Office(models.Model):
    """A responsible office of the street (责任单位), named in the annual task list."""

    code = models.SlugField("代码", max_length=64, unique=True)
    name = models.CharField("名称", max_length=100)
    duties = models.TextField("职责", blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)
    # The office's accounts: they post progress on the annual tasks the office owns.
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="账号", blank=True, related_name="offices"
    )

    class Meta:
        verbose_name = "责任单位"
        verbose_name_plural = "责任单位"
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return self.name


class CoordinationOffice(models.Model):
    """A coordination office (微治办) at the street or a community, described by post, not name."""

    scope = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name="范围",
        on_delete=models.CASCADE,
        related_name="coordination_office",
    )
    name = models.CharField("名称", max_length=100)
    director = models.CharField("主任", max_length=200, help_text="按岗位填写，如：街道办事处主任")
    executive_deputy = models.CharField("常务副主任", max_length=200, blank=True)
    deputies = models.CharField("副主任", max_length=200, blank=True)
    members = models.CharField("成员", max_length=500, blank=True)
    duties = models.TextField("职责", blank=True)

    class Meta:
        verbose_name = "微治办"
        verbose_name_plural = "微治办"
        ordering = ["scope__path"]

    def __str__(self) -> str:
        return self.name


class WorkingGroup(models.Model):
    """A working group of a coordination office (附件2: 综合协调组, 业务指导组, …)."""

    office = models.ForeignKey(
        CoordinationOffice,
        verbose_name="微治办",
        on_delete=models.CASCADE,
        related_name="working_groups",
    )
    name = models.CharField("名称", max_length=100)
    lead = models.CharField("组长", max_length=300, help_text="按岗位填写，不写个人姓名。")
    members = models.CharField("成员", max_length=500, blank=True)
    duties = models.TextField("职责", blank=True)
    case_categories = models.JSONField(
        "负责的事件类别", default=list, blank=True, help_text="诉求事件上报到街道时按类别交本组。"
    )
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "工作小组"
        verbose_name_plural = "工作小组"
        ordering = ["office", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="working_group_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.office} · {self.name}"


class DisclosureSchedule(models.Model):
    """How often a kind of disclosure is due on each compound; the dashboard's due panel reads it
    (``schedules``)."""

    code = models.SlugField("代码", max_length=64, unique=True)
    name = models.CharField("名称", max_length=100)
    page_type = models.CharField(
        "公开页面类型", max_length=100, help_text="如：disclosures.financestatementpage"
    )
    period = models.CharField("频次", max_length=16, choices=Period.choices)
    grace_days = models.PositiveSmallIntegerField(
        "宽限天数", default=0, help_text="每期结束后多少天内应当公开。"
    )
    fund = models.CharField(
        "资金类别", max_length=32, blank=True, help_text="只认该类资金的公开；不分资金类别时为空。"
    )
    scope = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="适用范围",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="该页面以下的所有小区。",
    )

    class Meta:
        verbose_name = "公开频次"
        verbose_name_plural = "公开频次"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_period_display()}）"
