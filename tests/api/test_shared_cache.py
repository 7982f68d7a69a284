"""The screens' answers and content versions live in the cache every app process shares.

After a publish the screens of that scope cost one render of the feed between them, a publish
in one scope leaves every other scope's kept version and answer alone, and a second app
process (a real gunicorn on the same database and a real Redis) sees a change at once.
"""

from __future__ import annotations

import time

import pytest
import requests
from django.core.cache import cache, caches

from api import shared_cache
from api.models import Screen
from tests.content_types.notices.factories import NoticePageFactory
from tests.web_server import gunicorn_server

from .test_screen_feed_access import feed, published_notice, registered, titles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def long_memos(settings):
    # Without CACHE_URL the cache is per process and keeps values as long as the memo does.
    settings.WEIZHI_API_MEMO_SECONDS = 60


def renders() -> int:
    return shared_cache.Answer.renders


def screens_of(scope, count: int) -> list[str]:
    return [registered(scope, name=f"公开屏{n}") for n in range(count)]


def test_after_a_publish_the_screens_of_a_scope_cost_one_render(
    street_tree, client, django_assert_num_queries
):
    tokens = screens_of(street_tree.compound_a1, 5)
    etag = feed(client, tokens[0])["ETag"]
    for token in tokens:
        assert feed(client, token, etag=etag).status_code == 304

    published_notice(street_tree.compound_a1, "停水通知")
    before = renders()
    fresh = [feed(client, tokens[0], etag=etag)]
    for token in tokens[1:]:
        with django_assert_num_queries(0):  # the token is kept, the answer is the one rendered
            fresh.append(feed(client, token, etag=etag))

    assert renders() - before == 1
    assert {response.status_code for response in fresh} == {200}
    assert {response["ETag"] for response in fresh} == {fresh[0]["ETag"]} != {etag}
    assert all(titles(response) == ["停水通知"] for response in fresh)
    assert {response.content for response in fresh} == {fresh[0].content}


def test_a_poll_answered_304_costs_no_sql(street_tree, client, django_assert_num_queries):
    published_notice(street_tree.compound_a1, "停水通知")
    tokens = screens_of(street_tree.compound_a1, 3)
    first = feed(client, tokens[0])
    for token in tokens[1:]:
        feed(client, token, etag=first["ETag"])  # each screen's first poll: its token, its visit

    for token in tokens:
        with django_assert_num_queries(0):  # the token, scope, version: all in the shared cache
            assert feed(client, token, etag=first["ETag"]).status_code == 304
    with django_assert_num_queries(0):  # a screen that lost its copy: the kept answer
        again = feed(client, tokens[1])
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_a_screen_changed_elsewhere_is_looked_up_again_once(
    street_tree, client, django_assert_num_queries
):
    token, other = screens_of(street_tree.compound_a1, 2)
    etag = feed(client, token)["ETag"]
    feed(client, other, etag=etag)

    Screen.objects.get(name="公开屏1").save()  # any screen saved: every token is read again
    for each in (token, other):
        with django_assert_num_queries(1):  # the token, once; the visit stays written
            assert feed(client, each, etag=etag).status_code == 304
        with django_assert_num_queries(0):
            assert feed(client, each, etag=etag).status_code == 304


@pytest.mark.parametrize(
    ("where", "changed", "unchanged"),
    [
        # A compound's notice: its own screens refetch, its sibling's and the others' do not.
        ("compound_a1", ["compound_a1"], ["compound_a2", "compound_b1"]),
        # A community's notice is on each of its compounds' screens, not on the other's.
        ("community_a", ["compound_a1", "compound_a2"], ["compound_b1"]),
    ],
)
def test_a_publish_in_one_scope_leaves_the_others_kept(
    street_tree, client, django_assert_num_queries, where, changed, unchanged
):
    slugs = {name: getattr(street_tree, name).slug for name in [*changed, *unchanged]}
    tokens = {name: registered(getattr(street_tree, name), name=name) for name in slugs}
    etags = {name: feed(client, tokens[name], compound=slugs[name])["ETag"] for name in slugs}
    for scope in ("community_b", "street"):
        shared_cache.version_of(getattr(street_tree, scope))

    published_notice(getattr(street_tree, where), "新通知")

    before = renders()
    for name in unchanged:
        with django_assert_num_queries(0):  # the token and the version are kept
            assert (
                feed(client, tokens[name], compound=slugs[name], etag=etags[name]).status_code
                == 304
            )
    with django_assert_num_queries(0):
        shared_cache.version_of(street_tree.community_b)
    for name in changed:
        fresh = feed(client, tokens[name], compound=slugs[name], etag=etags[name])
        assert fresh.status_code == 200
        assert titles(fresh) == ["新通知"]
    with django_assert_num_queries(1):  # the street covers every compound: worked out again
        shared_cache.version_of(street_tree.street)
    assert renders() - before == len(changed)


