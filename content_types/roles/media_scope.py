"""The collection of each scope page, where its roles choose and add images and documents.

Collections mirror the page tree: the street's under Wagtail's root collection, a community's
under its street's, a compound's under its community's. ``site_config`` makes and keeps them for
the pages it manages; a scope page made another way gets its collection when a role on it is
first synced, so no role is ever granted on the root collection.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save
from wagtail.models import Collection, Page

from .models import SCOPE_PAGE_MODELS, ScopeCollection

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence


def make_scope_collection(scope: Page, parent: Collection) -> Collection:
    # Collections are kept sorted by name, so an insertion may shift the paths of a parent's
    # other children: the parent is read afresh rather than trusted from memory.
    collection = Collection.objects.get(pk=parent.pk).add_child(name=scope.title)
    ScopeCollection.objects.create(scope=scope, collection=collection)
    return collection


@transaction.atomic
def make_scope_collections(scopes: Sequence[tuple[Page, Collection]]) -> list[Collection]:
    """``make_scope_collection`` for each (scope, parent collection), in a few queries for the lot.

    A district's file makes two thousand collections; one by one, a sorted insertion shifts
    its siblings and costs a dozen queries. Under a parent without children yet, the new
    collections are written together and then placed in the order the database sorts their
    names (ties in the order given), as adding them one by one would place them; under a
    parent that has children, each is added on its own. A parent must already be saved.
    """
    parents = Collection.objects.select_for_update().in_bulk({parent.pk for _, parent in scopes})
    made: dict[int, Collection] = {}
    batched: dict[int, list[tuple[Page, Collection]]] = defaultdict(list)
    for scope, parent in scopes:
        if parents[parent.pk].is_leaf():
            batched[parent.pk].append((scope, Collection(name=scope.title)))
        else:
            made[scope.pk] = make_scope_collection(scope, parent)
    # First after every final place (so no path is taken twice), then each in its final one.
    for parent_id, batch in batched.items():
        parent = parents[parent_id]
        for n, (_, collection) in enumerate(batch, start=len(batch) + 1):
            collection.depth, collection.numchild = parent.depth + 1, 0
            collection.path = Collection._get_path(  # noqa: SLF001 - treebeard's
                parent.path, parent.depth + 1, n
            )
    new = [collection for batch in batched.values() for _, collection in batch]
    Collection.objects.bulk_create(new)
    if any(collection.pk is None for collection in new):  # backends that return no ids
        ids = dict(
            Collection.objects.filter(path__in=[c.path for c in new]).values_list("path", "pk")
        )
        for collection in new:
            collection.pk = ids[collection.path]
    order = {
        pk: n
        for n, pk in enumerate(
            Collection.objects.filter(pk__in=[c.pk for c in new])
            .order_by("name", "pk")
            .values_list("pk", flat=True)
        )
    }
    for parent_id, batch in batched.items():
        parent = parents[parent_id]
        placed = sorted((collection for _, collection in batch), key=lambda c: order[c.pk])
        for n, collection in enumerate(placed, start=1):
            collection.path = Collection._get_path(  # noqa: SLF001 - treebeard's
                parent.path, parent.depth + 1, n
            )
    Collection.objects.bulk_update(new, ["path"], batch_size=500)
    added: dict[int, list[int]] = defaultdict(list)
    for parent_id, batch in batched.items():
        added[len(batch)].append(parent_id)
    for count, parent_ids in added.items():
        Collection.objects.filter(pk__in=parent_ids).update(numchild=F("numchild") + count)
    ScopeCollection.objects.bulk_create(
        ScopeCollection(scope=scope, collection=collection)
        for batch in batched.values()
        for scope, collection in batch
    )
    for collection in new:
        post_save.send(
            sender=Collection,
            instance=collection,
            created=True,
            update_fields=None,
            raw=False,
            using=collection._state.db,
        )
    made.update((scope.pk, collection) for batch in batched.values() for scope, collection in batch)
    return [made[scope.pk] for scope, _ in scopes]


def scope_collections(scope_ids: Iterable[int]) -> dict[int, Collection]:
    """The collection of each page in ``scope_ids``, made (with its ancestors') where missing.

    One query when every scope already has its collection, as after ``site_config`` applied.
    """
    wanted = set(scope_ids)
    found = {
        link.scope_id: link.collection
        for link in ScopeCollection.objects.filter(scope_id__in=wanted).select_related("collection")
    }
    for page in Page.objects.filter(pk__in=wanted - set(found)).order_by("path"):
        parent = (
            Page.objects.ancestor_of(page)
            .filter(
                content_type__app_label="structure",
                content_type__model__in=SCOPE_PAGE_MODELS.values(),
            )
            .order_by("-depth")
            .first()
        )
        parent_collection = (
            scope_collection(parent) if parent is not None else Collection.get_first_root_node()
        )
        found[page.pk] = make_scope_collection(page, parent_collection)
    return found


def scope_collection(scope: Page) -> Collection:
    return scope_collections([scope.pk])[scope.pk]
