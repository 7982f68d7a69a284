"""Factories for configured disclosure kinds and their pages.

Usage::

    kind = ConfiguredKindFactory()            # 电梯维保公示, for the compound roles
    ConfiguredDisclosurePageFactory(parent=compound)        # live, one row, of a new kind
    ConfiguredDisclosurePageFactory(parent=compound, kind=kind, live=False)   # a draft

Kinds are normally written by ``apply_config``; a factory kind stands for one so that page
tests need no configuration file.
"""

from datetime import date

import factory
import wagtail_factories

from content_types.configured_disclosures.models import ConfiguredDisclosurePage, ConfiguredKind
from content_types.roles.models import Role

ELEVATOR_COLUMNS = [
    {"code": "building", "label": "楼栋", "type": "text", "required": True},
    {"code": "maintained_on", "label": "维保日期", "type": "date", "required": True},
    {"code": "result", "label": "维保结果", "type": "choice", "options": ["合格", "停用待修"]},
    {"code": "next_on", "label": "下次维保日期", "type": "date"},
]


class ConfiguredKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConfiguredKind
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"elevator-{n}")
    name = "电梯维保公示"
    levels = ["compound"]
    editors = [Role.OWNERS_COMMITTEE, Role.PROPERTY_FIRM, Role.COMMISSIONER, Role.COMPOUND_PARTY]
    header = [{"code": "firm", "label": "维保单位", "type": "text", "required": True}]
    columns = ELEVATOR_COLUMNS
    rules = [{"type": "not_before", "column": "next_on", "other": "maintained_on"}]


class ConfiguredDisclosurePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ConfiguredDisclosurePage

    title = "2026年第四季度电梯维保公示"
    kind = factory.SubFactory(ConfiguredKindFactory)
    as_of = date(2026, 12, 1)
    header = factory.LazyFunction(lambda: {"firm": "绍兴安达电梯有限公司"})
    rows = factory.LazyFunction(
        lambda: [
            {
                "building": "1幢",
                "maintained_on": "2026-11-20",
                "result": "合格",
                "next_on": "2026-12-05",
            }
        ]
    )
