"""Every list is read in a fixed number of SQL queries, whatever its length."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page

from api import memo
from api.models import Screen
from content_types.notices.models import NoticePage
from tests.content_types.disclosures.factories import (
    FeeCollectionPageFactory,
    FinanceStatementPageFactory,
)
from tests.content_types.expenditures.factories import ExpenditureProposalPageFactory
from tests.content_types.notices.factories import NoticePageFactory

from .factories import post_graphql, screen_token
from .test_screen_feed import FEED, vote_result

pytestmark = pytest.mark.django_db

# The whole screen feed request: the token and the screen's last-seen mark, the scope checks,
# the restrictions, the compound and its ancestors, the notices, the statement and its lines,
# the fee figures, the proposals and their steps, the vote results and the content version.
FEED_QUERIES = 16
# Within a second of the screen's last request (``api.memo``), its token and the scope it
# names are remembered: those two queries are not made again.
FEED_QUERIES_REMEMBERED = FEED_QUERIES - 2

LINK = '<p>详见<a linktype="page" id="{id}">小区首页</a>。</p>'


def add_notices(compound, count: int, start: int = 0) -> None:
    now = timezone.now()
    for n in range(start, start + count):
        NoticePageFactory(
            parent=compound,
            title=f"通知{n}",
            slug=f"bulk-{n}",
            pinned=n % 7 == 0,
            first_published_at=now - timedelta(minutes=n),
            body=[("paragraph", LINK.format(id=compound.pk))],
        )


def asked_just_now() -> None:
    """The screen asked within the minute: no last-seen write, however slow the setup was."""
    Screen.objects.update(last_seen_at=timezone.now())


def seed(compound) -> None:
    FinanceStatementPageFactory(parent=compound)
    FeeCollectionPageFactory(parent=compound)
    ExpenditureProposalPageFactory(parent=compound)
    ExpenditureProposalPageFactory(parent=compound)
    vote_result(compound, title="一")
    vote_result(compound, title="二")


def test_the_screen_feed_costs_the_same_queries_for_5_and_500_notices(
    street_tree, public_site, client, django_assert_num_queries, settings
):
    settings.WEIZHI_API_MEMO_SECONDS = 60  # however slow the machine, "again" is remembered
    compound = street_tree.compound_a1
    seed(compound)
    token = screen_token(compound)
    add_notices(compound, 5)
    post_graphql(client, FEED, token=token, compound="jinxiu")  # warm the content type cache

    memo.forget_all()  # as when the screen last asked more than a second ago
    asked_just_now()
    with django_assert_num_queries(FEED_QUERIES):
        small = post_graphql(
            client,
            FEED.replace("$compound)", "$compound, notices: 100)"),
            token=token,
            compound="jinxiu",
        )
    assert len(small.json()["data"]["screenFeed"]["notices"]) == 5

    add_notices(compound, 495, start=5)
    assert NoticePage.objects.child_of(compound).count() == 500

    memo.forget_all()
    asked_just_now()
    with django_assert_num_queries(FEED_QUERIES):
        large = post_graphql(
            client,
            FEED.replace("$compound)", "$compound, notices: 100)"),
            token=token,
            compound="jinxiu",
        )
    with django_assert_num_queries(FEED_QUERIES_REMEMBERED):
        again = post_graphql(
            client,
            FEED.replace("$compound)", "$compound, notices: 100)"),
            token=token,
            compound="jinxiu",
        )
    assert again.json() == large.json()
    notices = large.json()["data"]["screenFeed"]["notices"]
    assert len(notices) == 100
    assert all("linktype" not in notice["bodyHtml"] for notice in notices)
    assert all(f'href="{compound.url}"' in notice["bodyHtml"] for notice in notices)
    assert len(Page.objects.all()) > 500
