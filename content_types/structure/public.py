"""What the public may see of the page tree, decided in one place.

A page is public when it and every ancestor are live and unexpired and none of them has a view
restriction. Wagtail checks less than that: ``live()`` looks at the page alone, its routing
walks through unpublished pages, and the admin's unpublish keeps the children live by default,
so a live notice under an unpublished compound would still be listed, served and counted.

A hidden subtree is named by its root: a restricted page, or an unpublished or expired page
with children (a leaf's own ``live`` already says it). Those roots are few — streets,
communities, compounds, proposals with reports — so they are read in one query and excluded by
path. The API (``api.visibility``), the page views (``wagtail_hooks``), the screens and the
votes (``workflows.voting.selectors``) all ask here.

A document or image is public when no collection it lies in (its own or a parent) has a view
restriction (``in_public_collections``); the API and the configured disclosures' tables ask
here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction

if TYPE_CHECKING:
    from collections.abc import Iterable

    from wagtail.query import PageQuerySet


def unexpired_q(now: Any, prefix: str = "") -> Q:
    """Live and not past ``expire_at`` at ``now`` (``prefix`` reaches the page through a key)."""
    return Q(**{f"{prefix}live": True}) & (
        Q(**{f"{prefix}expire_at__isnull": True}) | Q(**{f"{prefix}expire_at__gt": now})
    )


def lapsed_q(now: Any) -> Q:
    """Unpublished, or past its ``expire_at`` before the expiry job has unpublished it."""
    return Q(live=False) | Q(expire_at__lte=now)


def hiding_pages(now: Any) -> QuerySet:
    """The paths of the pages that hide their whole subtree from the public at ``now``.

    Two parts in one query, each read through an index: the restricted pages, and the lapsed
    ones among the pages with children (``structure_page_parents_idx``).
    """
    restricted = Page.objects.filter(pk__in=PageViewRestriction.objects.values("page_id"))
    lapsed = Page.objects.filter(lapsed_q(now), numchild__gt=0)
    return (
        restricted.order_by()
        .values_list("path")
        .union(lapsed.order_by().values_list("path"), all=True)
    )


def outermost(paths: Iterable[str]) -> list[str]:
    """The paths not inside another one of them, sorted: a subtree hidden twice is one."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def hidden_paths(now: Any = None) -> list[str]:
    """The roots of the hidden subtrees at ``now`` (default: this moment), in one query."""
    now = timezone.now() if now is None else now
    return outermost(path for (path,) in hiding_pages(now))


def public_pages(queryset: QuerySet, now: Any, hidden: Iterable[str], prefix: str = "") -> QuerySet:
    """The pages of ``queryset`` public at ``now``, given the roots of the hidden subtrees.

    With ``prefix`` (such as ``"compound__"``), the rows whose page, reached through that
    single-valued key, is public: the snippets and votes that belong to a compound.
    """
    queryset = queryset.filter(unexpired_q(now, prefix))
    for path in hidden:
        queryset = queryset.exclude(**{f"{prefix}path__startswith": path})
    return queryset


def expired_q(now: Any) -> Q:
    """Taken down by its own schedule: unpublished by the expiry job (Wagtail marks it
    ``expired``), or live past its ``expire_at`` before the job has run. A page unpublished by
    hand is neither."""
    return Q(live=False, expired=True) | Q(live=True, expire_at__lte=now)


def expired_pages(queryset: QuerySet, now: Any, hidden: Iterable[str]) -> QuerySet:
    """The pages of ``queryset`` that were public until their own expiry, for an archive.

    Whatever hides a public page hides an expired one too: a view restriction on it or an
    ancestor, or an unpublished or expired ancestor (``hidden`` as for ``public_pages``).
    """
    queryset = queryset.filter(expired_q(now))
    for path in hidden:
        queryset = queryset.exclude(path__startswith=path)
    return queryset


def public_children(page: Page, model: type[Page] = Page) -> PageQuerySet:
    """The public pages of ``model`` right under ``page``, for a public page to list.

    One query for the hidden subtrees, as Wagtail's ``public()`` makes one for restrictions.
    """
    now = timezone.now()
    return public_pages(model.objects.child_of(page), now, hidden_paths(now)).order_by("path")


def lapsed_on_the_way(page: Page, now: Any) -> bool:
    """Whether ``page`` or an ancestor (below the tree's root) is unpublished or expired.

    Wagtail's routing leaves each ancestor it walked through in treebeard's parent cache, so
    for a page it routed to this costs no query; whatever is not cached (above the site's root
    page, or for a page found otherwise) is read in one.
    """
    seen, current = [page], page
    while (parent := current.__dict__.get("_cached_parent_obj")) is not None:
        seen.append(parent)
        current = parent
    if any(not each.live or (each.expire_at and each.expire_at <= now) for each in seen):
        return True
    above = [current.path[: depth * Page.steplen] for depth in range(2, current.depth)]
    return bool(above) and Page.objects.filter(lapsed_q(now), path__in=above).exists()


def restricted_collection_paths() -> list[str]:
    """The paths of the collections under a view restriction (one query)."""
    return sorted(set(CollectionViewRestriction.objects.values_list("collection__path", flat=True)))


def in_public_collections(queryset: QuerySet, restricted: Iterable[str] | None = None) -> QuerySet:
    """Documents or images outside every collection under a view restriction (``restricted``:
    those collections' paths when already loaded)."""
    paths = restricted_collection_paths() if restricted is None else restricted
    for path in paths:
        queryset = queryset.exclude(collection__path__startswith=path)
    return queryset
