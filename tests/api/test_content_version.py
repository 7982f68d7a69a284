"""A scope's content version moves with what its screens may show, and only with that."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from wagtail.models import PageViewRestriction

from api.content_version import (
    FINGERPRINT,
    content_version,
    fingerprint_query,
    fingerprint_values,
)
from tests.content_types.committees.factories import OwnersCommitteeFactory
from tests.content_types.notices.factories import NoticePageFactory

pytestmark = pytest.mark.django_db


def test_publishing_a_notice_changes_its_compound_and_community_but_not_others(street_tree):
    a1, b1 = street_tree.compound_a1, street_tree.compound_b1
    before = {page.pk: content_version(page) for page in (a1, b1, street_tree.community_a)}

    NoticePageFactory(parent=a1, title="停水通知")

    assert content_version(a1) != before[a1.pk]
    assert content_version(street_tree.community_a) != before[street_tree.community_a.pk]
    assert content_version(b1) == before[b1.pk]


def test_the_same_state_gives_the_same_version(street_tree):
    NoticePageFactory(parent=street_tree.compound_a1)

    assert content_version(street_tree.compound_a1) == content_version(street_tree.compound_a1)


def test_a_community_notice_changes_the_version_of_its_compounds(street_tree):
    before = content_version(street_tree.compound_a1)

    NoticePageFactory(parent=street_tree.community_a, title="社区公告")

    assert content_version(street_tree.compound_a1) != before


def test_republishing_unpublishing_and_drafts(street_tree):
    a1 = street_tree.compound_a1
    notice = NoticePageFactory(parent=a1)
    published = content_version(a1)

    notice.title = "停水通知（改期）"
    notice.save_revision()
    assert content_version(a1) == published, "a draft is not what screens show"

    notice.get_latest_revision().publish()
    republished = content_version(a1)
    assert republished != published

    notice.refresh_from_db()
    notice.unpublish()
    assert content_version(a1) not in {published, republished}


def test_an_expiry_passing_changes_the_version_before_and_without_the_job(street_tree):
    a1 = street_tree.compound_a1
    notice = NoticePageFactory(parent=a1, expire_at=timezone.now() + timedelta(hours=1))
    while_valid = content_version(a1)

    type(notice).objects.filter(pk=notice.pk).update(expire_at=timezone.now() - timedelta(1))
    expired = content_version(a1)
    assert expired != while_valid

    call_command("publish_scheduled")
    notice.refresh_from_db()
    assert not notice.live
    assert content_version(a1) == expired, "nothing visible changed when the job caught up"


def test_a_scheduled_notice_going_live_changes_the_version(street_tree):
    a1 = street_tree.compound_a1
    notice = NoticePageFactory(parent=a1, live=False)
    notice.go_live_at = timezone.now() + timedelta(seconds=1)
    notice.save_revision().publish()
    notice.refresh_from_db()
    assert not notice.live
    scheduled = content_version(a1)

    time.sleep(1.1)
    assert content_version(a1) == scheduled, "it is the job that makes it live"
    call_command("publish_scheduled")

    notice.refresh_from_db()
    assert notice.live
    assert content_version(a1) != scheduled


def test_a_view_restriction_changes_the_version(street_tree):
    a1 = street_tree.compound_a1
    notice = NoticePageFactory(parent=a1)
    before = content_version(a1)

    PageViewRestriction.objects.create(page=notice, restriction_type=PageViewRestriction.LOGIN)

    assert content_version(a1) != before


def test_a_committee_being_unpublished_changes_the_version(street_tree):
    a1 = street_tree.compound_a1
    committee = OwnersCommitteeFactory(compound=a1, last_published_at=timezone.now())
    before = content_version(a1)

    committee.unpublish()

    assert content_version(a1) != before


@pytest.mark.parametrize("notices", [2, 30])
def test_one_query_whatever_the_size(street_tree, django_assert_num_queries, notices):
    for _ in range(notices):
        NoticePageFactory(parent=street_tree.compound_a1)
    content_version(street_tree.compound_a1)  # the content type cache is warm

    with django_assert_num_queries(1):
        content_version(street_tree.compound_a1)


def test_the_statement_compiled_once_is_the_one_built_for_each_scope(street_tree):
    """The compiled-once statement, markers swapped, is exactly what the ORM builds each time."""
    now = timezone.now()
    for scope in (street_tree.compound_b2, street_tree.community_a, street_tree.street, None):
        shape, values = fingerprint_values(scope, now)
        built = fingerprint_query(shape, **values).query
        sql, params = built.get_compiler(connection=connection).as_sql()

        assert FINGERPRINT.sql_with_params(shape, **values) == (sql, list(params))
