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
* when a view restriction is added or removed, a review step starts or ends, a vote opens,
  an owner answers an open vote (its turnout), a vote's result is announced or made final, a
  committee, property firm or annual task is (un)published,
* when a disclosure kind of the configuration file is switched off or its columns change,
* when a collection of images and documents gets or loses a view restriction (anywhere: it
  hides its files from every page), or the file of an image or document that a page in reach
  refers to is replaced.

It costs one query whatever the size of the scope: a ``UNION ALL`` of one-row aggregates over
the pages in reach, their view restrictions and the rows that belong to its compounds, and one
row per image or document the pages in reach refer to. The
same state gives the same fingerprint, so two workers agree and a screen never refetches
needlessly.

"In reach" of a community or compound is what its screen may show: its subtree, plus its
ancestors and their direct children (so a compound's screen also follows the notices of its
community, and a renamed or unpublished community). ``None`` means the whole site.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    Max,
    Min,
    Model,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    ReferenceIndex,
    TaskState,
)

from content_types.cases.models import Case
from content_types.committees.models import OwnersCommittee
from content_types.configured_disclosures.models import ConfiguredKind
from content_types.firms.models import PropertyFirm
from content_types.governance_tasks.models import GovernanceTask
from content_types.structure.public import unexpired_q
from workflows.voting.models import Ballot, Vote, VoteStatus

from .disclosure_dues import version_part
from .statements import Statement

if TYPE_CHECKING:
    from datetime import datetime

# The rows of the fingerprint query that carry the soonest expiry in reach, not the state.
NEXT = "next-expiry-"
# Besides pages, their view restrictions and review steps and the files they refer to, the
# fingerprint reads these rows: those of a compound, and those every scope reads. What a change
# invalidates in the shared cache (``shared_cache.changed``) follows the same lists.
COMPOUND_ROWS = (OwnersCommittee, Vote)
# An open vote's ballots, which change its compound's turnout.
BALLOT_ROWS = (Ballot,)
SITE_WIDE_ROWS = (PropertyFirm, GovernanceTask, CollectionViewRestriction, ConfiguredKind)
# A case's anonymised summary, once published, shows in reach of its compound or community.
CASE_ROWS = (Case,)


def _reach(scope_path: str | None, ancestors: dict[int, str]) -> Q:
    """The pages a screen of the scope may show (see the module docstring).

    ``ancestors``: the scope's ancestors' paths by depth, from depth 2 (below the tree's root).
    """
    if scope_path is None:
        return Q()
    condition = Q(path__startswith=scope_path)
    for depth, ancestor_path in ancestors.items():
        condition |= Q(path=ancestor_path) | Q(path__startswith=ancestor_path, depth=depth + 1)
    return condition


def _grouped(queryset: QuerySet, key: str, *, n: Any, s: Any, m: Any) -> QuerySet:
    """One row ``(key, n, s, m)`` for ``queryset``; no row when it is empty."""
    return (
        queryset.order_by().values(k=Value(key)).annotate(n=n, s=s, m=m).values("k", "n", "s", "m")
    )


def _files_referred_to(model: type[Model], label: str, page_ids: QuerySet) -> QuerySet:
    """One row per image or document that a page in reach refers to, keyed by its file.

    Which files a page refers to is read from Wagtail's reference index (kept up to date on every
    save, drafts included). The key holds the file's name and hash, so a replaced file — a new
    name, a new hash, new renditions — changes its row.
    """
    referred = ReferenceIndex.objects.filter(
        base_content_type__app_label="wagtailcore",
        base_content_type__model="page",
        object_id__in=page_ids,
        to_content_type__app_label=model._meta.app_label,
        to_content_type__model=model._meta.model_name,
    ).values("to_object_id")
    key = Concat(
        Value(f"{label}-"),
        Cast("id", output_field=CharField()),
        Value("-"),
        "file",
        Value("-"),
        "file_hash",
        output_field=CharField(),
    )
    return (
        model._default_manager.annotate(sid=Cast("id", output_field=CharField()))
        .filter(sid__in=referred)
        .order_by()
        .values(k=key)
        .annotate(n=Count("id"), s=Sum("id"), m=Max("created_at"))
        .values("k", "n", "s", "m")
    )


def _configured_kinds() -> QuerySet:
    """One row per disclosure kind the configuration file declares, keyed by all a screen
    shows of it (whether it is active, its name, fields and columns): a kind switched off hides
    its pages, a renamed column changes their tables, and a kind row has no time it changed."""
    shown = [
        Cast("active", output_field=CharField()),
        "name",
        Cast("header", output_field=TextField()),
        Cast("columns", output_field=TextField()),
        Coalesce(Cast("computed", output_field=TextField()), Value(""), output_field=TextField()),
    ]
    parts: list[Any] = [Value("kind-"), Cast("id", output_field=CharField())]
    for part in shown:
        parts += [Value("-"), part]
    return (
        ConfiguredKind.objects.order_by()
        .values(k=Concat(*parts, output_field=CharField()))
        .annotate(n=Count("id"), s=Sum("id"), m=Value(None, output_field=DateTimeField()))
        .values("k", "n", "s", "m")
    )


