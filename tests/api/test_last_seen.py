"""A screen's poll notes its visit in Redis; the worker writes the visits in bulk each minute.

So 10,000 polling screens cost the database one transaction a minute instead of about 170
writes a second, and the screens' listing still says when each last asked.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.models import Screen
from api.shared_cache import flush_seen
from api.tasks import flush_screens_last_seen
from content_types.roles.models import Role
from tests.celery_worker import celery_worker, wait_for

from .test_screen_feed_access import feed, registered
from .test_shared_cache import redis_cache  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def updates(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE")]


@pytest.mark.usefixtures("redis_cache")
def test_polls_write_nothing_and_one_flush_writes_every_screen_seen(street_tree, client, role_user):
    tokens = [registered(street_tree.compound_a1, name=f"公开屏{n}") for n in range(6)]
    flush_seen()  # nothing left over from elsewhere

    with CaptureQueriesContext(connection) as polls:
        etags = [feed(client, token)["ETag"] for token in tokens]
        for _ in range(3):
            for token, etag in zip(tokens, etags, strict=True):
                assert feed(client, token, etag=etag).status_code == 304
    assert updates(polls) == [], "a poll writes no visit itself"
    assert not Screen.objects.filter(last_seen_at__isnull=False).exists()

    with CaptureQueriesContext(connection) as flush:
        assert flush_seen() == 6
    assert len(updates(flush)) == 1, "six screens polled four times each: one write"
    assert Screen.objects.filter(last_seen_at__isnull=False).count() == 6
    assert flush_seen() == 0, "each visit is written once"

    client.force_login(role_user(Role.COMMISSIONER, street_tree.compound_a1))
    assert "从未访问" not in client.get(reverse("screens:index")).content.decode()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("redis_cache")
def test_the_worker_writes_the_visits_noted_by_an_app_process(street_tree, client):
    token = registered(street_tree.compound_a1)
    flush_seen()
    assert feed(client, token).status_code == 200
    assert Screen.objects.get().last_seen_at is None

    with celery_worker(
        settings.CELERY_BROKER_URL, WEIZHI_TEST_CACHE_URL=settings.WEIZHI_TEST_CACHE_URL
    ) as queue:
        flush_screens_last_seen.apply_async(queue=queue)
        assert wait_for(lambda: Screen.objects.get().last_seen_at is not None)
