"""Derive Wagtail groups and page permissions from role assignments.

Each (role, scope) pair gets one group whose page permissions sit on the
scope page, so Wagtail's own permission checks (explorer, choosers, search,
edit URLs) enforce the scope without any code of ours in the way.

Its image and document permissions sit on the scope's collection, which mirrors
the page tree (``media_scope``), so a role reaches its own scope's files only.

The group also carries the role's snippet permissions
(``ROLE_MODEL_PERMISSIONS``), which open the snippet menus; which rows of a
compound-owned snippet the user reaches is decided per compound by
``permissions.ScopedPermissionPolicy``.

Groups are synced in batches (``sync_role_groups``): the rows each group should
have are computed as sets and only the difference is written, a few queries for
any number of groups, so applying a street of two thousand role holders does not
cost tens of thousands of round trips. A single assignment changed in the admin
goes through the same code with a batch of one.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page

from .media_scope import scope_collections
from .models import ROLE_MODEL_PERMISSIONS, ROLE_PAGE_PERMISSIONS, Role, RoleAssignment

if TYPE_CHECKING:
    from collections.abc import Iterable

COLLECTION_PERMISSIONS = (
    ("wagtailimages", "image", ("add_image", "choose_image")),
    ("wagtaildocs", "document", ("add_document", "choose_document")),
)


def role_group_name(role: str, scope: Page) -> str:
    return f"{Role(role).label}｜{scope.title}｜#{scope.pk}"


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


def _page_permission_ids(codenames: Iterable[str]) -> dict[str, int]:
    wanted = set(codenames)
    found = dict(
        Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(Page), codename__in=wanted
        ).values_list("codename", "pk")
    )
    if len(found) != len(wanted):
        raise Permission.DoesNotExist(f"Missing page permissions: {sorted(wanted - set(found))}")
    return found


def _collection_permission_ids() -> list[int]:
    condition = Q()
    for app_label, _, codenames in COLLECTION_PERMISSIONS:
        condition |= Q(content_type__app_label=app_label, codename__in=codenames)
    ids = list(Permission.objects.filter(condition).values_list("pk", flat=True))
    if len(ids) != sum(len(codenames) for _, _, codenames in COLLECTION_PERMISSIONS):
        raise ImproperlyConfigured(f"Missing collection permissions: {COLLECTION_PERMISSIONS}")
    return ids


@transaction.atomic
def sync_role_group(role: str, scope: Page) -> Group | None:
    """Make the group for ``role`` on ``scope`` match the assignments; drop it when unused."""
    return sync_role_groups([(role, scope.pk)]).get((role, scope.pk))


@transaction.atomic
def sync_role_groups(pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Group | None]:
    """Make the group of each (role, scope id) match the assignments; drop the unused ones.

    Each group ends up with: its holders as members and no one else; ``access_admin``
    and the role's snippet permissions, and none of the other permissions of the models
    ``ROLE_MODEL_PERMISSIONS`` manages (any other permission given by hand is left alone);
    the role's page permissions on the scope page; adding and choosing images and
    documents in the scope's collection (``media_scope``), and in no other collection.
    Pairs whose scope page no longer exists are skipped. Returns the group of each synced
    pair, None where it was dropped.
    """
    wanted_pairs = set(pairs)
    scopes = Page.objects.only("pk", "title").in_bulk({scope_id for _, scope_id in wanted_pairs})
    wanted_pairs = {(role, scope_id) for role, scope_id in wanted_pairs if scope_id in scopes}
    if not wanted_pairs:
        return {}
    names = {pair: role_group_name(pair[0], scopes[pair[1]]) for pair in wanted_pairs}

    holders: dict[tuple[str, int], set[int]] = defaultdict(set)
    for role, scope_id, user_id in RoleAssignment.objects.filter(
        scope_id__in={scope_id for _, scope_id in wanted_pairs},
        role__in={role for role, _ in wanted_pairs},
    ).values_list("role", "scope_id", "user_id"):
        if (role, scope_id) in wanted_pairs:
            holders[role, scope_id].add(user_id)

    result: dict[tuple[str, int], Group | None] = {}
    unused = [pair for pair in wanted_pairs if not holders[pair]]
    if unused:
        Group.objects.filter(name__in=[names[pair] for pair in unused]).delete()
        result.update(dict.fromkeys(unused, None))
    used = sorted(pair for pair in wanted_pairs if holders[pair])
    if not used:
        return result
    groups = _get_or_create_groups([names[pair] for pair in used])
    group_of = {pair: groups[names[pair]] for pair in used}
    result.update(group_of)

    _sync_permissions(group_of)
    _sync_page_permissions(group_of)
    _sync_collection_permissions(group_of)
    _sync_members(group_of, holders)
    return result


def _get_or_create_groups(names: list[str]) -> dict[str, Group]:
    groups = {group.name: group for group in Group.objects.filter(name__in=names)}
    missing = [name for name in names if name not in groups]
    if missing:
        created = Group.objects.bulk_create(Group(name=name) for name in missing)
        if any(group.pk is None for group in created):  # backends that return no ids
            created = list(Group.objects.filter(name__in=missing))
        groups.update((group.name, group) for group in created)
    return groups


def _sync_permissions(group_of: dict[tuple[str, int], Group]) -> None:
    """Add access_admin and the role's snippet permissions; remove the rest of the table's."""
    through = Group.permissions.through
    access_admin = Permission.objects.get(codename="access_admin").pk
    by_role = {role: _model_permissions(role) for role in {role for role, _ in group_of}}
    have: dict[int, dict[int, int]] = defaultdict(dict)
    for pk, group_id, permission_id in through.objects.filter(
        group_id__in=[group.pk for group in group_of.values()]
    ).values_list("pk", "group_id", "permission_id"):
        have[group_id][permission_id] = pk
    to_add: list[Any] = []
    to_remove: list[int] = []
    for (role, _), group in group_of.items():
        granted, managed = by_role[role]
        granted_ids = {perm.pk for perm in granted}
        current = have[group.pk]
        to_remove += [
            current[perm.pk]
            for perm in managed
            if perm.pk not in granted_ids and perm.pk in current
        ]
        to_add += [
            through(group_id=group.pk, permission_id=permission_id)
            for permission_id in sorted({access_admin, *granted_ids} - set(current))
        ]
    if to_remove:
        through.objects.filter(pk__in=to_remove).delete()
    through.objects.bulk_create(to_add)


def _sync_page_permissions(group_of: dict[tuple[str, int], Group]) -> None:
    codenames = {code for role, _ in group_of for code in ROLE_PAGE_PERMISSIONS[role]}
    permission_ids = _page_permission_ids(codenames)
    have = set(
        GroupPagePermission.objects.filter(
            group_id__in=[group.pk for group in group_of.values()]
        ).values_list("group_id", "page_id", "permission_id")
    )
    GroupPagePermission.objects.bulk_create(
        GroupPagePermission(group_id=group_id, page_id=page_id, permission_id=permission_id)
        for group_id, page_id, permission_id in sorted(
            {
                (group.pk, scope_id, permission_ids[codename])
                for (role, scope_id), group in group_of.items()
                for codename in ROLE_PAGE_PERMISSIONS[role]
            }
            - have
        )
    )


def _sync_collection_permissions(group_of: dict[tuple[str, int], Group]) -> None:
    """Image and document permissions on the scope's collection, and on no other collection."""
    collection_of = scope_collections({scope_id for _, scope_id in group_of})
    permission_ids = _collection_permission_ids()
    have = {
        (group_id, collection_id, permission_id): pk
        for pk, group_id, collection_id, permission_id in GroupCollectionPermission.objects.filter(
            group_id__in=[group.pk for group in group_of.values()],
            permission_id__in=permission_ids,
        ).values_list("pk", "group_id", "collection_id", "permission_id")
    }
    wanted = {
        (group.pk, collection_of[scope_id].pk, permission_id)
        for (_, scope_id), group in group_of.items()
        for permission_id in permission_ids
    }
    stale = [pk for row, pk in have.items() if row not in wanted]
    if stale:
        GroupCollectionPermission.objects.filter(pk__in=stale).delete()
    GroupCollectionPermission.objects.bulk_create(
        GroupCollectionPermission(
            group_id=group_id, collection_id=collection_id, permission_id=permission_id
        )
        for group_id, collection_id, permission_id in sorted(wanted - set(have))
    )


def _sync_members(
    group_of: dict[tuple[str, int], Group], holders: dict[tuple[str, int], set[int]]
) -> None:
    """Each group's members become exactly its holders, as ``user_set.set`` would leave them."""
    through = Group.user_set.through
    have: dict[int, dict[int, int]] = defaultdict(dict)
    for pk, group_id, user_id in through.objects.filter(
        group_id__in=[group.pk for group in group_of.values()]
    ).values_list("pk", "group_id", "user_id"):
        have[group_id][user_id] = pk
    to_remove: list[int] = []
    to_add: list[Any] = []
    for pair, group in group_of.items():
        current = have[group.pk]
        to_remove += [pk for user_id, pk in current.items() if user_id not in holders[pair]]
        to_add += [
            through(group_id=group.pk, user_id=user_id)
            for user_id in sorted(holders[pair] - set(current))
        ]
    if to_remove:
        through.objects.filter(pk__in=to_remove).delete()
    through.objects.bulk_create(to_add)
