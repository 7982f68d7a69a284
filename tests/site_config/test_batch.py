"""Pages added in a batch are the pages Wagtail's add_child, save_revision and publish leave."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.signals import page_published

from content_types.structure.models import CommunityPage, CompoundPage, StreetPage
from site_config.batch import add_published_pages
from site_config.search_index import indexing_deferred

if TYPE_CHECKING:
    from collections.abc import Callable

pytestmark = pytest.mark.django_db

# What differs between two pages made the same way at different moments or places.
VARYING = {
    "id",
    "page_ptr",
    "pk",
    "path",
    "url_path",
    "slug",
    "translation_key",
    "latest_revision",
    "live_revision",
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
}


def street(slug: str) -> StreetPage:
    return StreetPage(title="百官街道", slug=slug, region="绍兴市上虞区")


def community(n: int) -> CommunityPage:
    return CommunityPage(title=f"第{n}社区", slug=f"c{n}", address=f"第{n}路")


def compound(n: int) -> CompoundPage:
    return CompoundPage(
        title=f"第{n}小区",
        slug=f"k{n}",
        address=f"第{n}号",
        household_count=300 + n,
        total_exclusive_area=Decimal("27500.50"),
    )


def by_wagtail(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision(clean=False).publish()
    return page


def by_batch(parent: Page, page: Page) -> Page:
    add_published_pages([(parent, page)])
    return page


def build(root: Page, slug: str, add: Callable[[Page, Page], Page]) -> list[Page]:
    """A street with two communities of two compounds, the levels added one after the other."""
    top = add(root, street(slug))
    communities = [add(top, community(n)) for n in (1, 2)]
    compounds = [add(parent, compound(n)) for parent in communities for n in (1, 2)]
    return [top, *communities, *compounds]


def build_in_batches(root: Page, slug: str) -> list[Page]:
    top = street(slug)
    add_published_pages([(root, top)])
    communities = [community(n) for n in (1, 2)]
    add_published_pages([(top, page) for page in communities])
    compounds = [(parent, compound(n)) for parent in communities for n in (1, 2)]
    add_published_pages(compounds)
    return [top, *communities, *(page for _, page in compounds)]


def row(page: Page) -> dict[str, Any]:
    fresh = Page.objects.get(pk=page.pk).specific
    values = {
        field.attname: getattr(fresh, field.attname)
        for field in type(fresh)._meta.concrete_fields
        if field.name not in VARYING
    }
    values["path_below_street"] = fresh.path[Page.steplen * 2 :]
    return values


def revision_content(page: Page) -> dict[str, Any]:
    revision = Revision.objects.get(object_id=str(page.pk))
    assert revision.content["pk"] == page.pk
    return {key: value for key, value in revision.content.items() if key not in VARYING}


def log(page: Page) -> list[tuple[str, str, bool, bool]]:
    return [
        (entry.action, entry.label, entry.content_changed, entry.revision_id is not None)
        for entry in PageLogEntry.objects.filter(page_id=page.pk).order_by("pk")
    ]


def test_a_batch_leaves_the_rows_wagtails_own_path_leaves(wagtail_root) -> None:
    ours = build_in_batches(wagtail_root, "ours")
    wagtails = build(wagtail_root, "wagtails", by_wagtail)

    for mine, theirs in zip(ours, wagtails, strict=True):
        assert row(mine) == row(theirs)
        assert revision_content(mine) == revision_content(theirs)
        assert log(mine) == log(theirs)
        fresh = Page.objects.get(pk=mine.pk)
        assert fresh.latest_revision_id == fresh.live_revision_id
        assert fresh.latest_revision.as_object().title == mine.title
        assert fresh.first_published_at == fresh.last_published_at is not None
    assert Page.find_problems() == ([], [], [], [], [])
    ours_street = Page.objects.get(pk=ours[0].pk)
    assert ours_street.url_path == "/ours/"
    assert Page.objects.get(pk=ours[-1].pk).url_path == "/ours/c2/k2/"


def test_pages_go_after_the_existing_children_and_each_is_announced(wagtail_root) -> None:
    top = by_wagtail(wagtail_root, street("baiguan"))
    first = by_wagtail(top, community(1))
    announced: list[int] = []

    def receiver(instance: Page, **kwargs: Any) -> None:
        announced.append(instance.pk)

    page_published.connect(receiver, dispatch_uid="test_batch")
    try:
        added = [community(2), community(3)]
        add_published_pages([(top, page) for page in added])
    finally:
        page_published.disconnect(dispatch_uid="test_batch")

    children = list(top.get_children().order_by("path"))
    assert [child.pk for child in children] == [first.pk, *(page.pk for page in added)]
    assert Page.objects.get(pk=top.pk).numchild == 3
    assert announced == [page.pk for page in added]
    by_wagtail(top, community(4))  # Wagtail's own path carries on from the batch
    assert Page.find_problems() == ([], [], [], [], [])


def test_a_slug_in_use_under_the_parent_is_refused_and_nothing_is_written(wagtail_root) -> None:
    top = by_wagtail(wagtail_root, street("baiguan"))
    by_wagtail(top, community(1))
    before = Page.objects.count(), Revision.objects.count()

    with pytest.raises(ValidationError) as refused:
        add_published_pages([(top, community(2)), (top, community(1))])

    assert "c1" in str(refused.value)
    assert (Page.objects.count(), Revision.objects.count()) == before


def test_a_value_too_long_for_its_field_is_refused(wagtail_root) -> None:
    top = by_wagtail(wagtail_root, street("baiguan"))
    page = community(1)
    page.office_phone = "0" * 51

    with pytest.raises(ValidationError):
        add_published_pages([(top, page)])
    assert not CommunityPage.objects.exists()


def test_the_queries_do_not_grow_with_the_pages(wagtail_root, django_assert_num_queries) -> None:
    top = by_wagtail(wagtail_root, street("baiguan"))
    parents = [by_wagtail(top, community(n)) for n in range(6)]

    # Search and reference indexing, once per page, are apply's to batch (``search_index``).
    with indexing_deferred(), CaptureQueriesContext(connection) as one_each:
        add_published_pages([(parent, compound(0)) for parent in parents[:3]])
    with indexing_deferred(), django_assert_num_queries(len(one_each)):
        add_published_pages([(parent, compound(n)) for parent in parents[3:] for n in range(10)])
    assert CompoundPage.objects.live().count() == 33
