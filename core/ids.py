"""Reading a row id from text that a client or an address supplies."""

from __future__ import annotations

# An id is a 64-bit integer: a longer digit string can only be something else (a slug), and
# handing it to the database as a number fails (SQLite cannot bind it at all).
MAX_ID_DIGITS = 18


def id_from_text(value: object) -> int | None:
    """The row id ``value`` spells, or None when it cannot be one."""
    text = str(value).strip()
    return int(text) if text.isdigit() and len(text) <= MAX_ID_DIGITS else None
