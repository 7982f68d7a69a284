"""The street's configuration as comparable values: from a file, and from the database.

Both sides are written the same way: for each kind of object, a key (a slug,
a username, a chain's name) and the values config manages, with references
by slug rather than by id. The plan is the difference of the two; export
writes the database side back as a file.

Collections are not in the file: each street, community and compound has one,
named as its page and placed as the page tree places it, so the file's side is
derived from its structure and export writes none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Collection, Page, Workflow, WorkflowContentType, WorkflowPage

from api.models import Screen
from content_types.accounts.models import SecurityPolicy
from content_types.committees.models import OwnersCommittee
from content_types.firms.credit_code import normalise
from content_types.firms.models import PropertyFirm
from content_types.governance_tasks.models import LONG_TERM_LABEL, GovernanceTask
from content_types.roles.models import Role, RoleAssignment, ScopeCollection
from content_types.structure.models import CommunityPage, CompoundPage, StreetPage

from .models import CoordinationOffice, DisclosureSchedule, ManagedObject, Office
from .schedules import file_values
from .schema import SiteConfig
from .task_types import TASK_TYPES, chain_rule_model, task_type_for

Values = dict[str, Any]

# In the order they are created; removal runs backwards.
KINDS: tuple[str, ...] = (
    "street",
    "community",
    "compound",
    "collection",
    "firm",
    "committee",
    "office",
    "coordination_office",
    "user",
    "role",
    "task",
    "chain",
    "screen",
    "schedule",
    "governance_task",
    "security",
)
KIND_LABELS: dict[str, str] = {
    "street": "街道",
    "community": "社区",
    "compound": "小区",
    "collection": "图片文档集合",
    "firm": "物业服务企业",
    "committee": "业委会任期",
    "office": "责任单位",
    "coordination_office": "微治办",
    "user": "用户",
    "role": "角色授予",
    "task": "审核步骤",
    "chain": "审核流程",
    "screen": "公开屏",
    "schedule": "公开频次",
    "governance_task": "年度任务",
    "security": "安全策略",
}
# Kinds whose rows belong to other apps: config marks the rows it manages.
TWO_PLACES = Decimal("0.01")
# The parent of a scope's collection that is neither the root nor another scope's.
OTHER_PARENT = "（其他集合）"


def _amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value.quantize(TWO_PLACES)}"


def role_order(roles: Iterable[str]) -> list[str]:
    """Roles once each, in the order of ``Role``, so the file's order is not a change."""
    return [role for role in Role.values if role in set(roles)]


def role_key(username: str, role: str, scope: str) -> str:
    return f"{username}/{role}/{scope}"


def deadline_text(task: GovernanceTask) -> str:
    if task.is_long_term or task.deadline_month is None:
        return LONG_TERM_LABEL
    return f"{task.deadline_month:%Y.%m}"


@dataclass
class State:
    """Values per kind and key; ``objects`` holds the database rows behind each key."""

    values: dict[str, dict[str, Values]] = field(default_factory=lambda: {k: {} for k in KINDS})
    objects: dict[str, dict[str, Any]] = field(default_factory=lambda: {k: {} for k in KINDS})
    managed: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in KINDS})


