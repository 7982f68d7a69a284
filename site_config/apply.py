"""Carry out a plan in one transaction: all of it, or (on any problem) none of it.

Creation runs in ``KINDS`` order (the street before its communities, users
before their roles, steps before chains), removal backwards. Derived Wagtail
groups are synced once, in one batch, for every (role, scope) touched, and
Wagtail's search and reference indexes are updated once per saved object at
the end (``search_index``) rather than on every save.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    Page,
    Site,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from api.models import Screen
from content_types.accounts.audit import record_role_changes
from content_types.accounts.models import SecurityPolicy, require_change_of_first_password
from content_types.committees.models import OwnersCommittee
from content_types.firms.models import PropertyFirm
from content_types.governance_tasks.models import LONG_TERM_LABEL, GovernanceTask, TaskStatus
from content_types.roles.media_scope import make_scope_collection
from content_types.roles.models import RoleAssignment
from content_types.roles.sync import sync_role_groups
from content_types.structure.models import CommunityPage, CompoundPage, StreetPage

from .models import CoordinationOffice, DisclosureSchedule, ManagedObject, Office, WorkingGroup
from .plan import Change, Plan, make_plan
from .schema import SiteConfig
from .search_index import indexing_deferred
from .state import KINDS, State, current_state, desired_state
from .task_types import TASK_TYPES, chain_rule_model
from .validation import ConfigError, load_config
from .yaml_source import Problem

PAGE_MODELS: dict[str, type[Page]] = {
    "street": StreetPage,
    "community": CommunityPage,
    "compound": CompoundPage,
}


class RemovalRefused(Exception):
    """Removal of rows that still have content or people, without ``--allow-delete``."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        super().__init__(plan.report())


@dataclass
class Context:
    config: SiteConfig
    current: State
    pages: dict[str, Page] = field(default_factory=dict)
    collections: dict[str, Collection] = field(default_factory=dict)
    new_collection_scopes: list[int] = field(default_factory=list)
    users: dict[str, Any] = field(default_factory=dict)
    tasks: dict[str, Any] = field(default_factory=dict)
    groups_to_sync: set[tuple[str, int]] = field(default_factory=set)
    new_roles: list[RoleAssignment] = field(default_factory=list)
    new_users: list[Any] = field(default_factory=list)
    marks: list[ManagedObject] = field(default_factory=list)
    declared_users: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        # Looked up once per new user: a scan of the list each time is quadratic.
        self.declared_users = {user.username: user for user in self.config.users}

    def mark(self, kind: str, key: str, obj: Any) -> None:
        self.marks.append(
            ManagedObject(
                content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
                object_id=str(obj.pk),
                kind=kind,
                key=key,
            )
        )


def plan_file(path: Path | str, allow_delete: bool = False) -> tuple[SiteConfig, Plan]:
    config = load_config(path)
    plan = make_plan(desired_state(config), current_state(), allow_delete)
    _check_new_passwords(config, plan)
    return config, plan


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
def apply_file(path: Path | str, allow_delete: bool = False) -> Plan:
    """Apply the file at ``path``; on ``ConfigError`` or ``RemovalRefused`` nothing has changed."""
    config = load_config(path)
    return apply_config(config, allow_delete)


@transaction.atomic
def apply_config(config: SiteConfig, allow_delete: bool = False) -> Plan:
    current = current_state()
    plan = make_plan(desired_state(config), current, allow_delete)
    _check_new_passwords(config, plan)
    if plan.refused:
        raise RemovalRefused(plan)
    if plan.is_empty:
        return plan
    with indexing_deferred():
        _carry_out(plan, config, current)
    return plan


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
        for change in by_kind[kind]:
            if change.action == "create":
                CREATE[kind](change, context)
            elif change.action == "update":
                UPDATE[kind](change, context)
        if kind == "user" and context.new_users:
            _save_new_users(context)
        if kind == "role" and context.new_roles:
            RoleAssignment.objects.bulk_create(context.new_roles)
            record_role_changes(context.new_roles, True)  # bulk_create sends no post_save
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
    _point_default_site_at(context)


# Pages ---------------------------------------------------------------------------------------


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


def _create_page(change: Change, context: Context) -> None:
    model = PAGE_MODELS[change.kind]
    page = model(slug=change.key, **_page_fields(change.kind, change.values))
    _parent(change.kind, change.values, context).add_child(instance=page)
    page.save_revision(clean=False).publish()
    context.pages[change.key] = page
    context.mark(change.kind, change.key, page)


def _update_page(change: Change, context: Context) -> None:
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


def _remove_page(change: Change, context: Context) -> None:
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


