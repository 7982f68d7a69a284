"""Property firms, owners' committees, offices, screens, disclosure schedules, case deadlines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.models import Screen
from content_types.audits.models import AUDIT_POLICY_FIELDS, AuditPolicy
from content_types.cases.models import LEVELS, CaseDeadline
from content_types.committees.models import OwnersCommittee
from content_types.firms.models import PropertyFirm
from site_config.batch import create_checked
from site_config.models import (
    CoordinationOffice,
    DisclosureSchedule,
    ManagedObject,
    Office,
    WorkingGroup,
)

if TYPE_CHECKING:
    from site_config.plan import Change

    from .context import Context


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


def create_firm(change: Change, context: Context) -> None:
    firm = PropertyFirm(credit_code=change.key)
    _save_firm(firm, change, context)
    context.mark("firm", change.key, firm)


def update_firm(change: Change, context: Context) -> None:
    firm = context.current.objects["firm"][change.key]
    _save_firm(firm, change, context)
    if change.adopt:
        context.mark("firm", change.key, firm)


def _set_committee(committee: OwnersCommittee, change: Change) -> None:
    committee.term_start = change.values["start"]
    committee.term_end = change.values["end"]
    committee.live = True


def _save_committee(committee: OwnersCommittee, change: Change) -> None:
    _set_committee(committee, change)
    committee.full_clean()
    committee.save()


def create_committee(change: Change, context: Context) -> None:
    """Queued: the new committees are checked and written together (``save_new_committees``)."""
    committee = OwnersCommittee(compound=context.pages[change.key])
    _set_committee(committee, change)
    context.new_committees[change.key] = committee


def save_new_committees(context: Context) -> None:
    create_checked(list(context.new_committees.values()))
    for key, committee in context.new_committees.items():
        context.mark("committee", key, committee)
    context.new_committees = {}


def update_committee(change: Change, context: Context) -> None:
    committee = context.current.objects["committee"][change.key]
    if change.changed:
        _save_committee(committee, change)
    if change.adopt:
        context.mark("committee", change.key, committee)


def save_office(change: Change, context: Context) -> None:
    office = context.current.objects["office"].get(change.key) or Office(code=change.key)
    office.name = change.values["name"]
    office.duties = change.values["duties"]
    office.sort_order = change.values["order"]
    office.save()


def save_coordination_office(change: Change, context: Context) -> None:
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
                office=office,
                name=name,
                lead=lead,
                members=members,
                duties=duties,
                case_categories=list(categories),
                sort_order=i,
            )
            for i, (name, lead, members, duties, categories) in enumerate(values["working_groups"])
        )


def save_screen(change: Change, context: Context) -> None:
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


def remove_screen(change: Change, context: Context) -> None:
    ManagedObject.objects.filter(kind="screen", key=change.key).delete()
    context.current.objects["screen"][change.key].delete()


def save_schedule(change: Change, context: Context) -> None:
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


def save_audits(change: Change, context: Context) -> None:
    policy = AuditPolicy.current()
    for name in AUDIT_POLICY_FIELDS:
        setattr(policy, name, change.values[name])
    policy.save()


def save_case_deadlines(change: Change, context: Context) -> None:
    for level in LEVELS:
        days = change.values[f"{level}_days"]
        CaseDeadline.objects.update_or_create(level=level, defaults={"days": days})
