"""Where a case's photos and documents are kept: a collection under view restriction.

Each compound or community has one, "诉求与事件材料", below its own collection, so the roles of
that scope choose and upload there as anywhere in their collection; but it is restricted to the
groups of the roles that handle cases over the scope (its own, its community's, its street's),
so ``cms.media`` serves its files to them alone, and the choosers offer them to no one else.
The readers are refreshed whenever the collection is asked for (opening the filing form).
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from wagtail.models import Collection, CollectionViewRestriction, Page

from content_types.roles.media_scope import scope_collection
from content_types.roles.models import Role
from content_types.roles.sync import role_group_name

CASE_COLLECTION_NAME = "诉求与事件材料"


def case_collection(scope: Page) -> Collection:
    home = scope_collection(scope)
    collection = home.get_children().filter(name=CASE_COLLECTION_NAME).first()
    if collection is None:
        collection = Collection.objects.get(pk=home.pk).add_child(name=CASE_COLLECTION_NAME)
    restriction, _ = CollectionViewRestriction.objects.get_or_create(
        collection=collection, defaults={"restriction_type": CollectionViewRestriction.GROUPS}
    )
    names = [
        role_group_name(role, page)
        for page in Page.objects.ancestor_of(scope, inclusive=True)
        for role in Role.CASE_HANDLERS
    ]
    restriction.groups.set(Group.objects.filter(name__in=names))
    return collection
