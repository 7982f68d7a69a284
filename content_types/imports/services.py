"""Starting an import and running it: at once for a small file, in the worker for a large one."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from .importers import Outcome, Problem, User
from .jobs import finish, run_job
from .models import ImportJob
from .tasks import run_import_job
from .workbook import check_archive, unpack_archive_bounded

if TYPE_CHECKING:
    from content_types.structure.models import CompoundPage

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
