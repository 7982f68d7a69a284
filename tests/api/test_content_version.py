"""A scope's content version moves with what its screens may show, and only with that."""

import io
import time
from datetime import timedelta

import pytest
import wagtail_factories
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from api.content_version import (
    FINGERPRINT,
    content_version,
    fingerprint_query,
    fingerprint_values,
)
from tests.content_types.committees.factories import OwnersCommitteeFactory
from tests.content_types.notices.factories import NoticePageFactory

from .test_notice_images import image_block, picture

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


def png(width: int, height: int, colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def replace_file(item, name: str, content: bytes) -> None:
    """Replace an image's or document's file, as Wagtail's edit view does."""
    item.file = SimpleUploadedFile(name, content)
    # What Wagtail's upload forms do to a new file: its size and hash.
    if hasattr(item, "_set_image_file_metadata"):
        item._set_image_file_metadata()  # noqa: SLF001
    else:
        item._set_document_file_metadata()  # noqa: SLF001
    item.save()


def test_a_collection_restriction_changes_the_version_and_lifting_it_changes_it_back(
    street_tree,
):
    compound = street_tree.compound_a1
    NoticePageFactory(parent=compound, title="停水通知")
    before = content_version(compound)
    collection = Collection.get_first_root_node().add_child(name="内部资料")
    assert content_version(compound) == before

    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    assert content_version(compound) != before

    restriction.delete()
    assert content_version(compound) == before


def test_replacing_a_picture_a_notice_in_reach_shows_changes_that_version_only(street_tree):
    a1, b1 = street_tree.compound_a1, street_tree.compound_b1
    shown_here = picture("停水范围图")
    shown_there = picture("别处的图")
    NoticePageFactory(parent=a1, body=[image_block(shown_here)])
    NoticePageFactory(parent=b1, body=[image_block(shown_there)])
    before = {page.pk: content_version(page) for page in (a1, b1)}

    replace_file(shown_there, "new-there.png", png(60, 40))
    assert content_version(a1) == before[a1.pk]
    assert content_version(b1) != before[b1.pk]

    replace_file(shown_here, "new-here.png", png(60, 40, "blue"))
    assert content_version(a1) != before[a1.pk]


def test_replacing_an_attachments_file_changes_the_version(street_tree):
    compound = street_tree.compound_a1
    document = wagtail_factories.DocumentFactory(title="业主名册")
    NoticePageFactory(
        parent=compound, body=[("attachment", {"document": document, "title": "名册"})]
    )
    before = content_version(compound)

    replace_file(document, "roster-2025.txt", "二〇二五年名册".encode())

    assert content_version(compound) != before
