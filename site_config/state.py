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

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from content_types.cases.models import CaseCategory
from content_types.firms.credit_code import normalise
from content_types.roles.models import Role

from . import disclosure_kinds, scorecards
from .channels import file_values as channel_values
from .evaluation_policy import evaluation_values
from .schedules import file_values
from .task_types import TASK_TYPES

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .schema import SiteConfig

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
    "office_member",
    "task",
    "chain",
    "screen",
    "schedule",
    "report_schedule",
    "disclosure_kind",
    "governance_task",
    "case_deadlines",
    "security",
    "voting",
    "audits",
    "scorecards",
    "firm_evaluation",
    "channel",
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
    "office_member": "责任单位账号",
    "task": "审核步骤",
    "chain": "审核流程",
    "screen": "公开屏",
    "schedule": "公开频次",
    "report_schedule": "报告制度",
    "disclosure_kind": "公示种类",
    "governance_task": "年度任务",
    "case_deadlines": "分级处置期限",
    "security": "安全策略",
    "voting": "表决规则",
    "audits": "审计规则",
    "scorecards": "考评规则",
    "firm_evaluation": "物业测评规则",
    "channel": "通知渠道",
}
# Kinds whose rows belong to other apps: config marks the rows it manages.
TWO_PLACES = Decimal("0.01")
# The parent of a scope's collection that is neither the root nor another scope's.
OTHER_PARENT = "（其他集合）"


def amount_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value.quantize(TWO_PLACES)}"


def role_order(roles: Iterable[str]) -> list[str]:
    """Roles once each, in the order of ``Role``, so the file's order is not a change."""
    return [role for role in Role.values if role in set(roles)]


def category_order(categories: Iterable[str]) -> tuple[str, ...]:
    """Case categories once each, in the order of ``CaseCategory``."""
    return tuple(category for category in CaseCategory.values if category in set(categories))


def role_key(username: str, role: str, scope: str) -> str:
    return f"{username}/{role}/{scope}"


def task_key(year: int, number: int) -> str:
    """An annual task's key: its list's year and its number there."""
    return f"{year}/{number}"


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
                (
                    group.name,
                    group.lead,
                    group.members,
                    group.duties,
                    category_order(group.case_categories),
                )
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
        for code in user.offices:
            values["office_member"][f"{user.username}/{code}"] = {}
    for chain in config.chains:
        pages = {slug for level in chain.attach_to.levels for slug in by_level[level]}
        pages.update(chain.attach_to.pages)
        for step in chain.steps:
            values["task"][step.name] = {
                "type": step.type,
                "role": step.role,
                "key": step.key,
                "params": TASK_TYPES[step.type].params_of(step.params),
            }
        values["chain"][chain.name] = {
            "active": chain.active,
            "steps": tuple(step.name for step in chain.steps),
            "pages": tuple(sorted(pages)),
            "snippets": tuple(sorted(label.lower() for label in chain.attach_to.snippets)),
            "rules": tuple(
                sorted(
                    (label.lower(), rule.subtree or "", amount_text(rule.min_amount))
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
    for report in config.report_schedules:
        values["report_schedule"][report.code] = {
            "name": report.name,
            "role": report.role,
            "every": report.every,
            "grace_days": report.grace_days,
            "headings": tuple(report.headings),
            "scope": report.scope,
        }
    for task in config.tasks:
        values["governance_task"][task_key(task.year, task.number)] = {
            "area": task.area,
            "key_task": task.key_task,
            "measure": task.measure,
            "offices": task.offices,
            "deadline": task.deadline,
            "per_community": task.per_community,
        }
    values["case_deadlines"]["case_deadlines"] = {
        f"{level}_days": days for level, days in config.case_deadlines.model_dump().items()
    }
    roles = role_order(config.security.two_factor_roles)
    values["security"]["security"] = {"two_factor_roles": roles}
    values["voting"]["voting"] = {
        "public_turnout": config.voting.public_turnout,
        "seat_order": config.voting.seat_order,
    }
    values["audits"]["audits"] = config.audits.model_dump()
    values["scorecards"]["scorecards"] = scorecards.file_values(config.scorecards)
    values["firm_evaluation"]["firm_evaluation"] = evaluation_values(config.firm_evaluation)
    for channel in config.notification_channels:
        values["channel"][channel.code] = channel_values(channel)
    disclosure_kinds.desired(config, state)
    return state
