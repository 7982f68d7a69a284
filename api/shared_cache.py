"""What every app server and worker shares about the persisted queries: content versions, the
pages a scope argument names, and rendered answers, in Django's cache (Redis with ``CACHE_URL``).

Why shared: a district's 10,000 screens poll about 2,000 scopes every 15 seconds, spread over
several processes. A per-process memo of one scope's version rarely hits there, and when a
community publishes a notice every screen of that community refetches at once: with the answers
in the shared cache, the scope costs one render, not one per screen or per process.

What is kept, and how it stays true:

* A scope's ``content_version`` (and, for every query, the pages a scope argument names) is kept
  with the *stamps* it was computed under. A stamp is a random token in the cache that a change
  replaces; a kept value counts only while its stamps are unchanged, and never past
  ``WEIZHI_API_SHARED_SECONDS`` or the next scheduled expiry in its reach. Stamps are read before
  the database, and replaced once a change is committed (and at once, for the changing
  transaction itself), so a value read from data older than a change never outlives it.
* Stamps follow the content version's reach (``content_version``), so a change invalidates only
  the scopes that can show it: ``tree:<path>`` changes with anything in the subtree at ``path``
  (what a community's or street's version covers), ``near:<path>`` with the page at ``path`` or
  one of its children (what the screens below it read of their ancestors). A scope's version
  reads its own ``tree`` stamp and the ``near`` stamps of its ancestors; a notice published in
  one compound leaves its sibling compounds, and other communities, untouched. Rows that only
  the whole site reads (property firms, annual tasks, collection restrictions, page moves)
  replace the one ``all`` stamp.
* A rendered answer is kept under its ``ETag`` (query, text, variables, version): the same key
  always means the same bytes, so it needs no invalidation. While one process renders it, the
  others asking for the same key wait for it briefly instead of rendering it too.

Which changes are seen, and when (``WEIZHI_API_SHARED_SECONDS``, default ten minutes):

* every change that Django or Wagtail signals (saves, deletes, (un)publishing, moves, review
  steps), made by any process that runs this code (app servers, Celery workers, management
  commands): at once, by every process, on the next request;
* scheduled expiry: at the instant it passes (a version is kept no later than the soonest
  ``expire_at`` in its reach);
* a change no signal tells of (a bare ``UPDATE``, a database shell): within the shared time.

Without ``CACHE_URL`` the cache is local memory, one per process: there a value is kept no longer
than ``WEIZHI_API_MEMO_SECONDS``, as the per-process memos are, since another process's change
cannot reach it.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Page, PageViewRestriction, ReferenceIndex, TaskState, WorkflowState
from wagtail.signals import post_page_move, published, unpublished

from content_types.structure.models import CommunityPage, CompoundPage
from workflows.voting.models import Vote

from .bounded_cache import BoundedCache
from .conditional import memo_seconds
from .content_version import (
    BALLOT_ROWS,
    CASE_ROWS,
    COMPOUND_ROWS,
    SITE_WIDE_ROWS,
    content_version_until,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

PREFIX = "weizhi-api:"
EVERYTHING = PREFIX + "all"
STRUCTURE = PREFIX + "structure"
ANY_TREE = PREFIX + "tree:*"
# A stamp that runs out is replaced by a new one when next read, which only makes what was kept
# under it count no more: so stamps need not live forever.
STAMP_SECONDS = 24 * 3600
# Backends whose entries live in one process only.
LOCAL_BACKENDS = ("LocMemCache", "DummyCache")
# How long a process waits for another's rendering of the same answer before rendering it too.
RENDER_WAIT_SECONDS = 1.0
RENDER_LOCK_SECONDS = 5


def _cache() -> Any:
    return caches["default"]


def is_shared() -> bool:
    """Whether the cache is shared between processes (Redis), not one per process."""
    backend = settings.CACHES["default"]["BACKEND"]
    return not backend.endswith(LOCAL_BACKENDS)


def shared_seconds() -> float:
    """How long a version or a scope's pages may be kept without a change being signalled."""
    seconds = float(getattr(settings, "WEIZHI_API_SHARED_SECONDS", 600))
    return seconds if is_shared() else min(seconds, memo_seconds())


def answer_seconds() -> int:
    return int(getattr(settings, "WEIZHI_API_ANSWER_SECONDS", 600))


# --------------------------------------------------------------------------- stamps


def _tree(path: str) -> str:
    return f"{PREFIX}tree:{path}"


def _near(path: str) -> str:
    return f"{PREFIX}near:{path}"


