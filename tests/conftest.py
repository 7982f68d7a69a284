"""Fixtures shared across the suite: a small street, and users holding roles in it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
import wagtail_factories
from django.conf import settings
from django.core.cache import caches
from django.test import TestCase, TransactionTestCase
from wagtail.models import Collection, Locale, Page, Site

from api import memo
from tests.celery_worker import celery_worker
from tests.content_types.roles.factories import RoleAssignmentFactory, UserFactory
from tests.content_types.structure.factories import (
    CommunityPageFactory,
    CompoundPageFactory,
    StreetPageFactory,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from content_types.roles.models import Role
    from content_types.structure.models import CommunityPage, CompoundPage, StreetPage


@dataclass
class StreetTree:
    """Two communities with two compounds each: enough to test every scope boundary."""

    street: StreetPage
    community_a: CommunityPage
    community_b: CommunityPage
    compound_a1: CompoundPage
    compound_a2: CompoundPage
    compound_b1: CompoundPage
    compound_b2: CompoundPage


def _is_transactional(item: pytest.Item) -> bool:
    """Whether the test runs outside a transaction, its database flushed after it (as
    pytest-django decides, to run such tests last)."""
    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return not issubclass(cls, TestCase)
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    ):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In a pytest-xdist process, the files with a transactional test go last.

    A flush removes the rows Wagtail's migrations create (its default workflow, groups and
    site), and query counts differ without them. A process runs each file whole, in the order
    of this list (``--no-loadscope-reorder``): so each file without a transactional test runs
    before any flush, as in the single process, where pytest-django puts them last.
    """
    if not hasattr(config, "workerinput"):
        return
    flushing = {item.path for item in items if _is_transactional(item)}
    items.sort(key=lambda item: item.path in flushing)


@pytest.fixture(autouse=True)
def empty_caches():
    """Each test starts with empty caches.

    The database is rolled back after a test, the local-memory caches are not: a rendition
    cached by one test would otherwise stand for a row the next test does not have.
    """
    yield
    for cache in caches.all(initialized_only=True):
        cache.clear()


def ensure_wagtail_root() -> Page:
    """The rows Wagtail's migrations create, recreated after a transactional test's flush."""
    Site.clear_site_root_paths_cache()
    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )


@pytest.fixture
def wagtail_root(db) -> Page:
    """The tree's root page (see ``ensure_wagtail_root``)."""
    return ensure_wagtail_root()


@pytest.fixture
def street_tree(wagtail_root: Page) -> StreetTree:
    return build_street_tree(wagtail_root)


def build_street_tree(wagtail_root: Page) -> StreetTree:
    """The ``street_tree`` fixture's pages, for a test class's ``setUpTestData``."""
    street = StreetPageFactory(parent=wagtail_root, slug="baiguan")
    community_a = CommunityPageFactory(parent=street, title="凤鸣社区", slug="fengming")
    community_b = CommunityPageFactory(parent=street, title="龙山社区", slug="longshan")
    return StreetTree(
        street=street,
        community_a=community_a,
        community_b=community_b,
        compound_a1=CompoundPageFactory(parent=community_a, title="锦绣花园", slug="jinxiu"),
        compound_a2=CompoundPageFactory(parent=community_a, title="阳光水岸", slug="yangguang"),
        compound_b1=CompoundPageFactory(parent=community_b, title="龙山公寓", slug="gongyu"),
        compound_b2=CompoundPageFactory(parent=community_b, title="翠竹苑", slug="cuizhu"),
    )


@pytest.fixture
def role_user(db):
    """Make a user holding ``role`` on ``scope``: ``role_user(Role.OWNERS_COMMITTEE, page)``."""

    def make(role: Role, scope: Page, username: str | None = None):
        user = UserFactory(**({"username": username} if username else {}))
        RoleAssignmentFactory(user=user, role=role, scope=scope)
        return user

    return make


@pytest.fixture
def public_site(street_tree: StreetTree):
    """A site for the street at the test client's host; Wagtail caches its root paths."""
    Site.clear_site_root_paths_cache()
    yield wagtail_factories.SiteFactory(
        hostname="testserver", port=80, root_page=street_tree.street, site_name="百官街道"
    )
    Site.clear_site_root_paths_cache()


@pytest.fixture(autouse=True)
def _forget_api_memos():
    """The API's per-process memos (``api.memo``) would outlive a test's rolled-back database."""
    memo.forget_all()
    yield
    memo.forget_all()


@pytest.fixture
def worker_queue() -> Iterator[str]:
    """A real Celery worker on the configured broker, consuming a queue of its own."""
    with celery_worker(settings.CELERY_BROKER_URL) as queue:
        yield queue
