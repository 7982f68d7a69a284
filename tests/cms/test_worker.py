"""Background work goes through the configured broker to a real Celery worker process.

In CI the broker is Redis (CELERY_BROKER_URL) and the database PostgreSQL;
locally it is the file-system broker and SQLite. Either way the worker is a
separate process that reads the test database the test has committed to.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from cms.models import WorkerHeartbeat
from cms.tasks import publish_scheduled_content, record_worker_heartbeat
from content_types.structure.models import CompoundPage
from tests.content_types.structure.factories import CompoundPageFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def database_url_of_test_database() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    return f"postgres://{credentials}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker_queue() -> Iterator[str]:
    """Start a worker on a queue of its own, so no other worker takes the test's tasks."""
    queue = f"weizhi-test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url_of_test_database(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
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


def test_worker_records_a_heartbeat_sent_through_the_broker(worker_queue: str) -> None:
    record_worker_heartbeat.apply_async(queue=worker_queue)

    assert wait_for(
        lambda: WorkerHeartbeat.objects.filter(worker__startswith=worker_queue).exists()
    )
    assert WorkerHeartbeat.objects.get(worker__startswith=worker_queue).beats == 1


def test_worker_publishes_a_compound_whose_scheduled_time_has_come(
    worker_queue: str, street_tree
) -> None:
    compound = CompoundPageFactory(parent=street_tree.community_a, title="滨江新村", live=False)
    compound.go_live_at = timezone.now() + timedelta(seconds=1)
    compound.save_revision().publish()  # a go-live time in the future schedules it
    assert not CompoundPage.objects.get(pk=compound.pk).live
    time.sleep(1.2)

    publish_scheduled_content.apply_async(queue=worker_queue)

    assert wait_for(lambda: CompoundPage.objects.get(pk=compound.pk).live)
