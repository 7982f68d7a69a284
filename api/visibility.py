"""What the public API may show: live, unexpired, unrestricted pages and published snippets.

Wagtail keeps a page's live content in the page row and its drafts and revisions in review in
``wagtailcore_revision``, so reading the page tables serves the live version and never a draft.
What the page row alone does not say:

* a page whose ``expire_at`` has passed is still ``live`` until the ``publish_scheduled`` job
  runs, so the expiry is checked here against the request's clock;
* a view restriction on a page hides its whole subtree, ancestors' restrictions included. The
  restricted paths are loaded once per request (Wagtail's ``public()`` reloads them on every
  call, one query per list);
* a snippet a live page points at may be a draft: snippets are filtered on ``live`` themselves;
* a document or image in a collection under a view restriction (``CollectionViewRestriction``,
  on it or on a parent collection) is not public; those collections are loaded once per request
  too, for attachments and pictures alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import CollectionViewRestriction, PageViewRestriction

from .statements import Statement

CONTEXT_ATTRIBUTE = "_weizhi_visibility"
RESTRICTED_PREFIX = "restricted_"
_RESTRICTED_PATHS = Statement(lambda shape: PageViewRestriction.objects.values_list("page__path"))


def unexpired_q(now: Any, prefix: str = "") -> Q:
    return Q(**{f"{prefix}live": True}) & (
        Q(**{f"{prefix}expire_at__isnull": True}) | Q(**{f"{prefix}expire_at__gt": now})
    )


def public_pages(queryset: QuerySet, now: Any, restricted_paths: Iterable[str]) -> QuerySet:
    """Live pages unexpired at ``now``, outside every subtree in ``restricted_paths``."""
    queryset = queryset.filter(unexpired_q(now))
    for path in restricted_paths:
        queryset = queryset.exclude(path__startswith=path)
    return queryset


def public_pages_from(queryset: QuerySet, values: dict[str, Any]) -> QuerySet:
    """``public_pages`` with the clock and paths named as ``Visibility.statement_values`` does."""
    restricted = [value for name, value in values.items() if name.startswith(RESTRICTED_PREFIX)]
    return public_pages(queryset, values["now"], restricted)


class Visibility:
    """One request's view of what is public, with the restricted subtrees loaded once."""

    def __init__(self) -> None:
        self.now = timezone.now()
        self._restricted: list[str] | None = None
        self._restricted_collections: list[str] | None = None

    @classmethod
    def of(cls, context: Any) -> Visibility:
        """The request's ``Visibility`` (one per request, so one restrictions query)."""
        found = getattr(context, CONTEXT_ATTRIBUTE, None)
        if found is None:
            found = cls()
            setattr(context, CONTEXT_ATTRIBUTE, found)
        return found

    @property
    def restricted_paths(self) -> list[str]:
        if self._restricted is None:
            self._restricted = sorted({path for (path,) in _RESTRICTED_PATHS.rows()})
        return self._restricted

    @property
    def restricted_collection_paths(self) -> list[str]:
        if self._restricted_collections is None:
            self._restricted_collections = sorted(
                set(CollectionViewRestriction.objects.values_list("collection__path", flat=True))
            )
        return self._restricted_collections

    def unexpired(self, prefix: str = "") -> Q:
        return unexpired_q(self.now, prefix)

    def statement_values(self) -> tuple[int, dict[str, Any]]:
        """This request's clock and restricted paths as a ``Statement``'s shape and values."""
        paths = self.restricted_paths
        values: dict[str, Any] = {"now": self.now}
        values.update((f"{RESTRICTED_PREFIX}{index}", path) for index, path in enumerate(paths))
        return len(paths), values

    def is_public_path(self, path: str) -> bool:
        return not any(path.startswith(restricted) for restricted in self.restricted_paths)

    def pages(self, queryset: QuerySet) -> QuerySet:
        """Live, unexpired pages outside every restricted subtree."""
        return public_pages(queryset, self.now, self.restricted_paths)

    def snippets(self, queryset: QuerySet) -> QuerySet:
        """Published snippets (``DraftStateMixin.live``), their scheduled expiry included."""
        return queryset.filter(self.unexpired())

    def in_public_collections(self, queryset: QuerySet) -> QuerySet:
        """Documents or images outside every collection under a view restriction."""
        for path in self.restricted_collection_paths:
            queryset = queryset.exclude(collection__path__startswith=path)
        return queryset