# Collections: one per scope page, mirroring the tree (``content_types.roles.media_scope``) --


def _parent_collection(change: Change, context: Context) -> Collection:
    parent = change.values["parent"]
    return context.collections[parent] if parent else Collection.get_first_root_node()


def _create_collection(change: Change, context: Context) -> None:
    scope = context.pages[change.key]
    collection = make_scope_collection(scope, _parent_collection(change, context))
    context.collections[change.key] = collection
    context.new_collection_scopes.append(scope.pk)
    context.mark("collection", change.key, collection)


def _update_collection(change: Change, context: Context) -> None:
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


def _remove_collection(change: Change, context: Context) -> None:
    """An empty collection goes; one that holds files stays, with them, as content does."""
    ManagedObject.objects.filter(kind="collection", key=change.key).delete()
    if change.blocker:
        return
    # An ancestor removed earlier in this run took it along.
    left = Collection.objects.filter(pk=context.current.objects["collection"][change.key].pk)
    for collection in left:
        collection.delete()


def _point_default_site_at(context: Context) -> None:
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


# Firms and committees ------------------------------------------------------------------------


def _save_firm(firm: PropertyFirm, change: Change, context: Context) -> None:
    values = change.values
    firm.name = values["name"]
    firm.office_phone = values["office_phone"]
    firm.address = values["address"]
    firm.party_status = values["party_status"]
    firm.full_party_member_count = values["full_party_member_count"]
    firm.live = True
    firm.full_clean()
    firm.save()
    firm.compounds.set([context.pages[slug] for slug in values["compounds"]])
    firm.save()


def _create_firm(change: Change, context: Context) -> None:
    firm = PropertyFirm(credit_code=change.key)
    _save_firm(firm, change, context)
    context.mark("firm", change.key, firm)


def _update_firm(change: Change, context: Context) -> None:
    firm = context.current.objects["firm"][change.key]
    _save_firm(firm, change, context)
    if change.adopt:
        context.mark("firm", change.key, firm)


def _save_committee(committee: OwnersCommittee, change: Change) -> None:
    committee.term_start = change.values["start"]
    committee.term_end = change.values["end"]
    committee.live = True
    committee.full_clean()
    committee.save()


def _create_committee(change: Change, context: Context) -> None:
    committee = OwnersCommittee(compound=context.pages[change.key])
    _save_committee(committee, change)
    context.mark("committee", change.key, committee)


def _update_committee(change: Change, context: Context) -> None:
    committee = context.current.objects["committee"][change.key]
    if change.changed:
        _save_committee(committee, change)
    if change.adopt:
        context.mark("committee", change.key, committee)


def _unpublish_and_release(change: Change, context: Context) -> None:
    """Content leaves config's hands offline and kept, never deleted."""
    obj = context.current.objects[change.kind][change.key]
    ManagedObject.objects.filter(kind=change.kind, key=change.key).delete()
    if getattr(obj, "live", False):
        obj.live = False
        obj.save(update_fields=["live"])


# Offices, screens, schedules (config's own rows) ----------------------------------------------


def _save_office(change: Change, context: Context) -> None:
    office = context.current.objects["office"].get(change.key) or Office(code=change.key)
    office.name = change.values["name"]
    office.duties = change.values["duties"]
    office.sort_order = change.values["order"]
    office.save()


def _save_coordination_office(change: Change, context: Context) -> None:
    values = change.values
    office = context.current.objects["coordination_office"].get(change.key) or CoordinationOffice(
        scope=context.pages[change.key]
    )
    for name in ("name", "director", "executive_deputy", "deputies", "members", "duties"):
        setattr(office, name, values[name])
    office.save()
    if change.action == "create" or "working_groups" in change.changed:
        office.working_groups.all().delete()
        WorkingGroup.objects.bulk_create(
            WorkingGroup(
                office=office, name=name, lead=lead, members=members, duties=duties, sort_order=i
            )
            for i, (name, lead, members, duties) in enumerate(values["working_groups"])
        )


def _save_screen(change: Change, context: Context) -> None:
    """The screen is registered here; the token it shows is issued in the admin, never in files."""
    screen = context.current.objects["screen"].get(change.key)
    if screen is None:
        screen = Screen()
        screen.issue_token()  # unknown to anyone until regenerated in the admin
    screen.code = change.key
    screen.name = change.values["name"]
    screen.location = change.values["location"]
    screen.scope = context.pages[change.values["scope"]]
    screen.save()
    if change.action == "create" or change.adopt:
        context.mark("screen", change.key, screen)


