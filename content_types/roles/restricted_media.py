"""A scope's collection for files only some roles may read (a case's papers, an audit report).

It sits below the scope's own collection, so the roles of that scope choose and upload there as
anywhere in their collection; but it is restricted to the groups of ``readers`` held over the
scope (on it or on an ancestor), so ``cms.media`` serves its files to them alone, and the
choosers offer them to no one else. The readers are refreshed each time it is asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from wagtail.models import Collection, CollectionViewRestriction, Page

from .media_scope import scope_collection
from .sync import role_group_name

if TYPE_CHECKING:
    from collections.abc import Iterable


def restricted_collection(scope: Page, name: str, readers: Iterable[str]) -> Collection:
    home = scope_collection(scope)
    collection = home.get_children().filter(name=name).first()
    if collection is None:
        collection = Collection.objects.get(pk=home.pk).add_child(name=name)
    restriction, _ = CollectionViewRestriction.objects.get_or_create(
        collection=collection, defaults={"restriction_type": CollectionViewRestriction.GROUPS}
    )
    roles = list(readers)
    names = [
        role_group_name(role, page)
        for page in Page.objects.ancestor_of(scope, inclusive=True)
        for role in roles
    ]
    restriction.groups.set(Group.objects.filter(name__in=names))
    return collection
