"""What the public API may show: public pages, and published snippets of public compounds.

What is public is decided in ``content_types.structure.public``; this is one request's view of
it. Wagtail keeps a page's live content in the page row and its drafts and revisions in review
in ``wagtailcore_revision``, so reading the page tables serves the live version and never a
draft. What the page row alone does not say:

* a page whose ``expire_at`` has passed is still ``live`` until the ``publish_scheduled`` job
  runs, so the expiry is checked here against the request's clock;
* a view restriction on a page hides its whole subtree, and so does an unpublished or expired
  page (the admin's unpublish leaves the children live). The roots of those hidden subtrees
  are loaded once per request, in one compiled query (Wagtail's ``public()`` reloads the
  restrictions on every call, one query per list);
* a snippet a live page points at may be a draft: snippets are filtered on ``live`` themselves,
  and those that belong to a compound (committees, vote results) on their compound's being
  public too;
* a document or image in a collection under a view restriction (``CollectionViewRestriction``,
  on it or on a parent collection) is not public; those collections are loaded once per request
  too, for attachments and pictures alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from content_types.structure.public import (
    expired_pages,
    hiding_pages,
    in_public_collections,
    outermost,
    public_pages,
    restricted_collection_paths,
    unexpired_q,
)

from .statements import Statement

if TYPE_CHECKING:
    from django.db.models import Q, QuerySet

CONTEXT_ATTRIBUTE = "_weizhi_visibility"
HIDDEN_PREFIX = "hidden_"
_HIDDEN_PATHS = Statement(lambda shape, now: hiding_pages(now))


def public_pages_from(queryset: QuerySet, values: dict[str, Any], prefix: str = "") -> QuerySet:
    """``public_pages`` with the clock and paths named as ``Visibility.statement_values`` does."""
    hidden = [value for name, value in values.items() if name.startswith(HIDDEN_PREFIX)]
    return public_pages(queryset, values["now"], hidden, prefix)


class Visibility:
    """One request's view of what is public, with the hidden subtrees loaded once."""

    def __init__(self) -> None:
        self.now = timezone.now()
        self._hidden: list[str] | None = None
        self._restricted_collections: list[str] | None = None

    @classmethod
    def of(cls, context: Any) -> Visibility:
        """The request's ``Visibility`` (one per request, so one query for hidden subtrees)."""
        found = getattr(context, CONTEXT_ATTRIBUTE, None)
        if found is None:
            found = cls()
            setattr(context, CONTEXT_ATTRIBUTE, found)
        return found

    @property
    def hidden_paths(self) -> list[str]:
        """The roots of the subtrees hidden from the public (restricted, unpublished, expired)."""
        if self._hidden is None:
            self._hidden = outermost(path for (path,) in _HIDDEN_PATHS.rows(now=self.now))
        return self._hidden

    @property
    def restricted_collection_paths(self) -> list[str]:
        if self._restricted_collections is None:
            self._restricted_collections = restricted_collection_paths()
        return self._restricted_collections

    def unexpired(self, prefix: str = "") -> Q:
        return unexpired_q(self.now, prefix)

    def statement_values(self) -> tuple[int, dict[str, Any]]:
        """This request's clock and hidden paths as a ``Statement``'s shape and values."""
        paths = self.hidden_paths
        values: dict[str, Any] = {"now": self.now}
        values.update((f"{HIDDEN_PREFIX}{index}", path) for index, path in enumerate(paths))
        return len(paths), values

    def is_public_path(self, path: str) -> bool:
        return not any(path.startswith(hidden) for hidden in self.hidden_paths)

    def pages(self, queryset: QuerySet, prefix: str = "") -> QuerySet:
        """Live, unexpired pages outside every hidden subtree (through ``prefix``, see
        ``public_pages``)."""
        return public_pages(queryset, self.now, self.hidden_paths, prefix)

    def expired_pages(self, queryset: QuerySet) -> QuerySet:
        """Pages taken down by their own expiry, outside every hidden subtree (an archive's)."""
        return expired_pages(queryset, self.now, self.hidden_paths)

    def snippets(self, queryset: QuerySet, compound: str | None = None) -> QuerySet:
        """Published snippets (``DraftStateMixin.live``), their scheduled expiry included.

        ``compound``: the single-valued key to the compound a snippet belongs to, which must
        be public too.
        """
        queryset = queryset.filter(self.unexpired())
        return queryset if compound is None else self.pages(queryset, f"{compound}__")

    def in_public_collections(self, queryset: QuerySet) -> QuerySet:
        """Documents or images outside every collection under a view restriction."""
        return in_public_collections(queryset, self.restricted_collection_paths)
