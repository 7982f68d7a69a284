"""Running one import job, by the request or by the worker, and recording how it ended."""

from __future__ import annotations

import logging

from django.utils import timezone

from .importers import Outcome, Problem
from .models import ImportJob, ImportStatus
from .workbook import FileProblem, HandOff

logger = logging.getLogger(__name__)


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
