"""What the site configuration file owns, and the parts of it no other app models.

``ManagedObject`` marks every row of another app (pages, firms, committees,
users, review chains, tasks) that the configuration file created or adopted:
the admin shows the mark so nobody edits such a row by hand only to see the
next ``apply_config`` overwrite it, and a row that leaves the file is removed
only if it carries the mark. Offices, coordination offices and disclosure
schedules exist only through the file, so they are models here; screens are
the API's (``api.models.Screen``). ``ConfigVersion`` keeps every applied file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from content_types.disclosures.periods import Period

if TYPE_CHECKING:
    from .plan import Plan


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


class ConfigVersionQuerySet(models.QuerySet["ConfigVersion"]):
    def applied(self) -> ConfigVersionQuerySet:
        return self.filter(applied_at__isnull=False).order_by("-applied_at", "-pk")

    def current(self) -> ConfigVersion | None:
        """The version applied last: what the site is set up from now."""
        return self.applied().first()

    def record_applied(
        self, texts: dict[str, str], main: str, plan: Plan, origin: str, user: Any = None
    ) -> ConfigVersion | None:
        """Keep what a file applied, unless it is the current version again, unchanged."""
        current = self.current()
        if current and current.files == texts and current.main == main and plan.is_empty:
            return None
        version = self.create(files=texts, main=main, origin=origin, created_by=user)
        version.mark_applied(plan, user)
        return version


class ConfigVersion(models.Model):
    """One version of the configuration files: planned in the admin, or applied from either the
    admin or the command line, with the plan it applied, so the history is whole."""

    class Origin(models.TextChoices):
        COMMAND_LINE = "command_line", "命令行"
        ADMIN = "admin", "管理后台"

    files = models.JSONField("文件", help_text="主文件及其包含的文件，按文件名。")
    main = models.CharField("主文件", max_length=255)
    origin = models.CharField("来源", max_length=16, choices=Origin.choices)
    note = models.CharField("说明", max_length=255, blank=True)
    rollback_of = models.ForeignKey(
        "self",
        verbose_name="回滚到的版本",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="应用人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_at = models.DateTimeField("应用时间", null=True, blank=True)
    plan_report = models.TextField("应用的计划", blank=True)
    created = models.PositiveIntegerField("新建", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    removed = models.PositiveIntegerField("移除", default=0)

    objects = ConfigVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "配置版本"
        verbose_name_plural = "配置版本"
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"版本 {self.pk}"

    @property
    def who(self) -> str:
        person = self.applied_by or self.created_by
        if person is not None:
            return person.get_full_name() or person.get_username()
        return "命令行" if self.origin == self.Origin.COMMAND_LINE else "（未知）"

    def mark_applied(self, plan: Plan, user: Any = None) -> None:
        self.applied_by = user
        self.applied_at = timezone.now()
        self.plan_report = plan.report()
        self.created = plan.count("create")
        self.updated = plan.count("update")
        self.removed = plan.count("remove")
        self.save()
