"""The street as the database holds it now, in the shape ``desired_state`` gives the file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Collection, Page, Workflow, WorkflowContentType, WorkflowPage

from api.models import Screen
from content_types.accounts.models import SecurityPolicy
from content_types.audits.models import AUDIT_POLICY_FIELDS, AuditPolicy
from content_types.cases.models import LEVELS, CaseDeadline
from content_types.committees.models import OwnersCommittee
from content_types.evaluations.models import EvaluationPolicy
from content_types.firms.models import PropertyFirm
from content_types.governance_tasks.loader import deadline_text
from content_types.governance_tasks.models import GovernanceTask
from content_types.reports.models import ReportSchedule
from content_types.roles.models import RoleAssignment, ScopeCollection
from content_types.structure.models import CommunityPage, CompoundPage, StreetPage
from workflows.voting.models import VotingPolicy

from . import disclosure_kinds, scorecards
from .channels import current_values as channel_values
from .evaluation_policy import policy_values
from .models import CoordinationOffice, DisclosureSchedule, ManagedObject, Office, WorkingGroup
from .state import (
    OTHER_PARENT,
    TWO_PLACES,
    State,
    amount_text,
    category_order,
    role_key,
    role_order,
    task_key,
)
from .task_types import TASK_TYPES, chain_rule_model, task_type_for

if TYPE_CHECKING:
    from collections.abc import Iterable


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

    groups: dict[int, list[tuple[str, str, str, str, tuple[str, ...]]]] = {}
    for group in WorkingGroup.objects.order_by("office_id", "sort_order", "pk"):
        groups.setdefault(group.office_id, []).append(
            (
                group.name,
                group.lead,
                group.members,
                group.duties,
                category_order(group.case_categories),
            )
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

    office_codes = {office.pk: code for code, office in objects["office"].items()}
    for user_id, office_id in Office.users.through.objects.values_list("user_id", "office_id"):
        if user_id in users and office_id in office_codes:
            key = f"{users[user_id]}/{office_codes[office_id]}"
            values["office_member"][key] = {}
            objects["office_member"][key] = (user_id, office_id)
            state.managed["office_member"].add(key)  # exists only through the file, as offices

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
                "key": step.get("key", ""),
                "params": tuple(
                    sorted((k, v) for k, v in step.items() if k not in ("role", "key"))
                ),
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
                amount_text(min_amount),
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

    for report in ReportSchedule.objects.order_by("code"):
        values["report_schedule"][report.code] = {
            "name": report.name,
            "role": report.role,
            "every": report.period,
            "grace_days": report.grace_days,
            "headings": tuple(report.headings),
            "scope": slug_by_id.get(report.scope_id, ""),
        }
        objects["report_schedule"][report.code] = report
        state.managed["report_schedule"].add(report.code)

    for task in GovernanceTask.objects.order_by("year", "number"):
        key = task_key(task.year, task.number)
        values["governance_task"][key] = {
            "area": task.area,
            "key_task": task.key_task,
            "measure": task.measure,
            "offices": task.responsible_offices,
            "deadline": deadline_text(task),
            "per_community": task.per_community,
        }
        objects["governance_task"][key] = task
    days = dict(CaseDeadline.objects.values_list("level", "days"))
    values["case_deadlines"]["case_deadlines"] = {
        f"{level}_days": days.get(level, settings.WEIZHI_CASE_DEADLINE_DAYS[level])
        for level in LEVELS
    }
    state.managed["case_deadlines"] = {"case_deadlines"}  # like the security policy: always there
    policy = SecurityPolicy.current()
    values["security"]["security"] = {"two_factor_roles": role_order(policy.two_factor_roles)}
    objects["security"]["security"] = policy
    state.managed["security"] = {"security"}  # one row, always there: never adopted or removed
    voting = VotingPolicy.current()
    values["voting"]["voting"] = {
        "public_turnout": voting.public_turnout,
        "seat_order": voting.seat_order,
    }
    objects["voting"]["voting"] = voting
    state.managed["voting"] = {"voting"}
    audits = AuditPolicy.current()
    values["audits"]["audits"] = {name: getattr(audits, name) for name in AUDIT_POLICY_FIELDS}
    objects["audits"]["audits"] = audits
    state.managed["audits"] = {"audits"}
    values["scorecards"]["scorecards"], objects["scorecards"]["scorecards"] = (
        scorecards.database_values()
    )
    state.managed["scorecards"] = {"scorecards"}
    evaluation = EvaluationPolicy.current()
    values["firm_evaluation"]["firm_evaluation"] = policy_values(evaluation)
    objects["firm_evaluation"]["firm_evaluation"] = evaluation
    state.managed["firm_evaluation"] = {"firm_evaluation"}
    channel_values(state, slug_by_id)
    disclosure_kinds.current(state)
    return state