def test_a_change_by_a_bare_update_is_seen_once_the_shared_time_runs_out(
    street_tree, client, settings
):
    settings.WEIZHI_API_SHARED_SECONDS = 1.0
    settings.WEIZHI_API_MEMO_SECONDS = 1.0  # without CACHE_URL the cache keeps no longer
    notice = published_notice(street_tree.compound_a1, "停水通知")
    token = registered(street_tree.compound_a1)
    etag = feed(client, token)["ETag"]

    type(notice).objects.filter(pk=notice.pk).update(live=False)  # no signal
    assert feed(client, token, etag=etag).status_code == 304, "kept until the time runs out"
    time.sleep(1.1)
    assert feed(client, token, etag=etag).status_code == 200


# --------------------------------------------------------------------------- two processes


@pytest.fixture
def redis_cache(settings):
    """A Redis database of this test process's own (``WEIZHI_TEST_CACHE_URL`` in the settings)."""
    url = settings.WEIZHI_TEST_CACHE_URL
    if url is None:
        pytest.skip("a second app process shares the cache through Redis: set CELERY_BROKER_URL")
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "core.redis_cache.SharedClientRedisCache", "LOCATION": url},
    }
    settings.WEIZHI_API_MEMO_SECONDS = 1.0
    cache.clear()
    return url


@pytest.mark.django_db(transaction=True)
def test_a_second_app_process_sees_a_publish_at_once_and_keeps_other_scopes(
    street_tree, redis_cache, tmp_path
):
    a1, b1 = street_tree.compound_a1, street_tree.compound_b1
    token_a1, token_b1 = registered(a1), registered(b1, name="龙山公开屏")

    def ask(token: str, slug: str, etag: str | None = None) -> requests.Response:
        params = {"id": "screenFeed", "variables": f'{{"compound": "{slug}"}}'}
        headers = {"Authorization": f"Screen {token}"}
        if etag:
            headers["If-None-Match"] = etag
        return requests.get(f"{server.url}/graphql/", params, headers=headers, timeout=30)

    with gunicorn_server(tmp_path / "gunicorn.log", WEIZHI_TEST_CACHE_URL=redis_cache) as server:
        first_a1, first_b1 = ask(token_a1, a1.slug), ask(token_b1, b1.slug)
        assert first_a1.status_code == first_b1.status_code == 200, server.log_text()
        assert ask(token_a1, a1.slug, first_a1.headers["ETag"]).status_code == 304
        kept_b1 = cache.get(version_key(b1))
        assert kept_b1 is not None, "the server keeps its versions in the shared cache"

        published_notice(a1, "停水通知")  # in this process, the server's second one

        fresh = ask(token_a1, a1.slug, first_a1.headers["ETag"])
        assert fresh.status_code == 200, "seen at once, within no memo's time"
        assert [notice["title"] for notice in fresh.json()["data"]["screenFeed"]["notices"]] == [
            "停水通知"
        ]
        assert ask(token_b1, b1.slug, first_b1.headers["ETag"]).status_code == 304
        assert cache.get(version_key(b1)) == kept_b1, "the other scope is kept"

        NoticePageFactory(parent=a1, title="草稿", live=False)  # a draft shows nothing
        assert ask(token_a1, a1.slug, fresh.headers["ETag"]).status_code == 304


def version_key(page) -> str:
    return f"{shared_cache.PREFIX}version:default:{page.path}"


@pytest.mark.django_db(transaction=True)
def test_a_token_revoked_or_regenerated_in_another_process_is_refused_at_once(
    street_tree, redis_cache, tmp_path
):
    a1 = street_tree.compound_a1
    token = registered(a1)
    params = {"id": "screenFeed", "variables": f'{{"compound": "{a1.slug}"}}'}

    def ask(token: str, etag: str | None = None) -> requests.Response:
        headers = {"Authorization": f"Screen {token}"}
        if etag:
            headers["If-None-Match"] = etag
        return requests.get(f"{server.url}/graphql/", params, headers=headers, timeout=30)

    with gunicorn_server(tmp_path / "gunicorn.log", WEIZHI_TEST_CACHE_URL=redis_cache) as server:
        etag = ask(token).headers["ETag"]
        for _ in range(4):  # both workers hold nothing of their own: the token is kept in Redis
            assert ask(token, etag).status_code == 304, server.log_text()

        screen = Screen.objects.get()
        new = screen.issue_token()
        screen.save()  # in this process, the server's second one
        refused = ask(token, etag)
        assert refused.status_code == 401
        assert refused.json()["errors"][0]["extensions"]["code"] == "BAD_TOKEN"
        assert ask(new, etag).status_code == 304

        Screen.objects.get().revoke()
        for _ in range(4):
            revoked = ask(new, etag)
            assert revoked.status_code == 401
            assert revoked.json()["errors"][0]["extensions"]["code"] == "REVOKED_TOKEN"


def test_a_poll_answered_304_reads_the_cache_once(street_tree, client, monkeypatch):
    """The token, the scope and its version in one round trip: each process remembers which
    keys a token's poll reads after it, and reads them with the token."""
    token = registered(street_tree.compound_a1)
    etag = feed(client, token)["ETag"]
    feed(client, token, etag=etag)  # this process learns what the poll reads
    shared = caches["default"]
    reads: list[int] = []
    real = shared.get_many
    monkeypatch.setattr(shared, "get_many", lambda keys: reads.append(len(keys)) or real(keys))

    assert feed(client, token, etag=etag).status_code == 304
    assert len(reads) == 1
