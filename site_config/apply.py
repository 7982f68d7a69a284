"""Carry out a plan in one transaction: all of it, or (on any problem) none of it.

Creation runs in ``KINDS`` order (the street before its communities, users
before their roles, steps before chains), removal backwards. Derived Wagtail
groups are synced once, in one batch, for every (role, scope) touched, and
Wagtail's search and reference indexes are updated once per saved object at
the end (``search_index``) rather than on every save.
"""

from __future__ import annotations

import os
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.db import transaction

from content_types.accounts.audit import record_role_changes
from content_types.roles.models import RoleAssignment
from content_types.roles.sync import sync_role_groups

from . import disclosure_kinds
from .database_state import current_state
from .handlers import CREATE, REMOVE, UPDATE
from .handlers.context import Context
from .handlers.organisations import save_new_committees
from .handlers.people import save_new_users
from .handlers.structure import point_default_site_at, save_new_collections, save_new_pages
from .models import ConfigVersion, ManagedObject
from .plan import Change, Plan, make_plan
from .search_index import indexing_deferred
from .state import KINDS, State, desired_state
from .validation import ConfigError, load_config, load_config_source
from .yaml_source import Problem

if TYPE_CHECKING:
    from pathlib import Path

    from .schema import SiteConfig


class RemovalRefused(Exception):
    """Removal of rows that still have content or people, without ``--allow-delete``."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        super().__init__(plan.report())


def plan_file(path: Path | str, allow_delete: bool = False) -> tuple[SiteConfig, Plan]:
    config = load_config(path)
    return config, plan_config(config, allow_delete)


def plan_config(
    config: SiteConfig, allow_delete: bool = False, current: State | None = None
) -> Plan:
    plan = make_plan(desired_state(config), current or current_state(), allow_delete)
    _check_new_passwords(config, plan)
    disclosure_kinds.add_change_blockers(plan, config)
    return plan


def _check_new_passwords(config: SiteConfig, plan: Plan) -> None:
    """A new user whose first password comes from the environment needs that variable set."""
    new = {
        change.key for change in plan.changes if change.kind == "user" and change.action == "create"
    }
    problems = [
        Problem(
            ("users", index, "password_env"),
            f"新建用户“{user.username}”的初始密码取自环境变量 {user.password_env}，但它没有设置。",
        )
        for index, user in enumerate(config.users)
        if user.username in new and user.password_env and not os.environ.get(user.password_env)
    ]
    if problems:
        raise ConfigError(problems)


@transaction.atomic
def apply_file(path: Path | str, allow_delete: bool = False, user: Any = None) -> Plan:
    """Apply the file at ``path`` and keep it as a version (from the command line); on
    ``ConfigError`` or ``RemovalRefused`` nothing has changed."""
    config, source = load_config_source(path)
    plan = apply_config(config, allow_delete)
    ConfigVersion.objects.record_applied(
        source.texts, PurePath(path).name, plan, ConfigVersion.Origin.COMMAND_LINE, user
    )
    return plan


@transaction.atomic
def apply_config(config: SiteConfig, allow_delete: bool = False) -> Plan:
    current = current_state()
    plan = plan_config(config, allow_delete, current)
    if plan.refused:
        raise RemovalRefused(plan)
    if plan.is_empty:
        return plan
    with indexing_deferred():
        _carry_out(plan, config, current)
    return plan


def _save_new(context: Context) -> None:
    """Write what the create handlers of one kind queued, each kind of row in one batch."""
    if context.new_pages:
        save_new_pages(context)
    if context.new_collections:
        save_new_collections(context)
    if context.new_committees:
        save_new_committees(context)
    if context.new_users:
        save_new_users(context)
    if context.new_roles:
        RoleAssignment.objects.bulk_create(context.new_roles)
        record_role_changes(context.new_roles, True)  # bulk_create sends no post_save
        context.new_roles = []


def _carry_out(plan: Plan, config: SiteConfig, current: State) -> None:
    context = Context(config, current)
    for kind in ("street", "community", "compound"):
        context.pages.update(current.objects[kind])
    context.collections.update(current.objects["collection"])
    context.users.update(current.objects["user"])
    context.tasks.update(current.objects["task"])

    by_kind: dict[str, list[Change]] = {kind: [] for kind in KINDS}
    for change in plan.changes:
        by_kind[change.kind].append(change)
    for kind in KINDS:
        # New rows of a kind are written together, before the kind's updates, which may
        # need them (a compound's collection moved into a new community's).
        for change in by_kind[kind]:
            if change.action == "create":
                CREATE[kind](change, context)
        _save_new(context)
        for change in by_kind[kind]:
            if change.action == "update":
                UPDATE[kind](change, context)
    for kind in reversed(KINDS):
        for change in by_kind[kind]:
            if change.action == "remove":
                REMOVE[kind](change, context)
    remade = [mark.key for mark in context.marks if mark.kind == "collection"]
    if remade:  # the marks of collections deleted in the admin outlive them
        ManagedObject.objects.filter(kind="collection", key__in=remade).delete()
    ManagedObject.objects.bulk_create(context.marks)
    if context.new_collection_scopes:
        # Roles held before their scope had a collection (granted on the root collection by
        # older versions) move onto it.
        context.groups_to_sync.update(
            RoleAssignment.objects.filter(scope_id__in=context.new_collection_scopes)
            .values_list("role", "scope_id")
            .distinct()
        )
    sync_role_groups(context.groups_to_sync)
    point_default_site_at(context)
