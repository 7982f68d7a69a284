"""The collection of each scope page, where its roles choose and add images and documents.

Collections mirror the page tree: the street's under Wagtail's root collection, a community's
under its street's, a compound's under its community's. ``site_config`` makes and keeps them for
the pages it manages; a scope page made another way gets its collection when a role on it is
first synced, so no role is ever granted on the root collection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wagtail.models import Collection, Page

from .models import SCOPE_PAGE_MODELS, ScopeCollection

if TYPE_CHECKING:
    from collections.abc import Iterable


def make_scope_collection(scope: Page, parent: Collection) -> Collection:
    # Collections are kept sorted by name, so an insertion may shift the paths of a parent's
    # other children: the parent is read afresh rather than trusted from memory.
    collection = Collection.objects.get(pk=parent.pk).add_child(name=scope.title)
    ScopeCollection.objects.create(scope=scope, collection=collection)
    return collection


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
