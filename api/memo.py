"""Forgetting what the API keeps, and keeping it true on every change made in this process.

What a poll needs — the screen a token names, the pages a scope argument names, the scope's
content version and the rendered answers — is kept in the cache every process shares
(``shared_cache``), under stamps that each change replaces. There is no per-process memo of
screens any more: a token revoked by one process must be refused by every process on its next
request, and the shared cache answers that in the same round trip as the rest.
"""

from __future__ import annotations

from . import shared_cache


def forget_all() -> None:
    """Forget every screen, scope and version kept in the shared cache (answers are keyed by
    version and stay true)."""
    shared_cache.forget()


def connect() -> None:
    """Replace the shared cache's stamps on every change made in this process (called once, at
    start-up)."""
    shared_cache.connect()
