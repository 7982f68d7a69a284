"""One Excel upload and what became of it, so a large file can be followed while it runs.

The uploaded workbook is kept in the row (not in media storage) until the import has finished,
so a worker on another machine can read it without shared files; it holds owners' phones, so it
is dropped as soon as the import is over, whatever the outcome.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet

from content_types.structure.models import CompoundPage

from .importers import IMPORTERS, Importer, Problem, User


class ImportKind(models.TextChoices):
    UNITS = "units", "房屋与业主名册"
    CANDIDATES = "candidates", "业委会人选储备库"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "等待处理"
    RUNNING = "running", "正在处理"
    SUCCEEDED = "succeeded", "导入成功"
    FAILED = "failed", "未导入"


FINISHED = (ImportStatus.SUCCEEDED, ImportStatus.FAILED)


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> QuerySet[ImportJob]:
        """Jobs of the compounds the user may run that kind of import into; nothing else."""
        condition = Q(pk__in=[])
        for kind, importer in IMPORTERS.items():
            condition |= Q(kind=kind, compound__in=importer.compounds_for(user))
        return self.filter(condition)


class ImportJob(models.Model):
    kind = models.CharField("导入内容", max_length=16, choices=ImportKind.choices)
    compound = models.ForeignKey(
        CompoundPage, verbose_name="小区", on_delete=models.CASCADE, related_name="import_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField("文件名", max_length=255)
    data = models.BinaryField("文件内容", editable=False, default=b"")
    status = models.CharField(
        "状态", max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    blank_rows = models.PositiveIntegerField("跳过的空行", default=0)
    checked_rows = models.PositiveIntegerField("已检查行数", default=0)
    created_rows = models.PositiveIntegerField("已导入行数", default=0)
    problem_count = models.PositiveIntegerField("问题数", default=0)
    problems = models.JSONField("问题", default=list, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "Excel 导入"
        verbose_name_plural = "Excel 导入"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.file_name}"

    @property
    def importer(self) -> Importer:
        return IMPORTERS[self.kind]

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        """Share of the work done: the rows checked, held below 100 until the rows are written."""
        if self.finished:
            return 100
        if not self.total_rows:
            return 0
        return min(self.checked_rows * 100 // self.total_rows, 99)

    @property
    def rows_read(self) -> str:
        """How many rows the import read, as the result says it; empty before any was read."""
        if not self.total_rows:
            return ""
        skipped = f"（另跳过 {self.blank_rows} 个空行）" if self.blank_rows else ""
        return f"共读取 {self.total_rows} 行数据{skipped}"

    @property
    def phase(self) -> str:
        if self.status == ImportStatus.RUNNING:
            if not self.total_rows:
                return "正在读取文件"
            if self.checked_rows >= self.total_rows:
                return "正在写入"
            return f"正在检查第 {self.checked_rows} / {self.total_rows} 行"
        return self.get_status_display()

    def problem_list(self) -> list[Problem]:
        return [Problem.from_dict(problem) for problem in self.problems]

    @property
    def problems_not_shown(self) -> int:
        return max(self.problem_count - len(self.problems), 0)
