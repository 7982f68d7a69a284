"""A real Celery worker process for tests, reading the test database.

Each worker consumes a queue of its own, so tasks a test sends go to that
worker and to no other (a developer's ``make run`` worker, say).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.db import connection

from cms.celery import app as celery_app

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import pytest

ROOT = Path(__file__).resolve().parents[1]


def database_url_of_test_database() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{credentials}{host}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def celery_worker(broker_url: str, **extra_env: str) -> Iterator[str]:
    """Run a worker on ``broker_url`` for the duration; yields the queue it consumes."""
    queue = f"weizhi-test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url_of_test_database(),
        "CELERY_BROKER_URL": broker_url,
        **extra_env,
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "cms", "worker",
            "-Q", queue, "-n", f"{queue}@%h", "--pool=solo",
            "--without-gossip", "--without-mingle", "--loglevel=INFO",
        ],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        yield queue
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        if os.environ.get("WEIZHI_SHOW_WORKER_LOG"):
            print(output)


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


@contextmanager
def celery_broker(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Send this process's tasks to ``url`` for the duration, then back to the broker it had.

    The broker in use is read before the variable Celery prefers is set: read after, the one
    restored would be ``url`` itself.
    """
    original = (celery_app.conf.broker_url, celery_app.conf.broker_transport_options)
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    celery_app.conf.broker_url, celery_app.conf.broker_transport_options = url, {}
    # Celery's own reset of its pooled connections, as after a fork.
    celery_app._after_fork()  # noqa: SLF001
    try:
        yield
    finally:
        celery_app.conf.broker_url, celery_app.conf.broker_transport_options = original
        celery_app._after_fork()  # noqa: SLF001
