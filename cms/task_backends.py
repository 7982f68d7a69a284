"""Wagtail's background work (search and reference indexes), run at once and one at a time.

django-tasks' immediate backend runs a task inside the transaction that enqueued it. A page
saved in the admin updates its search entry there, and Wagtail's PostgreSQL search backend
then rewrites the title norms of every fresh entry: two editors saving at once each hold their
own entry and wait for the other's, PostgreSQL fails one of them, and although the task's
failure is only logged, it leaves that editor's transaction aborted and the save a server
error. A transaction lock taken before each task makes the second wait until the first has
committed (on SQLite, IMMEDIATE transactions take turns already), and a task that fails all
the same is rolled back to its savepoint, so the save that enqueued it still goes through.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, transaction
from django_tasks.backends.immediate import ImmediateBackend

logger = logging.getLogger(__name__)

# Any fixed number names the advisory lock; this one spells "wztask".
TASK_LOCK = 0x777A7461736B


class SerialImmediateBackend(ImmediateBackend):
    def _execute_task(self, task_result) -> None:
        connection = transaction.get_connection()
        if connection.vendor != "postgresql":
            super()._execute_task(task_result)
            return
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TASK_LOCK])
                super()._execute_task(task_result)
        except DatabaseError:
            logger.exception("Task %s failed and was rolled back", task_result.task.name)
