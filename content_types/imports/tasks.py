"""Background imports, run by the Celery worker."""

from __future__ import annotations

from celery import shared_task

from .jobs import run_job


@shared_task(name="content_types.imports.tasks.run_import_job")
def run_import_job(job_id: int) -> str | None:
    job = run_job(job_id)
    return job.status if job else None