def desired_state(config: SiteConfig) -> State:
    """What the file asks for."""
    state = State()
    values = state.values
    street = config.street
    values["street"][street.slug] = {"title": street.title, "region": street.region}
    values["collection"][street.slug] = {"name": street.title, "parent": ""}
    firm_compounds: dict[str, list[str]] = {normalise(f.credit_code): [] for f in config.firms}
    by_level: dict[str, list[str]] = {"street": [street.slug], "community": [], "compound": []}
    for community in config.communities:
        by_level["community"].append(community.slug)
        values["community"][community.slug] = {
            "title": community.title,
            "address": community.address,
            "office_phone": community.office_phone,
            "street": street.slug,
        }
        values["collection"][community.slug] = {"name": community.title, "parent": street.slug}
        for compound in community.compounds:
            by_level["compound"].append(compound.slug)
            values["compound"][compound.slug] = {
                "title": compound.title,
                "address": compound.address,
                "households": compound.households,
                "total_area": compound.total_area.quantize(TWO_PLACES),
                "community": community.slug,
            }
            values["collection"][compound.slug] = {
                "name": compound.title,
                "parent": community.slug,
            }
            if compound.property_firm:
                firm_compounds[normalise(compound.property_firm)].append(compound.slug)
            if compound.committee_term:
                values["committee"][compound.slug] = {
                    "start": compound.committee_term.start,
                    "end": compound.committee_term.end,
                }
    for firm in config.firms:
        code = normalise(firm.credit_code)
        values["firm"][code] = {
            "name": firm.name,
            "office_phone": firm.office_phone,
            "address": firm.address,
            "party_status": firm.party_status,
            "full_party_member_count": firm.full_party_member_count,
            "compounds": tuple(sorted(firm_compounds[code])),
        }
    for order, office in enumerate(config.offices):
        values["office"][office.code] = {
            "name": office.name,
            "duties": office.duties,
            "order": order,
        }
    for coordination in config.coordination_offices:
        values["coordination_office"][coordination.scope] = {
            "name": coordination.name,
            "director": coordination.director,
            "executive_deputy": coordination.executive_deputy,
            "deputies": coordination.deputies,
            "members": coordination.members,
            "duties": coordination.duties,
            "working_groups": tuple(
                (group.name, group.lead, group.members, group.duties)
                for group in coordination.working_groups
            ),
        }
    for user in config.users:
        values["user"][user.username] = {
            "name": user.name,
            "email": user.email,
            "superuser": user.superuser,
            "active": user.active,
        }
        for grant in user.roles:
            values["role"][role_key(user.username, grant.role, grant.scope)] = {}
    for chain in config.chains:
        pages = {slug for level in chain.attach_to.levels for slug in by_level[level]}
        pages.update(chain.attach_to.pages)
        for step in chain.steps:
            values["task"][step.name] = {
                "type": step.type,
                "role": step.role,
                "params": TASK_TYPES[step.type].params_of(step.params),
            }
        values["chain"][chain.name] = {
            "active": chain.active,
            "steps": tuple(step.name for step in chain.steps),
            "pages": tuple(sorted(pages)),
            "snippets": tuple(sorted(label.lower() for label in chain.attach_to.snippets)),
            "rules": tuple(
                sorted(
                    (label.lower(), rule.subtree or "", _amount(rule.min_amount))
                    for rule in chain.rules
                    for label in rule.page_types
                )
            ),
        }
    for screen in config.screens:
        values["screen"][screen.code] = {
            "name": screen.name,
            "scope": screen.scope,
            "location": screen.location,
        }
    for schedule in config.disclosure_schedules:
        values["schedule"][schedule.code] = file_values(schedule)
    for task in config.tasks:
        values["governance_task"][str(task.number)] = {
            "area": task.area,
            "key_task": task.key_task,
            "measure": task.measure,
            "offices": task.offices,
            "deadline": task.deadline,
        }
    roles = role_order(config.security.two_factor_roles)
    values["security"]["security"] = {"two_factor_roles": roles}
    return state


def _ordered(items: Iterable[Any], key: Any) -> list[Any]:
    return sorted(items, key=key)


