"""Write the database's current configuration as a file that, applied to an empty database,
rebuilds it: export → apply → export gives the same text.

Passwords are never exported (their hashes are secrets); users come back with
no usable password until one is set, or until a ``password_env`` is added.
Chains are written with the pages they are attached to, one by one, rather
than by level, since the database does not remember how they were chosen.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import yaml

from content_types.cases.models import LEVELS

from . import disclosure_kinds
from .channels import export_values as export_channels
from .database_state import current_state

if TYPE_CHECKING:
    from .state import State

HEADER = "# 由 manage.py export_config 导出；用 manage.py apply_config 应用。\n"


class _Dumper(yaml.SafeDumper):
    pass


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", f"{value:.2f}")


_Dumper.add_representer(Decimal, _decimal)


def _street_and_communities(state: State) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    values = state.values
    street_slug, street = next(iter(values["street"].items()))
    compounds: dict[str, list[dict[str, Any]]] = {}
    for slug, compound in values["compound"].items():
        entry: dict[str, Any] = {
            "title": compound["title"],
            "slug": slug,
            "address": compound["address"],
            "households": compound["households"],
            "total_area": compound["total_area"],
        }
        firm = next(
            (code for code, firm in values["firm"].items() if slug in firm["compounds"]), None
        )
        if firm:
            entry["property_firm"] = firm
        if slug in values["committee"]:
            term = values["committee"][slug]
            entry["committee_term"] = {"start": term["start"], "end": term["end"]}
        compounds.setdefault(compound["community"], []).append(entry)
    communities = [
        {
            "title": community["title"],
            "slug": slug,
            "address": community["address"],
            "office_phone": community["office_phone"],
            "compounds": compounds.get(slug, []),
        }
        for slug, community in values["community"].items()
        if community["street"] == street_slug
    ]
    return {"title": street["title"], "slug": street_slug, "region": street["region"]}, communities


def export_document(state: State | None = None) -> dict[str, Any]:
    state = state or current_state()
    values = state.values
    if not values["street"]:
        raise ValueError("数据库中还没有街道，无可导出。")
    street, communities = _street_and_communities(state)
    roles: dict[str, list[dict[str, str]]] = {}
    for key in values["role"]:
        username, role, scope = key.split("/")
        roles.setdefault(username, []).append({"role": role, "scope": scope})
    offices: dict[str, list[str]] = {}
    for key in values["office_member"]:
        username, code = key.split("/")
        offices.setdefault(username, []).append(code)
    return {
        "version": 1,
        "street": street,
        "communities": communities,
        "firms": [
            {"credit_code": code, **{k: v for k, v in firm.items() if k != "compounds"}}
            for code, firm in values["firm"].items()
        ],
        "offices": [
            {"code": code, "name": office["name"], "duties": office["duties"]}
            for code, office in values["office"].items()
        ],
        "coordination_offices": [
            {
                "scope": scope,
                **{k: v for k, v in office.items() if k != "working_groups"},
                "working_groups": [
                    {
                        "name": name,
                        "lead": lead,
                        "members": members,
                        "duties": duties,
                        **({"case_categories": list(categories)} if categories else {}),
                    }
                    for name, lead, members, duties, categories in office["working_groups"]
                ],
            }
            for scope, office in values["coordination_office"].items()
        ],
        "users": [
            {
                "username": username,
                "name": user["name"],
                "email": user["email"],
                "superuser": user["superuser"],
                "active": user["active"],
                "roles": roles.get(username, []),
                **({"offices": offices[username]} if username in offices else {}),
            }
            for username, user in values["user"].items()
        ],
        "chains": [
            {
                "name": name,
                "active": chain["active"],
                "steps": [_step(step, values["task"][step]) for step in chain["steps"]],
                "attach_to": {"pages": list(chain["pages"]), "snippets": list(chain["snippets"])},
                **({"rules": [_rule(*rule) for rule in chain["rules"]]} if chain["rules"] else {}),
            }
            for name, chain in values["chain"].items()
        ],
        "screens": [{"code": code, **screen} for code, screen in values["screen"].items()],
        "disclosure_schedules": [
            {"code": code, **_without_empty_fund(schedule)}
            for code, schedule in values["schedule"].items()
        ],
        "report_schedules": [
            {"code": code, **report, "headings": list(report["headings"])}
            for code, report in values["report_schedule"].items()
        ],
        "tasks": [_task(key, task) for key, task in values["governance_task"].items()],
        "case_deadlines": {
            level: values["case_deadlines"]["case_deadlines"][f"{level}_days"] for level in LEVELS
        },
        "security": values["security"]["security"],
        "voting": values["voting"]["voting"],
        "audits": values["audits"]["audits"],
        "scorecards": values["scorecards"]["scorecards"],
        "firm_evaluation": values["firm_evaluation"]["firm_evaluation"],
        **({"notification_channels": channels} if (channels := export_channels(state)) else {}),
        "disclosure_kinds": disclosure_kinds.export(state),
    }


def _task(key: str, task: dict[str, Any]) -> dict[str, Any]:
    year, number = key.split("/")
    row = {"year": int(year), "number": int(number), **task}
    if not row["per_community"]:
        del row["per_community"]
    return row


def _without_empty_fund(schedule: dict[str, Any]) -> dict[str, Any]:
    """A kind without funds takes no ``fund`` key in the file."""
    return {key: value for key, value in schedule.items() if key != "fund" or value}


def _rule(label: str, subtree: str, min_amount: str) -> dict[str, Any]:
    rule: dict[str, Any] = {"page_types": [label]}
    if subtree:
        rule["subtree"] = subtree
    if min_amount:
        rule["min_amount"] = Decimal(min_amount)
    return rule


def _step(name: str, task: dict[str, Any]) -> dict[str, Any]:
    step: dict[str, Any] = {"name": name, "type": task["type"]}
    if task["key"]:
        step["key"] = task["key"]
    if task["role"]:
        step["role"] = task["role"]
    if task["params"]:
        step["params"] = dict(task["params"])
    return step


def export_yaml(state: State | None = None) -> str:
    text = yaml.dump(
        export_document(state),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    return HEADER + text
