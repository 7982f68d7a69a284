"""Which street working group a case's category goes to, as the site configuration says.

The working groups (附件2: 执法督查组, 司法调解组, …) and their categories are kept by
``site_config``, a layer above this one: it fills this hook when it starts, as
``core.amount_tiers`` does for chains. Without it (or without a group for the category)
a case reaches the street office with no group named.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

GroupLookup = Callable[[Any, str], str]

_lookup: GroupLookup | None = None


def register_group_lookup(lookup: GroupLookup) -> None:
    global _lookup  # noqa: PLW0603 - one hook, filled once at start-up
    _lookup = lookup


def working_group_for(scope: Any, category: str) -> str:
    """The name of the group of the street above ``scope`` that handles ``category``, or ""."""
    return _lookup(scope, category) if _lookup is not None else ""
