"""The responsible offices (责任单位) as the task list sees them: their accounts and files.

The offices themselves are the site configuration's (``site_config.Office``, read here
through the task's relation, as this layer does not import that one). An office's users
are in one Wagtail group per office, which lets them into the admin and reads the
evidence they upload; the evidence of each office, and of each community for the tasks
done community by community, is kept in a collection of its own under the street's,
restricted to that office (or community office) and the street office, like the case
files (``content_types.cases.media``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, CollectionViewRestriction, Page

from content_types.roles.media_scope import scope_collection
from content_types.roles.models import Role
from content_types.roles.sync import role_group_name

from .models import GovernanceTask

if TYPE_CHECKING:
    from django.db.models import Model

EVIDENCE_COLLECTION_NAME = "年度任务佐证材料"


def office_model() -> type[Model]:
    """``site_config.Office``, reached through the task's relation to it."""
    return GovernanceTask._meta.get_field("offices").related_model  # type: ignore[return-value]


def office_group_name(office: Any) -> str:
    return f"责任单位｜{office.name}｜#{office.pk}"


def sync_office_group(office: Any) -> Group:
    """The office's group: its users as members and no one else, and access to the admin."""
    group, _ = Group.objects.get_or_create(name=office_group_name(office))
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    group.user_set.set(office.users.all())
    return group


def evidence_collection(street: Page, owner: Any) -> Collection:
    """Where the evidence of ``owner`` (an office, or a community page) is kept, restricted.

    Readers: the owner (the office's group, or the community's 社区微治办) and the street
    office; refreshed whenever the collection is asked for (posting an update).
    """
    home = scope_collection(street)
    parent = home.get_children().filter(name=EVIDENCE_COLLECTION_NAME).first()
    if parent is None:
        parent = Collection.objects.get(pk=home.pk).add_child(name=EVIDENCE_COLLECTION_NAME)
    name = owner.title if isinstance(owner, Page) else owner.name
    collection = parent.get_children().filter(name=name).first()
    if collection is None:
        collection = Collection.objects.get(pk=parent.pk).add_child(name=name)
    readers = [role_group_name(Role.STREET_OFFICE, street)]
    groups = list(Group.objects.filter(name__in=readers))
    if isinstance(owner, Page):
        groups += Group.objects.filter(name=role_group_name(Role.COMMUNITY_OFFICE, owner))
    else:
        groups.append(sync_office_group(owner))
    # Restrictions reach down the tree, so only the owner's own collection carries one.
    restriction, _ = CollectionViewRestriction.objects.get_or_create(
        collection=collection, defaults={"restriction_type": CollectionViewRestriction.GROUPS}
    )
    restriction.groups.set(groups)
    return collection
