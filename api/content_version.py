"""A short fingerprint of everything a scope's screens may show, for ETags and ``contentVersion``.

Why a fingerprint computed from the rows, not a counter bumped by signals: a counter misses
every change that sends no signal — a notice whose ``expire_at`` has passed while the
``publish_scheduled`` job has not run yet (or is down), a view restriction added in the admin,
a vote result made final by the voting job, a row changed by a data migration. The fingerprint
is derived from the rows themselves at the moment it is asked for, with ``now`` inside the
query, so it changes

* when anything in reach is published (``last_published_at`` rises; a new page adds its id),
  unpublished or deleted (it leaves the count and the sum of ids),
* the instant a scheduled expiry passes (the row stops matching ``expire_at > now``, before
  the job unpublishes it; when the job does, nothing changes again, as nothing visible does),
* when a scheduled page goes live (the job publishes it: it enters the live set),
* when a view restriction is added or removed, a review step starts or ends, a vote's result
  is announced or made final, a committee, property firm or annual task is (un)published.

It costs one query whatever the size of the scope: a ``UNION ALL`` of one-row aggregates over
the pages in reach, their view restrictions and the rows that belong to its compounds. The
same state gives the same fingerprint, so two workers agree and a screen never refetches
needlessly.

"In reach" of a community or compound is what its screen may show: its subtree, plus its
ancestors and their direct children (so a compound's screen also follows the notices of its
community, and a renamed or unpublished community). ``None`` means the whole site.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import CharField, Count, Max, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, TaskState

from content_types.committees.models import OwnersCommittee
from content_types.firms.models import PropertyFirm
from content_types.governance_tasks.models import GovernanceTask
from workflows.voting.models import Vote, VoteStatus

# The rows of the fingerprint query that carry the soonest expiry in reach, not the state.
NEXT = "next-expiry-"


def _reach(scope_page: Page | None) -> Q:
    """The pages a screen of ``scope_page`` may show (see the module docstring)."""
    if scope_page is None:
        return Q()
    condition = Q(path__startswith=scope_page.path)
    steplen = Page.steplen
    for depth in range(2, scope_page.depth):
        ancestor_path = scope_page.path[: depth * steplen]
        condition |= Q(path=ancestor_path) | Q(path__startswith=ancestor_path, depth=depth + 1)
    return condition


def _unexpired(now: Any) -> Q:
    return Q(live=True) & (Q(expire_at__isnull=True) | Q(expire_at__gt=now))


def _grouped(queryset: QuerySet, key: str, *, n: Any, s: Any, m: Any) -> QuerySet:
    """One row ``(key, n, s, m)`` for ``queryset``; no row when it is empty."""
    return (
        queryset.order_by().values(k=Value(key)).annotate(n=n, s=s, m=m).values("k", "n", "s", "m")
    )


def _fingerprint_query(scope_page: Any, now: Any) -> QuerySet:
    """Every part of the fingerprint as one ``UNION ALL`` of one-row aggregates."""
    reach = _reach(scope_page)
    in_compounds = Q(compound__path__startswith=scope_page.path) if scope_page is not None else Q()
    visible = _unexpired(now)
    page_ids = (
        Page.objects.filter(reach).annotate(sid=Cast("id", output_field=CharField())).values("sid")
    )
    parts = [
        _grouped(
            Page.objects.filter(reach, visible),
            "pages",
            n=Count("id"),
            s=Sum("id"),
            m=Max("last_published_at"),
        ),
        _grouped(
            PageViewRestriction.objects.filter(page__in=Page.objects.filter(reach).values("pk")),
            "restrictions",
            n=Count("id"),
            s=Sum("id"),
            m=Max("page__last_published_at"),
        ),
        _grouped(
            OwnersCommittee.objects.filter(visible, in_compounds),
            "committee",
            n=Count("id"),
            s=Sum("id"),
            m=Max("last_published_at"),
        ),
        _grouped(
            PropertyFirm.objects.filter(
                visible,
                **(
                    {"compounds__path__startswith": scope_page.path}
                    if scope_page is not None
                    else {}
                ),
            ),
            "firm",
            n=Count("id", distinct=True),
            s=Sum("id", distinct=True),
            m=Max("last_published_at"),
        ),
        _grouped(
            GovernanceTask.objects.filter(visible),
            "task",
            n=Count("id"),
            s=Sum("id"),
            m=Max("last_published_at"),
        ),
        _grouped(
            Vote.objects.filter(in_compounds, status=VoteStatus.PRELIMINARY),
            "vote-preliminary",
            n=Count("id"),
            s=Sum("id"),
            m=Max("closed_at"),
        ),
        _grouped(
            Vote.objects.filter(in_compounds, status=VoteStatus.FINAL),
            "vote-final",
            n=Count("id"),
            s=Sum("id"),
            m=Max("finalised_at"),
        ),
        _grouped(
            TaskState.objects.filter(
                workflow_state__base_content_type__app_label="wagtailcore",
                workflow_state__base_content_type__model="page",
                workflow_state__object_id__in=page_ids,
            ),
            "review",
            n=Count("id", filter=Q(finished_at__isnull=True)),
            s=Max("id"),
            m=Max("finished_at"),
        ),
    ]
    # When the next scheduled expiry in reach falls: not part of the fingerprint (the same
    # state gives the same version), it says how long a version may be remembered (``memo``).
    soonest = {"n": Count("id"), "s": Sum("id"), "m": Min("expire_at")}
    parts += [
        _grouped(
            Page.objects.filter(reach, visible, expire_at__isnull=False), NEXT + "pages", **soonest
        ),
        _grouped(
            OwnersCommittee.objects.filter(visible, in_compounds, expire_at__isnull=False),
            NEXT + "committee",
            **soonest,
        ),
        _grouped(
            PropertyFirm.objects.filter(
                visible,
                expire_at__isnull=False,
                **(
                    {"compounds__path__startswith": scope_page.path}
                    if scope_page is not None
                    else {}
                ),
            ),
            NEXT + "firm",
            **soonest,
        ),
        _grouped(
            GovernanceTask.objects.filter(visible, expire_at__isnull=False),
            NEXT + "task",
            **soonest,
        ),
    ]
    return parts[0].union(*parts[1:], all=True)


# Building and compiling the query above costs far more than running it (milliseconds against
# a tenth of one), so it is compiled once per database and scope depth with marker values in
# place of the scope's path and of now, and each call swaps in the real ones.
_MARKER_NOW = datetime(2001, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
_MARKER_CHAR = "z"  # never in a tree path (treebeard uses 0-9 and A-Z)
_COMPILED: dict[tuple[str, int | None], tuple[str, tuple[Any, ...]]] = {}


@dataclass(frozen=True)
class _MarkerScope:
    path: str
    depth: int


def _compiled(depth: int | None) -> tuple[str, tuple[Any, ...]]:
    key = (connection.alias, depth)
    if key not in _COMPILED:
        marker = None
        if depth is not None:
            marker = _MarkerScope(path=_MARKER_CHAR * (depth * Page.steplen), depth=depth)
        query = _fingerprint_query(marker, _MARKER_NOW).query
        _COMPILED[key] = query.get_compiler(connection=connection).as_sql()
    return _COMPILED[key]


def _substitute(params: tuple[Any, ...], scope_page: Page | None, now: Any) -> list[Any]:
    marker_now = connection.ops.adapt_datetimefield_value(_MARKER_NOW)
    real_now = connection.ops.adapt_datetimefield_value(now)
    result = []
    for param in params:
        if param == marker_now:
            param = real_now
        elif isinstance(param, str) and scope_page is not None:
            core = param.removesuffix("%")
            if core and core.strip(_MARKER_CHAR) == "":
                param = scope_page.path[: len(core)] + param[len(core) :]
        result.append(param)
    return result


def _fingerprint_rows(scope_page: Page | None, now: Any) -> list[tuple[Any, ...]]:
    sql, params = _compiled(scope_page.depth if scope_page is not None else None)
    with connection.cursor() as cursor:
        cursor.execute(sql, _substitute(params, scope_page, now))
        return sorted(tuple(row) for row in cursor.fetchall())


def _as_datetime(value: Any) -> datetime | None:
    """A datetime read by a raw cursor: SQLite gives text (UTC), PostgreSQL a datetime."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def content_version_until(scope_page: Page | None) -> tuple[str, datetime | None]:
    """The version (see ``content_version``), and the next moment it changes by itself.

    That moment is the soonest scheduled expiry of anything in reach (None when nothing is
    scheduled to expire): until then, and until something is published, unpublished or changed,
    the version stays what it is. Same single query.
    """
    rows = _fingerprint_rows(scope_page, timezone.now())
    fingerprint = [row for row in rows if not str(row[0]).startswith(NEXT)]
    expiries = [_as_datetime(row[3]) for row in rows if str(row[0]).startswith(NEXT)]
    version = hashlib.blake2b(repr(fingerprint).encode(), digest_size=12).hexdigest()
    return version, min((each for each in expiries if each is not None), default=None)


def content_version(scope_page: Page | None) -> str:
    """A fingerprint that changes whenever what a screen of ``scope_page`` may show changes.

    One SQL query, compiled once per scope depth. See the module docstring for what it
    follows and why.
    """
    return content_version_until(scope_page)[0]
