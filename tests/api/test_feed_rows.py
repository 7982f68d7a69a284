"""The feed's notices read as plain rows when only plain fields are asked: the same answer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.content_types.notices.factories import NoticePageFactory

from .factories import post_graphql, screen_token
from .test_notice_images import image_block, picture

pytestmark = pytest.mark.django_db

PLAIN = "id title slug summary category categoryLabel pinned publishedAt expiresAt __typename"
QUERY = "query ($compound: String!) { screenFeed(compound: $compound) { notices { %s } } }"
LINK = '<p>详见<a linktype="page" id="{id}">小区首页</a>。</p>'


@pytest.fixture
def notices(street_tree):
    compound = street_tree.compound_a1
    now = timezone.now()
    NoticePageFactory(
        parent=compound,
        title="停水通知",
        summary="周三停水",
        category="event",
        pinned=True,
        first_published_at=now - timedelta(days=2),
        expire_at=now + timedelta(days=3),
        body=[("paragraph", LINK.format(id=compound.pk))],
    )
    NoticePageFactory(
        parent=compound,
        title="业主大会公告",
        first_published_at=now - timedelta(days=1),
        body=[("paragraph", "<p>正文</p>")],
    )
    NoticePageFactory(parent=street_tree.community_a, title="社区通知", first_published_at=now)
    return screen_token(compound)


def feed_notices(client, token, fields: str, query: str = QUERY) -> list[dict]:
    response = post_graphql(client, query % fields, token=token, compound="jinxiu")
    assert "errors" not in response.json(), response.json()
    return response.json()["data"]["screenFeed"]["notices"]


def test_plain_fields_answer_as_the_full_notices_do(street_tree, client, notices):
    plain = feed_notices(client, notices, PLAIN)
    full = feed_notices(client, notices, PLAIN + " bodyHtml url")

    assert [notice["title"] for notice in plain] == ["停水通知", "社区通知", "业主大会公告"]
    assert plain == [
        {key: value for key, value in notice.items() if key not in {"bodyHtml", "url"}}
        for notice in full
    ]
    assert plain[0]["categoryLabel"] and plain[0]["category"] == "EVENT"
    assert plain[0]["expiresAt"] and plain[0]["pinned"] is True
    assert plain[0]["__typename"] == "Notice"


def test_asking_for_the_body_still_gets_it(street_tree, client, notices):
    [first, *_] = feed_notices(client, notices, "title bodyHtml")

    assert first["title"] == "停水通知"
    assert "href=" in first["bodyHtml"] and "linktype" not in first["bodyHtml"]


def test_a_body_asked_through_a_fragment_still_gets_it(street_tree, client, notices):
    query = (
        "query ($compound: String!) { screenFeed(compound: $compound) { notices { ...N } } } "
        "fragment N on Notice { title ... on Notice { bodyHtml } }"
    )
    response = post_graphql(client, query, token=notices, compound="jinxiu")

    [first, *_] = response.json()["data"]["screenFeed"]["notices"]
    assert "href=" in first["bodyHtml"]


def test_pictures_are_read_with_the_rows_as_from_the_pages(
    street_tree, client, notices, django_assert_max_num_queries
):
    """A screen's own query asks for pictures: rows answer them as pages do, all in bulk."""
    photo = picture()
    NoticePageFactory(
        parent=street_tree.compound_a1,
        title="停水范围",
        first_published_at=timezone.now(),
        body=[image_block(photo, caption="范围图", alt_text="停水范围示意")],
    )
    pictures = "images { url width height alt caption }"

    plain = feed_notices(client, notices, f"{PLAIN} {pictures}")
    full = feed_notices(client, notices, f"{PLAIN} {pictures} bodyHtml")

    assert plain == [{k: v for k, v in notice.items() if k != "bodyHtml"} for notice in full]
    [shown] = [notice["images"] for notice in plain if notice["title"] == "停水范围"]
    assert [(each["alt"], each["caption"]) for each in shown] == [("停水范围示意", "范围图")]
    with django_assert_max_num_queries(12):  # pictures of all notices at once, not one by one
        feed_notices(client, notices, f"{PLAIN} {pictures}")


def test_a_community_screen_feed_asked_for_more_than_rows_give_still_answers(street_tree, client):
    NoticePageFactory(
        parent=street_tree.community_a,
        title="社区通知",
        body=[("paragraph", "<p>社区正文</p>")],
    )
    query = (
        "query ($community: String!) { communityScreenFeed(community: $community) "
        "{ notices { title bodyHtml url } } }"
    )
    response = post_graphql(
        client, query, token=screen_token(street_tree.community_a), community="fengming"
    )

    assert "errors" not in response.json(), response.json()
    [notice] = response.json()["data"]["communityScreenFeed"]["notices"]
    assert notice["title"] == "社区通知" and "社区正文" in notice["bodyHtml"]
