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

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import CollectionViewRestriction, PageViewRestriction

CONTEXT_ATTRIBUTE = "_weizhi_visibility"


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
            self._restricted = sorted(
                set(PageViewRestriction.objects.values_list("page__path", flat=True))
            )
        return self._restricted

    @property
    def restricted_collection_paths(self) -> list[str]:
        if self._restricted_collections is None:
            self._restricted_collections = sorted(
                set(CollectionViewRestriction.objects.values_list("collection__path", flat=True))
            )
        return self._restricted_collections

    def unexpired(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}live": True}) & (
            Q(**{f"{prefix}expire_at__isnull": True}) | Q(**{f"{prefix}expire_at__gt": self.now})
        )

    def is_public_path(self, path: str) -> bool:
        return not any(path.startswith(restricted) for restricted in self.restricted_paths)

    def pages(self, queryset: QuerySet) -> QuerySet:
        """Live, unexpired pages outside every restricted subtree."""
        queryset = queryset.filter(self.unexpired())
        for path in self.restricted_paths:
            queryset = queryset.exclude(path__startswith=path)
        return queryset

    def snippets(self, queryset: QuerySet) -> QuerySet:
        """Published snippets (``DraftStateMixin.live``), their scheduled expiry included."""
        return queryset.filter(self.unexpired())

    def in_public_collections(self, queryset: QuerySet) -> QuerySet:
        """Documents or images outside every collection under a view restriction."""
        for path in self.restricted_collection_paths:
            queryset = queryset.exclude(collection__path__startswith=path)
        return queryset
