"""Users and the roles they hold on which scope, and the street-wide policies (one row each)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model

from content_types.accounts.models import SecurityPolicy, require_change_of_first_password
from content_types.governance_tasks.offices import sync_office_group
from content_types.roles.models import RoleAssignment
from site_config.models import ManagedObject, Office
from workflows.voting.models import VotingPolicy

if TYPE_CHECKING:
    from site_config.plan import Change

    from .context import Context


def _user_fields(user: Any, values: dict[str, Any]) -> None:
    user.first_name = values["name"]
    user.email = values["email"]
    user.is_superuser = values["superuser"]
    user.is_staff = values["superuser"]
    user.is_active = values["active"]


def create_user(change: Change, context: Context) -> None:
    user = get_user_model()(username=change.key)
    _user_fields(user, change.values)
    declared = context.declared_users[change.key]
    if declared.password_env:
        user.set_password(os.environ[declared.password_env])
    elif declared.password:
        user.set_password(declared.password)
    else:
        user.set_unusable_password()
    context.new_users.append(user)


def save_new_users(context: Context) -> None:
    created = get_user_model().objects.bulk_create(context.new_users)
    if any(user.pk is None for user in created):  # backends that return no ids
        names = [user.username for user in created]
        created = list(get_user_model().objects.filter(username__in=names))
    for user in created:
        context.users[user.username] = user
        context.mark("user", user.username, user)
    require_change_of_first_password(created)
    context.new_users = []


def update_user(change: Change, context: Context) -> None:
    user = context.users[change.key]
    if change.changed:
        _user_fields(user, change.values)
        user.save()
    if change.adopt:
        context.mark("user", change.key, user)


def remove_user(change: Change, context: Context) -> None:
    """People are deactivated, not deleted: their name stays on what they wrote and reviewed."""
    user = context.current.objects["user"][change.key]
    ManagedObject.objects.filter(kind="user", key=change.key).delete()
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])


def create_role(change: Change, context: Context) -> None:
    username, role, scope = change.key.split("/")
    page = context.pages[scope]
    context.new_roles.append(
        RoleAssignment(user=context.users[username], role=role, scope=page, managed_by_config=True)
    )
    context.groups_to_sync.add((role, page.pk))


def update_role(change: Change, context: Context) -> None:
    RoleAssignment.objects.filter(pk=context.current.objects["role"][change.key].pk).update(
        managed_by_config=True
    )


def remove_role(change: Change, context: Context) -> None:
    assignment = context.current.objects["role"][change.key]
    RoleAssignment.objects.filter(pk=assignment.pk).delete()
    context.groups_to_sync.add((assignment.role, assignment.scope_id))


def _office_of(key: str, context: Context) -> tuple[Any, Office]:
    username, code = key.split("/")
    return context.users[username], Office.objects.get(code=code)


def create_office_member(change: Change, context: Context) -> None:
    """An office's account: a member of the office and of its group (admin access)."""
    user, office = _office_of(change.key, context)
    office.users.add(user)
    sync_office_group(office)


def remove_office_member(change: Change, context: Context) -> None:
    user_id, office_id = context.current.objects["office_member"][change.key]
    office = Office.objects.get(pk=office_id)
    office.users.remove(user_id)
    sync_office_group(office)


def save_voting(change: Change, context: Context) -> None:
    policy = VotingPolicy.current()
    policy.public_turnout = change.values["public_turnout"]
    policy.seat_order = change.values["seat_order"]
    policy.save()


def save_security(change: Change, context: Context) -> None:
    policy = SecurityPolicy.current()
    policy.two_factor_roles = change.values["two_factor_roles"]
    policy.save()
