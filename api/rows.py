"""Notices read as plain values, for lists that ask for nothing a plain row cannot give.

Why: building a ``NoticePage`` instance (Wagtail's ``Page``, modelcluster's child managers)
costs about ten times more than reading its row, and the screen feed lists up to
``GRAPHQL_MAX_PAGE_SIZE`` notices of which a screen shows only the title, summary, category,
pin, dates and pictures (read from the body's raw data, as for a page). When the selection asks
for no more than those (``PLAIN_NOTICE_FIELDS``), the same query is read as ``NOTICE_COLUMNS``
into ``NoticeRow``s; any other field (the body's text, attachments, a URL, or one added later)
falls back to model instances, so a new field can never be served from a row that lacks it.

What it buys (``benchmarks/results/fast_paths.json``, PostgreSQL): ×1.14 requests per second on
the uncached screen feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from content_types.notices.models import NoticePage
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode

from .fast_paths import left_out

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime

# The GraphQL fields of ``Notice`` a row answers, and the columns it reads for them.
PLAIN_NOTICE_FIELDS = frozenset(
    {
        "__typename",
        "id",
        "title",
        "slug",
        "summary",
        "category",
        "categoryLabel",
        "pinned",
        "publishedAt",
        "expiresAt",
        "images",
    }
)
NOTICE_COLUMNS = (
    "id",
    "title",
    "slug",
    "summary",
    "category",
    "pinned",
    "first_published_at",
    "expire_at",
    "body",
)


@cache
def _category_labels() -> dict[Any, str]:
    return {
        value: str(label) for value, label in NoticePage._meta.get_field("category").flatchoices
    }


@dataclass(slots=True)
class NoticeRow:
    """A notice's plain fields, answering the attributes ``NoticeType`` reads."""

    id: int
    title: str
    slug: str
    summary: str
    category: str
    pinned: bool
    first_published_at: datetime | None
    expire_at: datetime | None
    body: Any  # the StreamField's value: a notice's pictures are read from its raw data
    api_images: list[dict[str, Any]] | None = None  # set by ``NoticeType``'s batch

    @property
    def pk(self) -> int:
        return self.id

    def get_category_display(self) -> str:
        """As Django's ``get_category_display``: the label, or the value when it has none."""
        return _category_labels().get(self.category, self.category)


def _selected(
    selection_set: SelectionSetNode | None, fragments: dict[str, Any], seen: frozenset[str]
) -> Iterator[str | None]:
    """The field names selected, through fragments; None for anything not understood."""
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection.name.value
        elif isinstance(selection, InlineFragmentNode):
            yield from _selected(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is None or name in seen:
                yield None
            else:
                yield from _selected(fragment.selection_set, fragments, seen | {name})
        else:
            yield None


def asks_only_plain_fields(info: Any) -> bool:
    """Whether every field selected on this list's notices is one a ``NoticeRow`` answers."""
    if left_out("rows"):
        return False
    names: set[str | None] = set()
    for node in info.field_nodes:
        names.update(_selected(node.selection_set, info.fragments, frozenset()))
    return names <= PLAIN_NOTICE_FIELDS
