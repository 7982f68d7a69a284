"""The street, communities and compounds (pages), their collections, the default site."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wagtail.models import Collection, Page, Site

from content_types.roles.media_scope import make_scope_collections
from content_types.roles.models import RoleAssignment
from content_types.structure.models import CommunityPage, CompoundPage, StreetPage
from site_config.batch import add_published_pages
from site_config.models import ManagedObject

if TYPE_CHECKING:
    from site_config.plan import Change

    from .context import Context

PAGE_MODELS: dict[str, type[Page]] = {
    "street": StreetPage,
    "community": CommunityPage,
    "compound": CompoundPage,
}


def _page_fields(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    if kind == "street":
        return {"title": values["title"], "region": values["region"]}
    if kind == "community":
        return {
            "title": values["title"],
            "address": values["address"],
            "office_phone": values["office_phone"],
        }
    return {
        "title": values["title"],
        "address": values["address"],
        "household_count": values["households"],
        "total_exclusive_area": values["total_area"],
    }


def _parent(kind: str, values: dict[str, Any], context: Context) -> Page:
    if kind == "street":
        return Page.get_first_root_node()
    if kind == "community":
        return context.pages[values["street"]]
    return context.pages[values["community"]]


def create_page(change: Change, context: Context) -> None:
    """Queued: the pages of one level are added together when the level ends (``batch``)."""
    model = PAGE_MODELS[change.kind]
    page = model(slug=change.key, **_page_fields(change.kind, change.values))
    context.new_pages.append((change.kind, _parent(change.kind, change.values, context), page))


def save_new_pages(context: Context) -> None:
    add_published_pages([(parent, page) for _, parent, page in context.new_pages])
    for kind, _, page in context.new_pages:
        context.pages[page.slug] = page
        context.mark(kind, page.slug, page)
    context.new_pages = []


def update_page(change: Change, context: Context) -> None:
    page = context.pages[change.key].specific
    moved = {"street", "community"} & set(change.changed)
    if moved:
        page.move(_parent(change.kind, change.values, context), pos="last-child")
        page = Page.objects.get(pk=page.pk).specific
    if set(change.changed) - moved:
        for name, value in _page_fields(change.kind, change.values).items():
            setattr(page, name, value)
        page.save_revision(clean=False).publish()
    elif not page.live:
        page.save_revision(clean=False).publish()
    context.pages[change.key] = page
    if change.adopt:
        context.mark(change.kind, change.key, page)


def remove_page(change: Change, context: Context) -> None:
    page = context.current.objects[change.kind][change.key]
    ManagedObject.objects.filter(kind=change.kind, key=change.key).delete()
    if not change.blocker:
        page.delete()
        return
    # Content is taken offline and kept; the people lose the scope.
    Page.objects.descendant_of(page, inclusive=True).live().unpublish()
    for assignment in RoleAssignment.objects.filter(
        scope__in=Page.objects.descendant_of(page, inclusive=True)
    ):
        context.groups_to_sync.add((assignment.role, assignment.scope_id))
        assignment.delete()


def _parent_collection(change: Change, context: Context) -> Collection:
    parent = change.values["parent"]
    return context.collections[parent] if parent else Collection.get_first_root_node()


def create_collection(change: Change, context: Context) -> None:
    """Queued: the collections are made together when the kind ends (``save_new_collections``)."""
    context.new_collections.append(change)


def save_new_collections(context: Context) -> None:
    """Make the queued collections level by level, each level in one batch, parents first."""
    pending = context.new_collections
    while pending:
        ready = [
            change
            for change in pending
            if not change.values["parent"] or change.values["parent"] in context.collections
        ]
        if not ready:
            raise RuntimeError(f"集合的上级不存在：{sorted(c.key for c in pending)}")
        made = make_scope_collections(
            [(context.pages[change.key], _parent_collection(change, context)) for change in ready]
        )
        for change, collection in zip(ready, made, strict=True):
            context.collections[change.key] = collection
            context.new_collection_scopes.append(context.pages[change.key].pk)
            context.mark("collection", change.key, collection)
        pending = [change for change in pending if change.key not in context.collections]
    context.new_collections = []


def update_collection(change: Change, context: Context) -> None:
    collection = Collection.objects.get(pk=context.collections[change.key].pk)
    if "name" in change.changed:
        collection.name = change.values["name"]
        collection.save(update_fields=["name"])
    if "parent" in change.changed:
        parent = Collection.objects.get(pk=_parent_collection(change, context).pk)
        collection.move(parent, pos="sorted-child")
    context.collections[change.key] = collection
    if change.adopt:
        context.mark("collection", change.key, collection)


def remove_collection(change: Change, context: Context) -> None:
    """An empty collection goes; one that holds files stays, with them, as content does."""
    ManagedObject.objects.filter(kind="collection", key=change.key).delete()
    if change.blocker:
        return
    # An ancestor removed earlier in this run took it along.
    left = Collection.objects.filter(pk=context.current.objects["collection"][change.key].pk)
    for collection in left:
        collection.delete()


def point_default_site_at(context: Context) -> None:
    street = context.pages.get(context.config.street.slug)
    if street is None:
        return
    site = Site.objects.filter(is_default_site=True).first()
    name = context.config.street.title
    if site is None:
        Site.objects.create(
            hostname="localhost", root_page=street, is_default_site=True, site_name=name
        )
        return
    if site.root_page_id == street.pk and site.site_name == name:
        return
    previous = site.root_page
    site.root_page, site.site_name = street, name
    site.save()
    # Wagtail's placeholder welcome page, left over from its initial migration.
    if previous.pk != street.pk and previous.depth == 2 and not previous.get_children().exists():
        previous.delete()
