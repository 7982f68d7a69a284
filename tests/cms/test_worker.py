"""Background work goes through the configured broker to a real Celery worker process.

In CI the broker is Redis (CELERY_BROKER_URL) and the database PostgreSQL;
locally it is the file-system broker and SQLite. Either way the worker is a
separate process that reads the test database the test has committed to.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from cms.models import WorkerHeartbeat
from cms.tasks import publish_scheduled_content, record_worker_heartbeat
from content_types.structure.models import CompoundPage
from tests.celery_worker import wait_for
from tests.content_types.structure.factories import CompoundPageFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


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
