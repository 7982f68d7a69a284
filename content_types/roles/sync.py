"""Derive Wagtail groups and page permissions from role assignments.

Each (role, scope) pair gets one group whose page permissions sit on the
scope page, so Wagtail's own permission checks (explorer, choosers, search,
edit URLs) enforce the scope without any code of ours in the way.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from .models import ROLE_PAGE_PERMISSIONS, Role, RoleAssignment

COLLECTION_PERMISSIONS = (
    ("wagtailimages", "image", ("add_image", "choose_image")),
    ("wagtaildocs", "document", ("add_document", "choose_document")),
)


def role_group_name(role: str, scope: Page) -> str:
    return f"{Role(role).label}｜{scope.title}｜#{scope.pk}"


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(
        content_type=ContentType.objects.get_for_model(Page), codename=codename
    )


@transaction.atomic
def sync_role_group(role: str, scope: Page) -> Group | None:
    """Make the group for ``role`` on ``scope`` match the assignments; drop it when unused."""
    name = role_group_name(role, scope)
    holders = RoleAssignment.objects.filter(role=role, scope=scope).values_list(
        "user_id", flat=True
    )
    if not holders:
        Group.objects.filter(name=name).delete()
        return None

    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ROLE_PAGE_PERMISSIONS[role]:
        GroupPagePermission.objects.get_or_create(
            group=group, page=scope, permission=_page_permission(codename)
        )
    root_collection = Collection.get_first_root_node()
    for app_label, model, codenames in COLLECTION_PERMISSIONS:
        content_type = ContentType.objects.get(app_label=app_label, model=model)
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=Permission.objects.get(content_type=content_type, codename=codename),
            )
    group.user_set.set(holders)
    return group