def fingerprint_query(
    depth: int | None, now: Any, scope_path: str | None = None, **ancestors: str
) -> QuerySet:
    """Every part of the fingerprint as one ``UNION ALL`` of one-row aggregates.

    ``ancestors`` as ``fingerprint_values`` names them; ``depth`` is the scope's (the shape).
    """
    reach = _reach(
        scope_path,
        {int(name.removeprefix(ANCESTOR)): path for name, path in sorted(ancestors.items())},
    )
    in_compounds = Q(compound__path__startswith=scope_path) if scope_path is not None else Q()
    firm_in_compounds = (
        {"compounds__path__startswith": scope_path} if scope_path is not None else {}
    )
    ballot_in_compounds = (
        Q(elector__vote__compound__path__startswith=scope_path) if scope_path is not None else Q()
    )
    in_scopes = Q(scope__path__startswith=scope_path) if scope_path is not None else Q()
    visible = unexpired_q(now)
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
        # A collection's restriction hides its images and documents wherever they appear.
        _grouped(
            CollectionViewRestriction.objects.all(),
            "collection-restrictions",
            n=Count("id"),
            s=Sum("id"),
            m=Value(None, output_field=DateTimeField()),
        ),
        _files_referred_to(get_image_model(), "image", page_ids),
        _files_referred_to(get_document_model(), "document", page_ids),
        _configured_kinds(),
        _grouped(
            OwnersCommittee.objects.filter(visible, in_compounds),
            "committee",
            n=Count("id"),
            s=Sum("id"),
            m=Max("last_published_at"),
        ),
        _grouped(
            PropertyFirm.objects.filter(visible, **firm_in_compounds),
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
            Case.objects.published().filter(in_scopes),
            "case",
            n=Count("id"),
            s=Sum("id"),
            m=Max("published_at"),
        ),
        _grouped(
            Vote.objects.filter(in_compounds, status=VoteStatus.OPEN),
            "vote-open",
            n=Count("id"),
            s=Sum("id"),
            m=Max("closes_at"),
        ),
        # An open vote's turnout: ballots are only ever added, so their count and newest say it.
        _grouped(
            Ballot.objects.filter(ballot_in_compounds, elector__vote__status=VoteStatus.OPEN),
            "ballots",
            n=Count("id"),
            s=Max("id"),
            m=Max("recorded_at"),
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
    # state gives the same version), it says how long a version may be kept (``shared_cache``).
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
            PropertyFirm.objects.filter(visible, expire_at__isnull=False, **firm_in_compounds),
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
# a tenth of one), so it is compiled once per database and scope depth (``Statement``).
FINGERPRINT = Statement(fingerprint_query)
ANCESTOR = "ancestor_"


def fingerprint_values(scope_page: Page | None, now: Any) -> tuple[int | None, dict[str, Any]]:
    """The shape and values of the fingerprint statement for ``scope_page`` at ``now``."""
    if scope_page is None:
        return None, {"now": now}
    values: dict[str, Any] = {
        f"{ANCESTOR}{depth}": scope_page.path[: depth * Page.steplen]
        for depth in range(2, scope_page.depth)
    }
    values.update(now=now, scope_path=scope_page.path)
    return scope_page.depth, values


def _fingerprint_rows(scope_page: Page | None, now: Any) -> list[tuple[Any, ...]]:
    shape, values = fingerprint_values(scope_page, now)
    return sorted(FINGERPRINT.rows(shape, **values))


def content_version_until(scope_page: Page | None) -> tuple[str, datetime | None]:
    """The version (see ``content_version``), and the next moment it changes by itself.

    That moment is the soonest scheduled expiry of anything in reach (None when nothing is
    scheduled to expire): until then, and until something is published, unpublished or changed,
    the version stays what it is. Same single query; a community's adds the two of the dues its
    screen shows per compound (``disclosure_dues``), as they turn late with the calendar.
    """
    rows = _fingerprint_rows(scope_page, timezone.now())
    fingerprint: list[Any] = [row for row in rows if not str(row[0]).startswith(NEXT)]
    fingerprint += version_part(scope_page)
    expiries = [row[3] for row in rows if str(row[0]).startswith(NEXT)]
    version = hashlib.blake2b(repr(fingerprint).encode(), digest_size=12).hexdigest()
    return version, min((each for each in expiries if each is not None), default=None)


def content_version(scope_page: Page | None) -> str:
    """A fingerprint that changes whenever what a screen of ``scope_page`` may show changes.

    One SQL query, compiled once per scope depth. See the module docstring for what it
    follows and why.
    """
    return content_version_until(scope_page)[0]
