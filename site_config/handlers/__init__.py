"""What each kind of change does when a plan is carried out: create, update, remove."""

from __future__ import annotations

from collections.abc import Callable

from site_config import disclosure_kinds, scorecards
from site_config.channels import remove_channel, save_channel
from site_config.plan import Change

from .chains import remove_chain, remove_task, save_chain, save_governance_task, save_task
from .context import Context, delete_own, unpublish_and_release
from .evaluation import save_evaluation_policy
from .organisations import (
    create_committee,
    create_firm,
    remove_screen,
    save_audits,
    save_case_deadlines,
    save_coordination_office,
    save_office,
    save_schedule,
    save_screen,
    update_committee,
    update_firm,
)
from .people import (
    create_office_member,
    create_role,
    create_user,
    remove_office_member,
    remove_role,
    remove_user,
    save_security,
    save_voting,
    update_role,
    update_user,
)
from .reports import save_report_schedule
from .structure import (
    create_collection,
    create_page,
    remove_collection,
    remove_page,
    update_collection,
    update_page,
)

Handler = Callable[[Change, Context], None]


CREATE: dict[str, Handler] = {
    "street": create_page,
    "community": create_page,
    "compound": create_page,
    "collection": create_collection,
    "firm": create_firm,
    "committee": create_committee,
    "office": save_office,
    "coordination_office": save_coordination_office,
    "user": create_user,
    "role": create_role,
    "office_member": create_office_member,
    "task": save_task,
    "chain": save_chain,
    "screen": save_screen,
    "schedule": save_schedule,
    "report_schedule": save_report_schedule,
    "disclosure_kind": disclosure_kinds.save,
    "governance_task": save_governance_task,
    "case_deadlines": save_case_deadlines,
    "security": save_security,
    "voting": save_voting,
    "audits": save_audits,
    "scorecards": scorecards.save,
    "firm_evaluation": save_evaluation_policy,
    "channel": save_channel,
}


UPDATE: dict[str, Handler] = {
    **CREATE,
    "street": update_page,
    "community": update_page,
    "compound": update_page,
    "collection": update_collection,
    "firm": update_firm,
    "committee": update_committee,
    "user": update_user,
    "role": update_role,
}


REMOVE: dict[str, Handler] = {
    "street": remove_page,
    "community": remove_page,
    "compound": remove_page,
    "collection": remove_collection,
    "firm": unpublish_and_release,
    "committee": unpublish_and_release,
    "office": delete_own,
    "coordination_office": delete_own,
    "user": remove_user,
    "role": remove_role,
    "office_member": remove_office_member,
    "task": remove_task,
    "chain": remove_chain,
    "screen": remove_screen,
    "schedule": delete_own,
    "report_schedule": delete_own,
    "disclosure_kind": disclosure_kinds.remove,
    "governance_task": unpublish_and_release,
    "channel": remove_channel,
}
