"""Many new rows at once: pages added to the tree and published, and plain rows, checked.

Why: a district's file creates over two thousand street, community and compound pages and
as many owners' committees. Through Wagtail one at a time (``add_child``, ``save_revision``,
``publish``) each page costs about 55 queries — the parent locked and counted, the locale
and slug checked, the page saved three times, a revision, comments and aliases looked up, two
log entries — and each committee two (``full_clean`` reads its compound back): the pages
alone were more than a minute of a district's first apply.

``add_published_pages`` leaves what that sequence leaves, for any number of pages: tree
paths after the parent's last child and the parents' child counts (treebeard), the parent's
locale and URL path, one revision per page holding the page as ``add_child`` saved it, the
page live with that revision as its latest and live one, the ``wagtail.create`` and
``wagtail.publish`` log entries, and the ``post_save``, ``page_published`` and ``published``
signals, once per page (so search and reference indexing, and every other receiver, see
each page as after Wagtail's own path). ``tests/site_config/test_batch.py`` compares the
rows with those Wagtail's own path writes. ``create_checked`` does the same for rows of a
model without inheritance: checked, inserted together, announced by ``post_save``.

The fields are checked as ``full_clean`` would, relations excepted (they were just read or
made), with the model's own ``clean``; a page's slug already used under the same parent is
refused with Wagtail's message, as its ``clean`` refuses it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from treebeard.exceptions import PathOverflow
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.signals import page_published, published

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.db import models


@transaction.atomic
def add_published_pages(new: Sequence[tuple[Page, Page]]) -> None:
    """Add each unsaved specific ``page`` under its saved ``parent``, in order, and publish it.

    Pages are added after their parent's existing children, in the order given; a page of
    this batch cannot be the parent of another (add the levels one after the other).
    """
    if not new:
        return
    children: dict[int, list[Page]] = defaultdict(list)
    for parent, page in new:
        children[parent.pk].append(page)
    parents = Page.objects.select_for_update().in_bulk(list(children))
    _check_slugs(parents, children)
    now = timezone.now()
    pages: list[Page] = []
    contents: list[dict[str, Any]] = []
    for parent_id, batch in children.items():
        parent = parents[parent_id]
        for page, path in zip(batch, _next_paths(parent, len(batch)), strict=True):
            page.path, page.depth, page.numchild = path, parent.depth + 1, 0
            page.locale_id = parent.locale_id
            page.draft_title = page.draft_title or page.title
            page.set_url_path(parent)
            page.clean_fields(exclude=_relations(page))
            contents.append(page.serializable_data())  # as ``save_revision`` reads it
            page.live, page.has_unpublished_changes, page.expired = True, False, False
            page.first_published_at = page.last_published_at = now
            page.latest_revision_created_at = now
            pages.append(page)
    _insert_pages(pages)
    added: dict[int, list[int]] = defaultdict(list)
    for parent_id, batch in children.items():
        added[len(batch)].append(parent_id)
    for count, parent_ids in added.items():
        Page.objects.filter(pk__in=parent_ids).update(numchild=F("numchild") + count)

    base_type = ContentType.objects.get_for_model(Page)
    revisions = Revision.objects.bulk_create(
        Revision(
            content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
            base_content_type=base_type,
            object_id=str(page.pk),
            created_at=now,
            user=None,
            approved_go_live_at=None,
            content={**content, "pk": page.pk, **_parent_links(page)},
            object_str=str(page),
        )
        for page, content in zip(pages, contents, strict=True)
    )
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = page.live_revision = revision
    # Each page's one revision, found by the index Wagtail keeps on (base type, object id).
    revision = Subquery(
        Revision.objects.filter(
            base_content_type=base_type, object_id=Cast(OuterRef("pk"), CharField())
        ).values("pk")[:1]
    )
    Page.objects.filter(pk__in=[page.pk for page in pages]).update(
        latest_revision=revision, live_revision=revision
    )
    _log(pages, now)
    _announce_created(pages)
    for page, revision in zip(pages, revisions, strict=True):
        page_published.send(sender=type(page), instance=page, revision=revision)
        published.send(sender=type(page), instance=page, revision=revision)


@transaction.atomic
def create_checked(objs: Sequence[models.Model]) -> None:
    """Check each new row as ``full_clean`` would (relations excepted), then insert them all.

    For models without multi-table inheritance; each row is announced by ``post_save``.
    """
    for obj in objs:
        obj.clean_fields(exclude=_relations(obj))
        obj.clean()
    if objs:
        type(objs[0])._default_manager.bulk_create(objs)
        _announce_created(objs)


def _relations(obj: models.Model) -> list[str]:
    return [field.name for field in obj._meta.concrete_fields if field.is_relation]


def _announce_created(objs: Sequence[models.Model]) -> None:
    for obj in objs:
        post_save.send(
            sender=type(obj),
            instance=obj,
            created=True,
            update_fields=None,
            raw=False,
            using=obj._state.db,
        )


def _check_slugs(parents: dict[int, Page], children: dict[int, list[Page]]) -> None:
    taken: dict[str, set[str]] = defaultdict(set)
    slugs = {page.slug for batch in children.values() for page in batch}
    depths = {parent.depth + 1 for parent in parents.values()}
    for path, slug in Page.objects.filter(depth__in=depths, slug__in=slugs).values_list(
        "path", "slug"
    ):
        taken[path[: -Page.steplen]].add(slug)
    for parent_id, batch in children.items():
        parent = parents[parent_id]
        used = taken[parent.path]
        for page in batch:
            if page.slug in used:
                raise ValidationError(
                    {
                        "slug": _(
                            "The slug '%(page_slug)s' is already in use within the parent page "
                            "at '%(parent_url_path)s'."
                        )
                        % {"page_slug": page.slug, "parent_url_path": parent.url}
                    }
                )
            used.add(page.slug)


def _next_paths(parent: Page, count: int) -> list[str]:
    """The paths of ``count`` new last children of ``parent``, as ``add_child`` gives them."""
    first = 1
    if parent.numchild:
        last = (
            Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        if last is not None:
            first = Page._str2int(last[-Page.steplen :]) + 1  # noqa: SLF001 - treebeard's
    if len(Page._int2str(first + count - 1)) > Page.steplen:  # noqa: SLF001 - treebeard's
        raise PathOverflow(f"Path Overflow from: '{parent.path}'")
    return [
        Page._get_path(parent.path, parent.depth + 1, n)  # noqa: SLF001 - treebeard's
        for n in range(first, first + count)
    ]


def _insert_pages(pages: list[Page]) -> None:
    """Insert each page's row in every table of its model's inheritance chain, in batches.

    Django's ``bulk_create`` refuses models with multi-table inheritance; this writes the
    base table first (returning the new ids where the database can) and then each
    inheriting table with the id as its parent link, as ``Model.save`` would.
    """
    by_model: dict[type[Page], list[Page]] = defaultdict(list)
    for page in pages:
        by_model[type(page)].append(page)
    for model, objs in by_model.items():
        chain = [*reversed(model._meta.get_parent_list()), model]  # Page first
        for table_model in chain:
            fields = [
                field
                for field in table_model._meta.local_concrete_fields
                if not field.generated and (table_model is not Page or not field.primary_key)
            ]
            if table_model is Page:
                _insert_returning_ids(objs, fields)
            else:
                _insert(table_model, objs, fields)
        for obj in objs:
            obj._state.adding, obj._state.db = False, connection.alias


def _insert_returning_ids(objs: list[Page], fields: list[models.Field[Any, Any]]) -> None:
    batch_size = 1
    if connection.features.can_return_rows_from_bulk_insert:
        batch_size = max(connection.ops.bulk_batch_size(fields, objs), 1)
    for start in range(0, len(objs), batch_size):
        batch = objs[start : start + batch_size]
        rows = Page._base_manager._insert(  # noqa: SLF001
            batch, fields=fields, returning_fields=[Page._meta.pk], using=connection.alias
        )
        for obj, (pk,) in zip(batch, rows, strict=True):
            _set_pk(obj, pk)


def _insert(model: type[models.Model], objs: list[Page], fields: list[Any]) -> None:
    batch_size = max(connection.ops.bulk_batch_size(fields, objs), 1)
    for start in range(0, len(objs), batch_size):
        model._base_manager._insert(  # type: ignore[attr-defined]  # noqa: SLF001
            objs[start : start + batch_size], fields=fields, using=connection.alias
        )


def _set_pk(obj: Page, pk: int) -> None:
    """The new id, on the object and on each parent link of its inheritance chain."""
    for model in [type(obj), *type(obj)._meta.get_parent_list()]:
        setattr(obj, model._meta.pk.attname, pk)


def _parent_links(page: Page) -> dict[str, Any]:
    """The parent links ``serializable_data`` wrote as None before the page had an id."""
    return {
        link.name: page.pk
        for parent, link in type(page)._meta.parents.items()
        if link is not None and link.serialize
    }


def _log(pages: list[Page], now: Any) -> None:
    """``wagtail.create`` then ``wagtail.publish`` for each page, as the two calls log them."""
    context = get_active_log_context()
    entries = []
    for page in pages:
        common = {
            "content_type": ContentType.objects.get_for_model(page, for_concrete_model=False),
            "label": page.get_admin_display_title(),
            "timestamp": now,
            "data": {},
            "user": context.user,
            "uuid": context.uuid,
            "content_changed": True,
            "page": page,
        }
        entries.append(PageLogEntry(action="wagtail.create", **common))
        entries.append(
            PageLogEntry(action="wagtail.publish", revision=page.live_revision, **common)
        )
    PageLogEntry.objects.bulk_create(entries)