def _remove_screen(change: Change, context: Context) -> None:
    ManagedObject.objects.filter(kind="screen", key=change.key).delete()
    context.current.objects["screen"][change.key].delete()


def _save_schedule(change: Change, context: Context) -> None:
    values = change.values
    schedule = context.current.objects["schedule"].get(change.key) or DisclosureSchedule(
        code=change.key
    )
    schedule.name = values["name"]
    schedule.page_type = values["page_type"]
    schedule.period = values["every"]
    schedule.grace_days = values["grace_days"]
    schedule.fund = values["fund"]
    schedule.scope = context.pages[values["scope"]]
    schedule.save()


def _delete_own(change: Change, context: Context) -> None:
    context.current.objects[change.kind][change.key].delete()


# Users and roles ----------------------------------------------------------------------------


def _user_fields(user: Any, values: dict[str, Any]) -> None:
    user.first_name = values["name"]
    user.email = values["email"]
    user.is_superuser = values["superuser"]
    user.is_staff = values["superuser"]
    user.is_active = values["active"]


def _create_user(change: Change, context: Context) -> None:
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


def _save_new_users(context: Context) -> None:
    created = get_user_model().objects.bulk_create(context.new_users)
    if any(user.pk is None for user in created):  # backends that return no ids
        names = [user.username for user in created]
        created = list(get_user_model().objects.filter(username__in=names))
    for user in created:
        context.users[user.username] = user
        context.mark("user", user.username, user)
    require_change_of_first_password(created)
    context.new_users = []


def _update_user(change: Change, context: Context) -> None:
    user = context.users[change.key]
    if change.changed:
        _user_fields(user, change.values)
        user.save()
    if change.adopt:
        context.mark("user", change.key, user)


def _remove_user(change: Change, context: Context) -> None:
    """People are deactivated, not deleted: their name stays on what they wrote and reviewed."""
    user = context.current.objects["user"][change.key]
    ManagedObject.objects.filter(kind="user", key=change.key).delete()
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])


def _create_role(change: Change, context: Context) -> None:
    username, role, scope = change.key.split("/")
    page = context.pages[scope]
    context.new_roles.append(
        RoleAssignment(user=context.users[username], role=role, scope=page, managed_by_config=True)
    )
    context.groups_to_sync.add((role, page.pk))


def _update_role(change: Change, context: Context) -> None:
    RoleAssignment.objects.filter(pk=context.current.objects["role"][change.key].pk).update(
        managed_by_config=True
    )


def _remove_role(change: Change, context: Context) -> None:
    assignment = context.current.objects["role"][change.key]
    RoleAssignment.objects.filter(pk=assignment.pk).delete()
    context.groups_to_sync.add((assignment.role, assignment.scope_id))


# Review chains ------------------------------------------------------------------------------


def _save_task(change: Change, context: Context) -> None:
    values = change.values
    task_type = TASK_TYPES[values["type"]]
    step = {"role": values["role"], **dict(values["params"])}
    task = context.tasks.get(change.key)
    if task is not None and type(task) is not task_type.model:
        task.active = False
        task.save(update_fields=["active"])
        ManagedObject.objects.filter(kind="task", key=change.key).delete()
        task = None
    if task is None:
        task = task_type.model(name=change.key, **task_type.to_fields(step))
        task.save()
        context.mark("task", change.key, task)
    else:
        for name, value in task_type.to_fields(step).items():
            setattr(task, name, value)
        task.active = True
        task.save()
        if change.adopt:
            context.mark("task", change.key, task)
    context.tasks[change.key] = task


def _remove_task(change: Change, context: Context) -> None:
    task = context.current.objects["task"][change.key]
    ManagedObject.objects.filter(kind="task", key=change.key).delete()
    task.active = False
    task.save(update_fields=["active"])


