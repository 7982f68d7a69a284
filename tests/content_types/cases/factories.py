"""Cases for tests, filed through the real service (level, deadline and timeline set by it).

Usage::

    case = file(commissioner, street_tree.compound_a1, category=CaseCategory.HAZARD)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from content_types.cases import services
from content_types.cases.models import Case, CaseCategory, ReporterKind
from site_config.models import CoordinationOffice, WorkingGroup

if TYPE_CHECKING:
    from django.db.models import QuerySet

REPORTER_NAME = "钱大妈"
REPORTER_PHONE = "13957501234"


def file(user: Any, scope: Any, **fields: Any) -> Case:
    values = {
        "title": "3 幢楼道堆放电动车电池",
        "category": CaseCategory.HAZARD,
        "place": "3 幢 2 单元楼道",
        "description": "楼道内有人为电动车电池充电，存在火灾隐患。",
        "reporter_kind": ReporterKind.OWNER,
        "reporter_name": REPORTER_NAME,
        "reporter_phone": REPORTER_PHONE,
        **fields,
    }
    return services.file_case(Case(scope=scope, **values), user)


def street_working_groups(street: Any) -> QuerySet:
    """The street office's groups of 附件2 with the categories baiguan.yaml gives them."""
    office = CoordinationOffice.objects.create(
        scope=street, name="百官街道“微治办”", director="街道办事处主任"
    )
    groups = [
        ("综合协调组", ["other"]),
        ("业务指导组", ["complaint"]),
        ("执法督查组", ["hazard", "violation"]),
        ("司法调解组", ["dispute"]),
    ]
    WorkingGroup.objects.bulk_create(
        WorkingGroup(
            office=office, name=name, lead="组长", case_categories=categories, sort_order=i
        )
        for i, (name, categories) in enumerate(groups)
    )
    return office.working_groups.all()
