"""Rich text as clean HTML for clients, with internal links resolved in one pass per list.

``expand_db_html`` turns ``<a linktype="page" id="…">`` into real URLs with one query per link
type for the string it is given; calling it once per notice would cost a query per notice.
The bodies of a whole list are expanded together, joined by a marker no editor can type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wagtail.rich_text import expand_db_html

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

SEPARATOR = "\x00weizhi-rich-text\x00"


def stream_rich_text(raw_blocks: Iterable[dict[str, Any]]) -> str:
    """The database HTML of a StreamField's rich text blocks, in order, from its raw data."""
    return "".join(
        block["value"]
        for block in raw_blocks
        if block.get("type") == "paragraph" and isinstance(block.get("value"), str)
    )


def expand_many(htmls: Sequence[str]) -> list[str]:
    """``expand_db_html`` over many strings at the cost of one."""
    if not htmls:
        return []
    expanded = expand_db_html(SEPARATOR.join(htmls)).split(SEPARATOR)
    if len(expanded) != len(htmls):  # the marker cannot be typed, but never trust it blindly
        return [expand_db_html(html) for html in htmls]
    return expanded
