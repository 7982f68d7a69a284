"""The street working group a case goes to by its category (``case_categories`` in the file).

Filled into ``content_types.cases.routing`` when the app starts: the nearest coordination
office above the case's scope with a group taking the category decides, the street's first.
"""

from __future__ import annotations

from typing import Any

from wagtail.models import Page

from .models import WorkingGroup


def working_group_for(scope: Any, category: str) -> str:
    groups = WorkingGroup.objects.filter(
        office__scope__in=Page.objects.ancestor_of(scope, inclusive=True)
    ).order_by("office__scope__depth", "sort_order")
    for name, categories in groups.values_list("name", "case_categories"):
        if category in (categories or []):
            return name
    return ""
