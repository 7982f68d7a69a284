"""Every list is read in a fixed number of SQL queries, whatever its length."""

from datetime import timedelta
from functools import partial

import factory
import pytest
import wagtail_factories
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, Page

from api import memo
from api.models import Screen
from content_types.notices.images import prepare_renditions
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
# the hidden subtrees, the compound and its ancestors, the notices, the collection restrictions,
# the notices' images and their renditions, the statement and its lines, the fee figures, the
# proposals with their steps, the vote results and the content version.
FEED_QUERIES = 18
# Asked again with nothing changed, the screen its token names, the scope the query names and
# the scope's content version are kept in the shared cache: those three queries are not made.
FEED_QUERIES_REMEMBERED = FEED_QUERIES - 3

SMALL_PICTURE = partial(
    wagtail_factories.ImageFactory, file=factory.django.ImageField(width=32, height=18)
)
LINK = '<p>详见<a linktype="page" id="{id}">小区首页</a>。</p>'


def add_notices(compound, count: int, start: int = 0) -> None:
    """Notices with a link, a picture of their own and one from a restricted collection each.

    Their screen renditions are made as publishing them would.
    """
    now = timezone.now()
    private = Collection.objects.filter(name="内部资料").first()
    if private is None:
        private = Collection.get_first_root_node().add_child(name="内部资料")
        CollectionViewRestriction.objects.create(
            collection=private, restriction_type=CollectionViewRestriction.LOGIN
        )
    hidden = wagtail_factories.ImageFactory(title="内部照片", collection=private)
    bodies = []
    for n in range(start, start + count):
        notice = NoticePageFactory(
            parent=compound,
            title=f"通知{n}",
            slug=f"bulk-{n}",
            pinned=n % 7 == 0,
            first_published_at=now - timedelta(minutes=n),
            body=[
                ("paragraph", LINK.format(id=compound.pk)),
                ("image", {"image": SMALL_PICTURE(title=f"照片{n}"), "caption": f"图{n}"}),
                ("image", {"image": hidden, "caption": ""}),
            ],
        )
        bodies.append(notice.body.raw_data)
    prepare_renditions(bodies)


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
    assert all(
        [(image["alt"], image["width"]) for image in notice["images"]]
        == [(f"照片{notice['title'].removeprefix('通知')}", 32)]
        for notice in notices
    )
    assert len(Page.objects.all()) > 500