def current_state() -> State:
    """What the database holds, in the same terms; a fixed number of queries whatever its size."""
    state = State()
    values, objects = state.values, state.objects

    for row in ManagedObject.objects.values_list("kind", "key"):
        state.managed.setdefault(row[0], set()).add(row[1])

    pages = {}
    for model in (StreetPage, CommunityPage, CompoundPage):
        for page in model.objects.order_by("path"):
            pages[page.path] = page
    slug_by_path = {path: page.slug for path, page in pages.items()}
    slug_by_id = {page.pk: page.slug for page in pages.values()}
    for page in pages.values():
        if isinstance(page, StreetPage):
            values["street"][page.slug] = {"title": page.title, "region": page.region}
            objects["street"][page.slug] = page
        elif isinstance(page, CommunityPage):
            values["community"][page.slug] = {
                "title": page.title,
                "address": page.address,
                "office_phone": page.office_phone,
                "street": slug_by_path.get(page.path[: -Page.steplen], ""),
            }
            objects["community"][page.slug] = page
        else:
            values["compound"][page.slug] = {
                "title": page.title,
                "address": page.address,
                "households": page.household_count,
                "total_area": page.total_exclusive_area.quantize(TWO_PLACES),
                "community": slug_by_path.get(page.path[: -Page.steplen], ""),
            }
            objects["compound"][page.slug] = page

    # Each scope page's collection (``ScopeCollection``), its parent named by that one's scope.
    links = [
        link
        for link in ScopeCollection.objects.select_related("collection").order_by(
            "collection__path"
        )
        if link.scope_id in slug_by_id
    ]
    scope_by_collection_path = {link.collection.path: slug_by_id[link.scope_id] for link in links}
    for link in links:
        slug = slug_by_id[link.scope_id]
        parent_path = link.collection.path[: -Collection.steplen]
        values["collection"][slug] = {
            "name": link.collection.name,
            "parent": ""
            if len(parent_path) == Collection.steplen
            else scope_by_collection_path.get(parent_path, OTHER_PARENT),
        }
        objects["collection"][slug] = link.collection

    served: dict[int, list[str]] = {}
    through = PropertyFirm.compounds.through
    for firm_id, compound_id in through.objects.values_list("propertyfirm_id", "compoundpage_id"):
        if compound_id in slug_by_id:
            served.setdefault(firm_id, []).append(slug_by_id[compound_id])
    for firm in PropertyFirm.objects.order_by("credit_code"):
        values["firm"][firm.credit_code] = {
            "name": firm.name,
            "office_phone": firm.office_phone,
            "address": firm.address,
            "party_status": firm.party_status,
            "full_party_member_count": firm.full_party_member_count,
            "compounds": tuple(sorted(served.get(firm.pk, []))),
        }
        objects["firm"][firm.credit_code] = firm

    # The managed committee of each compound, else its latest one.
    managed_committees = set(
        ManagedObject.objects.filter(kind="committee").values_list("object_id", flat=True)
    )
    for committee in OwnersCommittee.objects.order_by("compound_id", "term_start"):
        slug = slug_by_id.get(committee.compound_id)
        if slug is None:
            continue
        held = objects["committee"].get(slug)
        if held is not None and str(held.pk) in managed_committees:
            continue
        values["committee"][slug] = {"start": committee.term_start, "end": committee.term_end}
        objects["committee"][slug] = committee

    for order, office in enumerate(Office.objects.order_by("sort_order", "pk")):
        values["office"][office.code] = {
            "name": office.name,
            "duties": office.duties,
            "order": order,
        }
        objects["office"][office.code] = office
        state.managed["office"].add(office.code)

    groups: dict[int, list[tuple[str, str, str, str]]] = {}
    for group in CoordinationOffice.working_groups.rel.related_model.objects.order_by(
        "office_id", "sort_order", "pk"
    ):
        groups.setdefault(group.office_id, []).append(
            (group.name, group.lead, group.members, group.duties)
        )
    for coordination in CoordinationOffice.objects.order_by("scope__path"):
        scope = slug_by_id.get(coordination.scope_id)
        if scope is None:
            continue
        values["coordination_office"][scope] = {
            "name": coordination.name,
            "director": coordination.director,
            "executive_deputy": coordination.executive_deputy,
            "deputies": coordination.deputies,
            "members": coordination.members,
            "duties": coordination.duties,
            "working_groups": tuple(groups.get(coordination.pk, [])),
        }
        objects["coordination_office"][scope] = coordination
        state.managed["coordination_office"].add(scope)

    users = {}
    for user in get_user_model().objects.order_by("username"):
        users[user.pk] = user.username
        values["user"][user.username] = {
            "name": user.first_name,
            "email": user.email,
            "superuser": user.is_superuser,
            "active": user.is_active,
        }
        objects["user"][user.username] = user

    for assignment in RoleAssignment.objects.order_by("pk"):
        scope = slug_by_id.get(assignment.scope_id)
        if scope is None or assignment.user_id not in users:
            continue
        key = role_key(users[assignment.user_id], assignment.role, scope)
        values["role"][key] = {}
        objects["role"][key] = assignment
        if assignment.managed_by_config:
            state.managed["role"].add(key)

    task_names: dict[int, str] = {}
    for task_type in TASK_TYPES.values():
        for task in task_type.model.objects.order_by("pk"):
            task_names[task.pk] = task.name
            if task.name in values["task"]:
                continue
            described = task_type_for(task)
            if described is None:
                continue
            step = described.from_task(task)
            values["task"][task.name] = {
                "type": described.name,
                "role": step.get("role"),
                "params": tuple(sorted((k, v) for k, v in step.items() if k != "role")),
            }
            objects["task"][task.name] = task

    steps: dict[int, list[int]] = {}
    for workflow_id, task_id in Workflow.workflow_tasks.rel.related_model.objects.order_by(
        "workflow_id", "sort_order"
    ).values_list("workflow_id", "task_id"):
        steps.setdefault(workflow_id, []).append(task_id)
    attached: dict[int, list[str]] = {}
    for workflow_id, page_id in WorkflowPage.objects.values_list("workflow_id", "page_id"):
        if page_id in slug_by_id:
            attached.setdefault(workflow_id, []).append(slug_by_id[page_id])
    snippets: dict[int, list[str]] = {}
    for workflow_id, content_type_id in WorkflowContentType.objects.values_list(
        "workflow_id", "content_type_id"
    ):
        content_type = ContentType.objects.get_for_id(content_type_id)
        snippets.setdefault(workflow_id, []).append(
            f"{content_type.app_label}.{content_type.model}"
        )
    rules: dict[int, list[tuple[str, str, str]]] = {}
    for (
        workflow_id,
        content_type_id,
        scope_id,
        min_amount,
    ) in chain_rule_model().objects.values_list(
        "workflow_id", "content_type_id", "scope_id", "min_amount"
    ):
        if scope_id is not None and scope_id not in slug_by_id:
            continue
        content_type = ContentType.objects.get_for_id(content_type_id)
        rules.setdefault(workflow_id, []).append(
            (
                f"{content_type.app_label}.{content_type.model}",
                slug_by_id.get(scope_id, ""),
                _amount(min_amount),
            )
        )
    for workflow in Workflow.objects.order_by("name", "pk"):
        task_ids = steps.get(workflow.pk, [])
        if workflow.name in values["chain"] or not all(t in task_names for t in task_ids):
            continue  # a chain of steps config cannot describe stays out of its hands
        values["chain"][workflow.name] = {
            "active": workflow.active,
            "steps": tuple(task_names[t] for t in task_ids),
            "pages": tuple(sorted(attached.get(workflow.pk, []))),
            "snippets": tuple(sorted(snippets.get(workflow.pk, []))),
            "rules": tuple(sorted(rules.get(workflow.pk, []))),
        }
        objects["chain"][workflow.name] = workflow

    for screen in Screen.objects.order_by("scope__path", "name", "pk"):
        if screen.is_revoked and not screen.code:
            continue  # a revoked screen made by hand is history, not configuration
        code = screen.code or f"screen-{screen.pk}"
        values["screen"][code] = {
            "name": screen.name,
            "scope": slug_by_id.get(screen.scope_id, ""),
            "location": screen.location,
        }
        objects["screen"][code] = screen

    for schedule in DisclosureSchedule.objects.order_by("code"):
        values["schedule"][schedule.code] = {
            "name": schedule.name,
            "page_type": schedule.page_type,
            "every": schedule.period,
            "grace_days": schedule.grace_days,
            "fund": schedule.fund,
            "scope": slug_by_id.get(schedule.scope_id, ""),
        }
        objects["schedule"][schedule.code] = schedule
        state.managed["schedule"].add(schedule.code)

    for task in GovernanceTask.objects.order_by("number"):
        key = str(task.number)
        values["governance_task"][key] = {
            "area": task.area,
            "key_task": task.key_task,
            "measure": task.measure,
            "offices": task.responsible_offices,
            "deadline": deadline_text(task),
        }
        objects["governance_task"][key] = task
    policy = SecurityPolicy.current()
    values["security"]["security"] = {"two_factor_roles": role_order(policy.two_factor_roles)}
    objects["security"]["security"] = policy
    state.managed["security"] = {"security"}  # one row, always there: never adopted or removed
    return state
