"""Factories for the street → community → compound page tree.

Usage::

    street = StreetPageFactory(parent=Page.get_first_root_node())
    community = CommunityPageFactory(parent=street)
    compound = CompoundPageFactory(parent=community, title="锦绣花园")

Each factory adds the page under ``parent`` and leaves it live; pass
``live=False`` for a draft.
"""

from decimal import Decimal

import factory
import wagtail_factories

from content_types.structure.models import CommunityPage, CompoundPage, StreetPage


class StreetPageFactory(wagtail_factories.PageFactory):
    title = "百官街道"
    slug = factory.Sequence(lambda n: f"street-{n}")
    region = "绍兴市上虞区"

    class Meta:
        model = StreetPage


class CommunityPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"第{n}社区")
    slug = factory.Sequence(lambda n: f"community-{n}")
    address = "百官街道凤鸣路 1 号"

    class Meta:
        model = CommunityPage


class CompoundPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"第{n}小区")
    slug = factory.Sequence(lambda n: f"compound-{n}")
    address = factory.Sequence(lambda n: f"凤鸣路 {n} 号")
    household_count = 300
    total_exclusive_area = Decimal("27500.50")

    class Meta:
        model = CompoundPage
