"""The screen feed: a registered screen's token unlocks it for that screen's scope, and only it."""

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from api import memo
from api.models import Screen
from tests.content_types.notices.factories import NoticePageFactory
from tests.content_types.structure.factories import CompoundPageFactory

pytestmark = pytest.mark.django_db

FEED_TEXT = "query ($compound: String!) { screenFeed(compound: $compound) { notices { title } } }"


def published_notice(parent, title: str, **fields):
    """A notice published the way an approved one is, so it has its publication dates."""
    notice = NoticePageFactory(parent=parent, title=title, live=False, **fields)
    notice.save_revision().publish()
    return notice


def registered(scope, name: str = "大堂公开屏") -> str:
    """Register a screen for ``scope`` and return its token."""
    screen = Screen(name=name, scope=scope)
    token = screen.issue_token()
    screen.save()
    return token


def feed(client, token: str | None, compound: str = "jinxiu", etag: str | None = None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Screen {token}"} if token else {}
    if etag:
        headers["HTTP_IF_NONE_MATCH"] = etag
    query = {"id": "screenFeed", "variables": json.dumps({"compound": compound}), **params}
    return client.get("/graphql/", query, **headers)


def message(response) -> str:
    return response.json()["errors"][0]["message"]


def titles(response) -> list[str]:
    return [notice["title"] for notice in response.json()["data"]["screenFeed"]["notices"]]


def test_without_a_token_the_feed_is_refused_but_public_queries_answer(street_tree, client):
    refused = feed(client, None)

    assert refused.status_code == 401
    assert "读取公开屏数据需要公开屏令牌" in message(refused)
    assert "ETag" not in refused
    version = client.get(
        "/graphql/", {"id": "contentVersion", "variables": '{"compound": "jinxiu"}'}
    )
    assert version.status_code == 200
    assert version.json()["data"]["contentVersion"]


def test_a_compound_screen_reads_its_own_feed_with_etag_and_304(street_tree, client):
    published_notice(street_tree.compound_a1, "停水通知")
    token = registered(street_tree.compound_a1)

    first = feed(client, token)
    assert first.status_code == 200
    assert titles(first) == ["停水通知"]
    assert "public" in first["Cache-Control"]
    assert feed(client, token, etag=first["ETag"]).status_code == 304
    assert feed(client, None, etag=first["ETag"]).status_code == 401, "no 304 without a token"

    published_notice(street_tree.compound_a1, "停电通知")
    fresh = feed(client, token, etag=first["ETag"])
    assert fresh.status_code == 200
    assert set(titles(fresh)) == {"停水通知", "停电通知"}


def test_the_feed_refetches_when_a_notice_expires(street_tree, client):
    published_notice(
        street_tree.compound_a1, "临时停车通知", expire_at=timezone.now() + timedelta(seconds=1)
    )
    token = registered(street_tree.compound_a1)
    first = feed(client, token)
    assert titles(first) == ["临时停车通知"]

    time.sleep(1.1)

    after = feed(client, token, etag=first["ETag"])
    assert after.status_code == 200
    assert titles(after) == []


def test_a_token_is_also_accepted_as_a_parameter(street_tree, client):
    token = registered(street_tree.compound_a1)

    response = client.get(
        "/graphql/", {"id": "screenFeed", "variables": '{"compound": "jinxiu"}', "token": token}
    )

    assert response.status_code == 200
    assert response.json()["data"]["screenFeed"]["compound"]["title"] == "锦绣花园"


@pytest.mark.parametrize("named_by", ["slug", "id"])
def test_a_compound_token_cannot_read_another_compounds_feed(street_tree, client, named_by):
    token = registered(street_tree.compound_a1)
    other = street_tree.compound_a2
    refused = feed(client, token, compound=other.slug if named_by == "slug" else str(other.pk))

    assert refused.status_code == 403
    assert message(refused) == "该公开屏只能读取“锦绣花园”范围内的内容，不能读取“阳光水岸”。"


def test_a_community_token_reads_its_compounds_and_no_others(street_tree, client):
    token = registered(street_tree.community_a, "凤鸣社区大厅")

    assert feed(client, token, compound="jinxiu").status_code == 200
    assert feed(client, token, compound="yangguang").status_code == 200
    assert feed(client, token, compound="gongyu").status_code == 403


def test_a_revoked_token_cannot_read_the_feed(street_tree, client):
    token = registered(street_tree.compound_a1)
    etag = feed(client, token)["ETag"]
    Screen.objects.get().revoke()

    refused = feed(client, token, etag=etag)

    assert refused.status_code == 401
    assert message(refused) == "该公开屏令牌已被吊销，不能再读取数据。"


def test_an_unknown_compound_is_refused_not_guessed(street_tree, client):
    token = registered(street_tree.compound_a1)

    refused = feed(client, token, compound="no-such-compound")

    assert refused.status_code == 400
    assert "未找到要读取的社区或小区" in message(refused)


def test_a_posted_feed_query_is_checked_the_same_way(street_tree, client):
    token = registered(street_tree.compound_a1)

    def post(compound: str, token: str | None = None):
        headers = {"HTTP_AUTHORIZATION": f"Screen {token}"} if token else {}
        body = {"query": FEED_TEXT, "variables": {"compound": compound}}
        return client.post(
            "/graphql/", json.dumps(body), content_type="application/json", **headers
        )

    anonymous = post("jinxiu")
    assert "读取公开屏数据需要公开屏令牌" in message(anonymous)
    assert "data" not in anonymous.json() or anonymous.json()["data"] is None
    assert "不能读取“阳光水岸”" in message(post("yangguang", token))
    allowed = post("jinxiu", token)
    assert allowed.status_code == 200
    assert allowed.json()["data"]["screenFeed"]["notices"] == []
    assert "ETag" not in allowed


def test_a_feed_query_hidden_in_a_fragment_is_still_checked(street_tree, client):
    query = (
        "query ($c: String!) { ...F } "
        "fragment F on Query { ... on Query { screenFeed(compound: $c) { notices { title } } } }"
    )
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": {"c": "jinxiu"}}),
        content_type="application/json",
    )

    assert "读取公开屏数据需要公开屏令牌" in message(response)


def test_a_screens_304_costs_three_queries_however_many_notices(
    street_tree, client, django_assert_num_queries, settings
):
    """The token, the compound named, the content version; the last-seen write once a minute.

    Within the memos' time (``api.memo``) a repeat poll costs no query at all.
    """
    settings.WEIZHI_API_MEMO_SECONDS = 60
    token = registered(street_tree.compound_a1)

    def revalidate() -> None:
        etag = feed(client, token)["ETag"]
        memo.forget_all()  # as once the memos' time has passed
        with django_assert_num_queries(3):
            assert feed(client, token, etag=etag).status_code == 304
        with django_assert_num_queries(0):
            assert feed(client, token, etag=etag).status_code == 304

    revalidate()
    for number in range(30):
        published_notice(street_tree.compound_a1, f"第{number}号通知")
    revalidate()


def test_a_slug_shared_with_a_compound_beyond_the_screen_is_refused(street_tree, client):
    """Slugs are unique among siblings only: a screen must cover every compound a slug names."""
    token = registered(street_tree.compound_a1)
    assert feed(client, token, compound="jinxiu").status_code == 200

    CompoundPageFactory(parent=street_tree.community_b, title="锦绣花园二期", slug="jinxiu")

    refused = feed(client, token, compound="jinxiu")
    assert refused.status_code == 403
    assert "不能读取“锦绣花园二期”" in message(refused)
    by_id = feed(client, token, compound=str(street_tree.compound_a1.pk))
    assert by_id.status_code == 200
