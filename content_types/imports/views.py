"""Excel imports in the Wagtail admin: upload, follow the progress, read the problems.

A job is looked up among those the user may see (``ImportJob.objects.visible_to``), so another
compound's job is a 404 at every URL, the progress endpoint included.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .forms import ImportForm
from .importers import IMPORTERS, Importer, importable_kinds
from .models import ImportJob, ImportStatus
from .services import inline_row_limit, start_import
from .workbook import FileProblem

RECENT_JOBS = 20


class ImportsAdminView(WagtailAdminTemplateMixin, View):
    header_icon = "upload"
    page_title = "Excel 导入"

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("imports_admin:index"), "label": "Excel 导入"},
        ]

    def render(self, **context: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(**context))


class KindMixin:
    """Resolves ``kind`` to its importer; a kind the user may run nowhere is refused."""

    importer: Importer

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)  # type: ignore[misc]
        importer = IMPORTERS.get(kwargs.get("kind", ""))
        if importer is None:
            raise Http404
        self.importer = importer

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.importer.compounds_for(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class ImportIndexView(ImportsAdminView):
    template_name = "imports/admin/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        jobs = (
            ImportJob.objects.visible_to(request.user)
            .select_related("compound", "created_by")
            .defer("data")[:RECENT_JOBS]
        )
        return self.render(importers=importable_kinds(request.user), jobs=jobs)


class ImportFormView(KindMixin, ImportsAdminView):
    template_name = "imports/admin/form.html"

    def get_page_title(self) -> str:
        return f"导入{self.importer.label}"

    def form(self) -> ImportForm:
        if self.request.method == "POST":
            return ImportForm(
                self.request.POST,
                self.request.FILES,
                importer=self.importer,
                user=self.request.user,
            )
        return ImportForm(importer=self.importer, user=self.request.user)

    def context(self, form: ImportForm) -> dict[str, Any]:
        return {
            "form": form,
            "importer": self.importer,
            "inline_rows": inline_row_limit(),
        }

    def get(self, request: HttpRequest, kind: str) -> HttpResponse:
        return self.render(**self.context(self.form()))

    def post(self, request: HttpRequest, kind: str) -> HttpResponse:
        form = self.form()
        if not form.is_valid():
            return self.render(**self.context(form))
        upload = form.cleaned_data["file"]
        try:
            job = start_import(
                self.importer.kind,
                form.cleaned_data["compound"],
                request.user,
                upload.name,
                upload.read(),
            )
        except FileProblem as problem:
            form.add_error("file", str(problem))
            return self.render(**self.context(form))
        read = f"{job.rows_read}，" if job.rows_read else ""
        if job.status == ImportStatus.SUCCEEDED:
            messages.success(
                request, f"{read}已导入 {job.created_rows} 条{self.importer.label}记录。"
            )
        elif job.status == ImportStatus.FAILED:
            messages.error(request, f"{read}文件中有 {job.problem_count} 处问题，未导入任何数据。")
        return redirect("imports_admin:job", job.pk)


class TemplateDownloadView(KindMixin, View):
    def get(self, request: HttpRequest, kind: str) -> FileResponse:
        return FileResponse(
            io.BytesIO(self.importer.template_workbook()),
            as_attachment=True,
            filename=f"{self.importer.label}导入模板.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


class JobMixin:
    job: ImportJob

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)  # type: ignore[misc]
        self.job = get_object_or_404(
            ImportJob.objects.visible_to(request.user).select_related("compound").defer("data"),
            pk=kwargs["pk"],
        )


class ImportJobView(JobMixin, ImportsAdminView):
    template_name = "imports/admin/job.html"

    def get_page_title(self) -> str:
        return f"导入{self.job.importer.label}"

    def get_page_subtitle(self) -> str:
        return self.job.file_name

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(job=self.job, problems=self.job.problem_list())


class ImportProgressView(JobMixin, View):
    """The small JSON the progress bar polls."""

    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        job = self.job
        response = JsonResponse(
            {
                "status": job.status,
                "status_label": job.get_status_display(),
                "phase": job.phase,
                "finished": job.finished,
                "percent": job.percent,
                "total_rows": job.total_rows,
                "blank_rows": job.blank_rows,
                "checked_rows": job.checked_rows,
                "created_rows": job.created_rows,
                "problem_count": job.problem_count,
            }
        )
        add_never_cache_headers(response)
        return response
