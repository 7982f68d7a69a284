"""Where an audit's report and papers are kept: "审计材料", a collection of the compound's under
view restriction, readable by the coordination offices over it alone (the committee audited
does not read the auditors' papers before the report is handed to it).

It is made, and its readers refreshed, when an audit of the compound is opened or edited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from content_types.roles.models import Role
from content_types.roles.restricted_media import restricted_collection

if TYPE_CHECKING:
    from wagtail.models import Collection, Page

AUDIT_COLLECTION_NAME = "审计材料"


def audit_collection(compound: Page) -> Collection:
    return restricted_collection(compound, AUDIT_COLLECTION_NAME, Role.COORDINATION_OFFICES)