def _save_chain(change: Change, context: Context) -> None:
    values = change.values
    workflow = context.current.objects["chain"].get(change.key)
    if workflow is None:
        workflow = Workflow.objects.create(name=change.key, active=values["active"])
        context.mark("chain", change.key, workflow)
    else:
        if workflow.active != values["active"]:
            workflow.active = values["active"]
            workflow.save(update_fields=["active"])
        if change.adopt:
            context.mark("chain", change.key, workflow)
    if change.action == "create" or "steps" in change.changed:
        workflow.workflow_tasks.all().delete()
        WorkflowTask.objects.bulk_create(
            WorkflowTask(workflow=workflow, task=context.tasks[name], sort_order=index)
            for index, name in enumerate(values["steps"])
        )
    if change.action == "create" or "pages" in change.changed:
        wanted = {context.pages[slug].pk for slug in values["pages"]}
        WorkflowPage.objects.filter(workflow=workflow).exclude(page_id__in=wanted).delete()
        WorkflowPage.objects.filter(page_id__in=wanted).exclude(workflow=workflow).delete()
        have = set(WorkflowPage.objects.filter(workflow=workflow).values_list("page_id", flat=True))
        WorkflowPage.objects.bulk_create(
            WorkflowPage(workflow=workflow, page_id=page_id) for page_id in sorted(wanted - have)
        )
    if change.action == "create" or "rules" in change.changed:
        _save_rules(workflow, values, context)
    if change.action == "create" or "snippets" in change.changed:
        types = [
            ContentType.objects.get_by_natural_key(*label.split("."))
            for label in values["snippets"]
        ]
        WorkflowContentType.objects.filter(workflow=workflow).exclude(
            content_type__in=types
        ).delete()
        for content_type in types:
            WorkflowContentType.objects.update_or_create(
                content_type=content_type, defaults={"workflow": workflow}
            )


def _save_rules(workflow: Workflow, values: dict[str, Any], context: Context) -> None:
    model = chain_rule_model()
    model.objects.filter(workflow=workflow).delete()
    model.objects.bulk_create(
        model(
            workflow=workflow,
            content_type=ContentType.objects.get_by_natural_key(*label.split(".")),
            scope=context.pages[subtree] if subtree else None,
            min_amount=Decimal(min_amount) if min_amount else None,
        )
        for label, subtree, min_amount in values["rules"]
    )


def _remove_chain(change: Change, context: Context) -> None:
    workflow = context.current.objects["chain"][change.key]
    ManagedObject.objects.filter(kind="chain", key=change.key).delete()
    WorkflowPage.objects.filter(workflow=workflow).delete()
    WorkflowContentType.objects.filter(workflow=workflow).delete()
    if workflow.active:
        workflow.deactivate()


# The annual task list -----------------------------------------------------------------------


def _deadline(text: str) -> tuple[datetime.date | None, bool]:
    if text == LONG_TERM_LABEL:
        return None, True
    year, month = text.split(".")
    return datetime.date(int(year), int(month), 1), False


def _save_governance_task(change: Change, context: Context) -> None:
    values = change.values
    deadline_month, long_term = _deadline(values["deadline"])
    task = context.current.objects["governance_task"].get(change.key)
    if task is None:
        task = GovernanceTask(
            number=int(change.key),
            status=TaskStatus.ONGOING if long_term else TaskStatus.NOT_STARTED,
            live=True,
        )
    task.area = values["area"]
    task.key_task = values["key_task"]
    task.measure = values["measure"]
    task.responsible_offices = values["offices"]
    task.deadline_month, task.is_long_term = deadline_month, long_term
    if task.status == TaskStatus.ONGOING and not long_term:
        task.status = TaskStatus.NOT_STARTED
    task.live = True
    task.full_clean()
    task.save()
    if change.action == "create" or change.adopt:
        context.mark("governance_task", change.key, task)


def _save_security(change: Change, context: Context) -> None:
    policy = SecurityPolicy.current()
    policy.two_factor_roles = change.values["two_factor_roles"]
    policy.save()


Handler = Callable[[Change, Context], None]
CREATE: dict[str, Handler] = {
    "street": _create_page,
    "community": _create_page,
    "compound": _create_page,
    "collection": _create_collection,
    "firm": _create_firm,
    "committee": _create_committee,
    "office": _save_office,
    "coordination_office": _save_coordination_office,
    "user": _create_user,
    "role": _create_role,
    "task": _save_task,
    "chain": _save_chain,
    "screen": _save_screen,
    "schedule": _save_schedule,
    "governance_task": _save_governance_task,
    "security": _save_security,
}
UPDATE: dict[str, Handler] = {
    **CREATE,
    "street": _update_page,
    "community": _update_page,
    "compound": _update_page,
    "collection": _update_collection,
    "firm": _update_firm,
    "committee": _update_committee,
    "user": _update_user,
    "role": _update_role,
}
REMOVE: dict[str, Handler] = {
    "street": _remove_page,
    "community": _remove_page,
    "compound": _remove_page,
    "collection": _remove_collection,
    "firm": _unpublish_and_release,
    "committee": _unpublish_and_release,
    "office": _delete_own,
    "coordination_office": _delete_own,
    "user": _remove_user,
    "role": _remove_role,
    "task": _remove_task,
    "chain": _remove_chain,
    "screen": _remove_screen,
    "schedule": _delete_own,
    "governance_task": _unpublish_and_release,
}
