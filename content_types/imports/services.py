"""Starting an import and running it: at once for a small file, in the worker for a large one."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from content_types.structure.models import CompoundPage

from .importers import (
    FileProblem,
    HandOff,
    Outcome,
    Problem,
    User,
    check_archive,
    unpack_archive_bounded,
)
from .models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)

# Files with more rows than this are imported by the Celery worker, with a progress bar.
DEFAULT_INLINE_ROWS = 1000


def inline_row_limit() -> int:
    return int(getattr(settings, "WEIZHI_IMPORT_INLINE_ROWS", DEFAULT_INLINE_ROWS))


def start_import(
    kind: str, compound: CompoundPage, user: User, file_name: str, data: bytes
) -> ImportJob:
    """Record the upload and import it at once when it is small; the worker takes the rest.

    The request does only cheap work: the archive check and, for a file that unpacks to little,
    a single read that stops as soon as the file proves to have more rows than are imported at
    once (``WEIZHI_IMPORT_INLINE_ROWS``). Raises ``FileProblem`` for a file refused before any
    job is kept.
    """
    small = check_archive(data) <= settings.WEIZHI_IMPORT_INLINE_BYTES
    if small:
        unpack_archive_bounded(data)
    job = ImportJob.objects.create(
        kind=kind,
        compound=compound,
        created_by_id=user.pk if user.is_authenticated else None,
        file_name=file_name[:255],
        data=data,
    )
    if small and run_job(job.pk, read_at_most=inline_row_limit()):
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> None:
    """Send the job to the worker; if the broker refuses, fail the job rather than leave it."""
    from .tasks import run_import_job

    queue = getattr(settings, "WEIZHI_IMPORT_QUEUE", None)
    try:
        run_import_job.apply_async(
            args=[job_id], retry=False, **({"queue": queue} if queue else {})
        )
    except Exception:
        logger.exception("Could not queue import job %s", job_id)
        finish(
            ImportJob.objects.get(pk=job_id),
            Outcome(problems=[Problem("后台任务服务暂时不可用，本次未导入任何数据，请稍后重试。")]),
        )


def run_job(job_id: int, read_at_most: int | None = None) -> ImportJob | None:
    """Run a pending job once; a job another worker has claimed or finished is left alone.

    With ``read_at_most`` (the request, importing a small file at once), a file that proves to
    have more rows is put back, pending, for the worker, and None is returned.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, checked_rows=0
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("compound", "created_by").get(pk=job_id)

    def progress(checked: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(checked_rows=checked, total_rows=total)

    try:
        outcome = job.importer.run(
            job.compound, bytes(job.data), progress, job.created_by, read_at_most
        )
    except HandOff:
        ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.PENDING)
        return None
    except FileProblem as problem:
        outcome = Outcome(problems=[Problem(str(problem))])
    except Exception:
        logger.exception("Import job %s failed", job_id)
        outcome = Outcome(
            problems=[Problem("导入时发生内部错误，本次未导入任何数据，请联系管理员。")]
        )
    finish(job, outcome)
    return job


def finish(job: ImportJob, outcome: Outcome) -> None:
    """Record the outcome and drop the uploaded file, which holds personal data."""
    problem_count = max(outcome.problem_count, len(outcome.problems))
    job.status = ImportStatus.FAILED if problem_count else ImportStatus.SUCCEEDED
    job.total_rows = outcome.total_rows
    job.blank_rows = outcome.blank_rows
    job.checked_rows = job.total_rows
    job.created_rows = outcome.created
    job.problem_count = problem_count
    job.problems = [problem.as_dict() for problem in outcome.problems]
    job.finished_at = timezone.now()
    job.data = b""
    job.save()
