"""Derive Wagtail groups and page permissions from role assignments.

Each (role, scope) pair gets one group whose page permissions sit on the
scope page, so Wagtail's own permission checks (explorer, choosers, search,
edit URLs) enforce the scope without any code of ours in the way.

The group also carries the role's snippet permissions
(``ROLE_MODEL_PERMISSIONS``), which open the snippet menus; which rows of a
compound-owned snippet the user reaches is decided per compound by
``permissions.CompoundScopedPermissionPolicy``.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from .models import ROLE_MODEL_PERMISSIONS, ROLE_PAGE_PERMISSIONS, Role, RoleAssignment

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


def _model_permissions(role: str) -> tuple[list[Permission], list[Permission]]:
    """The role's snippet permissions, and every permission of the models the table manages."""
    content_types = ContentType.objects.get_for_models(
        *(
            apps.get_model(label)
            for label in {label for table in ROLE_MODEL_PERMISSIONS.values() for label in table}
        )
    )
    managed = list(Permission.objects.filter(content_type__in=content_types.values()))
    wanted = {
        (content_types[model].pk, get_permission_codename(action, model._meta))
        for model in content_types
        for action in ROLE_MODEL_PERMISSIONS[role].get(model._meta.label_lower, ())
    }
    granted = [perm for perm in managed if (perm.content_type_id, perm.codename) in wanted]
    if len(granted) != len(wanted):
        missing = wanted - {(perm.content_type_id, perm.codename) for perm in granted}
        raise ImproperlyConfigured(f"Missing permissions for {role}: {sorted(missing)}")
    return granted, managed


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
    granted, managed = _model_permissions(role)
    group.permissions.remove(*(perm for perm in managed if perm not in granted))
    group.permissions.add(*granted)
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