def version_stamps(path: str | None) -> list[str]:
    """The stamps a scope's version is kept under (its reach, see the module docstring)."""
    if path is None:
        return [EVERYTHING, ANY_TREE]
    steps = Page.steplen
    ancestors = [_near(path[: depth * steps]) for depth in range(2, len(path) // steps)]
    return [EVERYTHING, _tree(path), *ancestors]


def _stamps_now(keys: list[str], found: dict[str, Any]) -> tuple[Any, ...]:
    """The stamps' current tokens; a missing one (never set, run out, evicted) is set first.

    So a value is never kept under "no stamp", which an eviction could bring back.
    """
    missing = [key for key in keys if key not in found]
    if missing:
        cache = _cache()
        for key in missing:
            cache.add(key, secrets.token_hex(8), STAMP_SECONDS)
        found.update(cache.get_many(missing))
    return tuple(found.get(key) for key in keys)


def _kept(
    key: str,
    stamp_keys: list[str],
    compute: Callable[[], tuple[Any, float | None]],
    found: dict[str, Any] | None = None,
) -> Any:
    """The value kept under ``key`` while its stamps hold, or ``compute()``'s, then kept.

    ``compute`` returns the value and the epoch second it must be forgotten by (or None).
    ``found``: the key and its stamps as read already in this request (one round trip less).
    """
    seconds = shared_seconds()
    if seconds <= 0:
        return compute()[0]
    cache = _cache()
    if found is None or not all(each in found for each in stamp_keys):
        found = cache.get_many([key, *stamp_keys])
    stamps = _stamps_now(stamp_keys, found)
    entry = found.get(key)
    now = time.time()
    if entry is not None and entry[0] == stamps and now < entry[2]:
        return entry[1]
    value, until = compute()
    deadline = now + seconds if until is None else min(now + seconds, until)
    if deadline > now:
        cache.set(key, (stamps, value, deadline), math.ceil(deadline - now))
    return value


def _replace(keys: Iterable[str]) -> None:
    """Replace the stamps now, and again once the current transaction commits."""
    keys = list(keys)

    def replace() -> None:
        token = secrets.token_hex(8)
        _cache().set_many(dict.fromkeys(keys, token), STAMP_SECONDS)

    replace()
    if connection.in_atomic_block:
        transaction.on_commit(replace)


def changed_at(paths: Iterable[str], *, near: bool = True, own: bool = True) -> None:
    """Something at each page ``path`` changed (``near``: the page itself, as its parent sees it;
    otherwise only rows its subtree's versions count, such as a compound's committee).

    ``own``: the page's own stamps too. A leaf that no scope argument can name (a notice) has no
    version of its own and no scope below it, so they are left out: a district's tens of
    thousands of notices would otherwise each leave stamps that nothing reads.
    """
    steps = Page.steplen
    keys = {ANY_TREE}
    for path in paths:
        depth = len(path) // steps
        keys.update(_tree(path[: d * steps]) for d in range(1, depth + (1 if own else 0)))
        if near:
            keys.add(_near(path[:-steps]))
            if own:
                keys.add(_near(path))
    _replace(keys)


def changed_everywhere(*, structure: bool = False) -> None:
    """Something every scope reads changed (``structure``: also which page a slug names)."""
    _replace([EVERYTHING, STRUCTURE] if structure else [EVERYTHING])


def forget() -> None:
    """Forget every kept version and scope (answers are keyed by version and stay true)."""
    _NAMED.clear()
    changed_everywhere(structure=True)


# --------------------------------------------------------------------------- what is kept


def _version_key(path: str | None) -> str:
    return f"{PREFIX}version:{connection.alias}:{path}"


def version_of(scope_page: Page | None) -> str:
    """``content_version`` of the scope, kept while nothing in its reach changes."""
    path = None if scope_page is None else scope_page.path

    def compute() -> tuple[str, float | None]:
        version, next_expiry = content_version_until(scope_page)
        return version, None if next_expiry is None else next_expiry.timestamp()

    found = getattr(scope_page, "shared_cache_found", None)
    return _kept(_version_key(path), version_stamps(path), compute, found)


# The pages each scope argument names, as this process last read them, with the stamps they were
# read under: they count only while those stamps, read again on every request, are unchanged,
# exactly as the shared entry would. What it saves is a round trip: knowing the page before
# asking, a request reads the stamps and the page's kept version in one.
_NAMED: BoundedCache[tuple[tuple[Any, ...], list[tuple[Any, ...]], float]] = BoundedCache(4096)


def pages_named(
    named: tuple[Any, ...], lookup: Callable[[], list[Page] | None]
) -> list[Page] | None:
    """The pages a scope argument names (``root_fields._pages_named``), kept by its values.

    Kept as plain values and only when found: an unknown name is looked up again each time, so
    clients cannot fill the cache with names. When it names one page, that page carries what
    was read of its version (``version_of``).
    """
    digest = hashlib.blake2b(repr(named).encode(), digest_size=16).hexdigest()
    key = f"{PREFIX}scope:{connection.alias}:{digest}"
    stamp_keys = [EVERYTHING, STRUCTURE]
    if shared_seconds() <= 0:
        return lookup()
    local = _NAMED.get(key)
    keys = [key, *stamp_keys]
    if local is not None and len(local[1]) == 1:
        path = local[1][0][1]
        keys += [_version_key(path), *version_stamps(path)]
    found = _cache().get_many(keys)
    stamps = _stamps_now(stamp_keys, found)
    if local is not None and local[0] == stamps and time.time() < local[2]:
        rows = local[1]
    else:

        def compute() -> tuple[list[tuple[Any, ...]] | None, float | None]:
            pages = lookup()
            rows = None if pages is None else [(p.pk, p.path, p.depth, p.title) for p in pages]
            return rows, None if rows else 0.0

        rows = _kept(key, stamp_keys, compute, found)
        if not rows:
            return None if rows is None else []
        _NAMED.put(key, (stamps, rows, time.time() + shared_seconds()))
    pages = [Page(id=id_, path=path, depth=depth, title=title) for id_, path, depth, title in rows]
    if len(pages) == 1:
        pages[0].shared_cache_found = found
    return pages


class Answer:
    """A persisted query's rendered answer under its ``ETag``: the bytes, or the right to render.

    ``body`` is the kept answer, or None: then this process renders it (``keep`` it when it
    succeeds) and ``release`` lets the others go on, whether or not it succeeded.
    """

    renders = 0  # in this process: what a test reads to see one render serve many screens

    def __init__(self, etag: str) -> None:
        tag = etag.strip('"')
        self.key = f"{PREFIX}answer:{tag}"
        self.lock = f"{PREFIX}rendering:{tag}"
        self.locked = False
        self.body: bytes | None = None
        if answer_seconds() <= 0 or shared_seconds() <= 0:
            return
        cache = _cache()
        self.body = cache.get(self.key)
        if self.body is not None:
            return
        self.locked = bool(cache.add(self.lock, 1, RENDER_LOCK_SECONDS))
        if self.locked:
            return
        deadline = time.monotonic() + RENDER_WAIT_SECONDS
        while self.body is None and time.monotonic() < deadline:
            time.sleep(0.01)
            self.body = cache.get(self.key)

    def keep(self, body: bytes) -> None:
        Answer.renders += 1
        if answer_seconds() > 0 and shared_seconds() > 0:
            _cache().set(self.key, body, answer_seconds())

    def release(self) -> None:
        if self.locked:
            _cache().delete(self.lock)
            self.locked = False


# --------------------------------------------------------------------------- what a change touches


def _page_paths(ids: Iterable[Any]) -> list[str]:
    return list(Page.objects.filter(pk__in=list(ids)).values_list("path", flat=True))


def changed(instance: Any) -> None:
    """Replace the stamps of what a saved, deleted or (un)published row can change.

    Only the tables the content version reads matter (``content_version``); any other row
    (a screen's last visit, a revision, a rendition) changes no version, so it replaces nothing.
    """

    if isinstance(instance, Page):
        scope = type(instance) is Page or isinstance(instance, (CommunityPage, CompoundPage))
        if scope:
            _replace([STRUCTURE])  # which page a slug or id names
        changed_at([instance.path], own=scope or bool(instance.numchild))
    elif isinstance(instance, PageViewRestriction):
        changed_at(_page_paths([instance.page_id]))
    elif isinstance(instance, TaskState):
        pages = WorkflowState.objects.filter(
            pk=instance.workflow_state_id,
            base_content_type=ContentType.objects.get_for_model(Page),
        ).values_list("object_id", flat=True)
        changed_at(_page_paths(list(pages)))
    elif isinstance(instance, COMPOUND_ROWS):
        # A compound already loaded with the row (as the site configuration saves committees)
        # gives its path without a query.
        compound = instance._state.fields_cache.get("compound")
        paths = [compound.path] if compound is not None else _page_paths([instance.compound_id])
        changed_at(paths, near=False)
    elif isinstance(instance, BALLOT_ROWS):
        votes = Vote.objects.filter(electors__ballots=instance.pk)
        changed_at(_page_paths(votes.values_list("compound_id", flat=True)), near=False)
    elif isinstance(instance, SITE_WIDE_ROWS):
        changed_everywhere()
    elif isinstance(instance, CASE_ROWS):
        if instance.published_at is not None:  # before publication nothing of it is public
            changed_at(_page_paths([instance.scope_id]), near=False)
    elif isinstance(instance, (AbstractImage, AbstractDocument)):
        referring = ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            to_content_type=ContentType.objects.get_for_model(type(instance)),
            to_object_id=str(instance.pk),
        ).values_list("object_id", flat=True)
        paths = _page_paths(referring)
        if paths:
            changed_at(paths)


def _on_change(sender: Any, instance: Any = None, action: str = "post_", **kwargs: Any) -> None:
    if instance is not None and action.startswith("post_"):
        changed(instance)


def _on_move(sender: Any, **kwargs: Any) -> None:
    changed_everywhere(structure=True)


def connect() -> None:
    """Replace stamps on every change made in this process (called once, at start-up)."""
    for signal in (post_save, post_delete, m2m_changed, published, unpublished):
        signal.connect(_on_change, dispatch_uid=f"api-shared-{id(signal)}", weak=False)
    post_page_move.connect(_on_move, dispatch_uid="api-shared-move", weak=False)
