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

It costs two queries whatever the size of the scope: one aggregate over the pages in reach,
one ``UNION ALL`` of aggregates over the rows that belong to its compounds. The same state
gives the same fingerprint, so two workers agree and a screen never refetches needlessly.

"In reach" of a community or compound is what its screen may show: its subtree, plus its
ancestors and their direct children (so a compound's screen also follows the notices of its
community, and a renamed or unpublished community). ``None`` means the whole site.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import Page, TaskState

from content_types.committees.models import OwnersCommittee
from content_types.firms.models import PropertyFirm
from content_types.governance_tasks.models import GovernanceTask
from workflows.voting.models import Vote, VoteStatus


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


def _row_fingerprints(scope_page: Page | None, now: Any) -> list[tuple[Any, ...]]:
    """Committees, firms, annual tasks, votes and review steps in reach, in one query."""
    in_compounds = Q(compound__path__startswith=scope_page.path) if scope_page is not None else Q()
    visible = _unexpired(now)
    page_ids = (
        Page.objects.filter(_reach(scope_page))
        .annotate(sid=Cast("id", output_field=CharField()))
        .values("sid")
    )
    page_type = ContentType.objects.get_for_model(Page)
    parts = [
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
                workflow_state__base_content_type=page_type,
                workflow_state__object_id__in=page_ids,
            ),
            "review",
            n=Count("id", filter=Q(finished_at__isnull=True)),
            s=Max("id"),
            m=Max("finished_at"),
        ),
    ]
    union = parts[0].union(*parts[1:], all=True)
    return sorted(tuple(row.values()) for row in union)


def content_version(scope_page: Page | None) -> str:
    """A fingerprint that changes whenever what a screen of ``scope_page`` may show changes.

    Two SQL queries (a third, cached by Django, the first time the Page content type is
    looked up in a process). See the module docstring for what it follows and why.
    """
    now = timezone.now()
    visible = _unexpired(now)
    pages = Page.objects.filter(_reach(scope_page)).aggregate(
        n=Count("id", filter=visible, distinct=True),
        s=Sum("id", filter=visible, distinct=True),
        m=Max("last_published_at", filter=visible),
        restrictions=Count("view_restrictions", distinct=True),
        restriction_max=Max("view_restrictions__id"),
    )
    state = (sorted(pages.items()), _row_fingerprints(scope_page, now))
    return hashlib.blake2b(repr(state).encode(), digest_size=12).hexdigest()
