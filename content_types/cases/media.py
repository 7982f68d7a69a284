"""Where a case's photos and documents are kept: a collection under view restriction.

Each compound or community has one, "诉求与事件材料", below its own collection, restricted to
the groups of the roles that handle cases over the scope (its own, its community's, its
street's): see ``content_types.roles.restricted_media``. The readers are refreshed whenever the
collection is asked for (opening the filing form).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from content_types.roles.models import Role
from content_types.roles.restricted_media import restricted_collection

if TYPE_CHECKING:
    from wagtail.models import Collection, Page

CASE_COLLECTION_NAME = "诉求与事件材料"


def case_collection(scope: Page) -> Collection:
    return restricted_collection(scope, CASE_COLLECTION_NAME, Role.CASE_HANDLERS)
