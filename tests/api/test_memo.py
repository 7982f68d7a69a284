"""The screens' polls are answered from short memos and the shared cache, and see every change.

``WEIZHI_API_MEMO_SECONDS`` is set to a minute here, so that each test shows a change being
seen because it was made, not because the memo ran out.
"""

import json
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from api import shared_cache
from api.models import Screen, hash_token
from content_types.notices.models import NoticePage

from .test_screen_feed_access import feed, message, published_notice, registered, titles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def long_memos(settings):
    settings.WEIZHI_API_MEMO_SECONDS = 60


def test_a_304_turns_into_200_right_after_a_notice_in_scope_is_published(street_tree, client):
    token = registered(street_tree.compound_a1)
    etag = feed(client, token)["ETag"]
    assert feed(client, token, etag=etag).status_code == 304  # answered from the memos

    published_notice(street_tree.compound_a1, "停水通知")

    fresh = feed(client, token, etag=etag)
    assert fresh.status_code == 200
    assert titles(fresh) == ["停水通知"]


def test_unpublishing_a_notice_in_scope_turns_the_304_into_200(street_tree, client):
    notice = published_notice(street_tree.compound_a1, "停水通知")
    token = registered(street_tree.compound_a1)
    etag = feed(client, token)["ETag"]
    assert feed(client, token, etag=etag).status_code == 304

    NoticePage.objects.get(pk=notice.pk).unpublish()

    fresh = feed(client, token, etag=etag)
    assert fresh.status_code == 200
    assert titles(fresh) == []


def test_a_token_revoked_while_remembered_is_refused_at_once(street_tree, client):
    token = registered(street_tree.compound_a1)
    etag = feed(client, token)["ETag"]
    assert feed(client, token, etag=etag).status_code == 304

    Screen.objects.get().revoke()

    refused = feed(client, token, etag=etag)
    assert refused.status_code == 401
    assert message(refused) == "该公开屏令牌已被吊销，不能再读取数据。"


def test_a_regenerated_token_replaces_the_remembered_one(street_tree, client):
    old = registered(street_tree.compound_a1)
    assert feed(client, old).status_code == 200
    screen = Screen.objects.get()
    new = screen.issue_token()
    screen.save()

    assert feed(client, old).status_code == 401
    assert feed(client, new).status_code == 200


def test_a_remembered_version_ends_when_a_notice_expires(street_tree, client):
    """No job runs and nothing is saved: the expiry itself must end the 304s, memo or not."""
    expiry = timezone.now() + timedelta(seconds=3)
    published_notice(street_tree.compound_a1, "限时通知", expire_at=expiry)
    token = registered(street_tree.compound_a1)
    first = feed(client, token)
    assert titles(first) == ["限时通知"]
    assert feed(client, token, etag=first["ETag"]).status_code == 304

    time.sleep(max(0.0, (expiry - timezone.now()).total_seconds()) + 0.2)

    after = feed(client, token, etag=first["ETag"])
    assert after.status_code == 200
    assert titles(after) == []


def test_a_change_no_signal_tells_of_is_seen_once_the_memo_runs_out(street_tree, client, settings):
    """A change no signal tells of (here a bare UPDATE) is seen within the shared cache's time
    (without CACHE_URL, the memo's)."""
    settings.WEIZHI_API_MEMO_SECONDS = settings.WEIZHI_API_SHARED_SECONDS = 0.5
    notice = published_notice(street_tree.compound_a1, "停水通知")
    token = registered(street_tree.compound_a1)
    etag = feed(client, token)["ETag"]

    NoticePage.objects.filter(pk=notice.pk).update(live=False)
    time.sleep(0.6)

    assert feed(client, token, etag=etag).status_code == 200


def test_memos_off_reads_the_database_every_time(
    street_tree, client, settings, django_assert_num_queries
):
    settings.WEIZHI_API_MEMO_SECONDS = settings.WEIZHI_API_SHARED_SECONDS = 0
    token = registered(street_tree.compound_a1)
    etag = feed(client, token)["ETag"]

    for _ in range(2):
        with django_assert_num_queries(3):
            assert feed(client, token, etag=etag).status_code == 304


def test_polls_from_a_remembered_screen_still_record_when_it_last_asked(
    street_tree, client, monkeypatch
):
    monkeypatch.setattr("api.models.LAST_SEEN_RESOLUTION", timedelta(0))
    token = registered(street_tree.compound_a1)
    feed(client, token)
    first = Screen.objects.get().last_seen_at
    assert first is not None

    time.sleep(0.01)
    feed(client, token)  # the screen is remembered: no lookup, but the visit is written

    assert Screen.objects.get().last_seen_at > first


def test_unknown_tokens_are_not_remembered(street_tree, client):
    tokens = [f"wzs_unknown{n}" for n in range(20)]
    for token in tokens:
        headers = {"HTTP_AUTHORIZATION": f"Screen {token}"}
        params = {"id": "screenFeed", "variables": json.dumps({"compound": "jinxiu"})}
        assert client.get("/graphql/", params, **headers).status_code == 401
    kept = cache.get_many(
        [f"{shared_cache.PREFIX}token:default:{hash_token(token)}" for token in tokens]
    )
    assert kept == {}
