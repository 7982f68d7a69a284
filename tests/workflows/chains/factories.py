"""Factories and helpers for the expenditure chain (四审两公开) tests.

Usage::

    meeting = JointMeetingFactory(compound=compound)               # with minutes
    JointMeetingFactory(compound=compound, minutes="")             # without minutes
    data = proposal_form_data(proposal, amount=Decimal("80000"))    # the admin edit form
    roll_units(compound)                                           # five owners, 500 m²
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import factory
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from content_types.meetings.models import JointMeeting
from tests.content_types.units.factories import UnitFactory

if TYPE_CHECKING:
    from wagtail.models import Page

    from content_types.units.models import Unit

# (building, entrance, room, area, owner, phone): owner 甲 has two units.
ROLL = [
    ("1幢", "1", "101", "100.00", "甲", "13800000001"),
    ("1幢", "1", "102", "50.00", "甲", "13800000001"),
    ("1幢", "1", "201", "80.00", "乙", "13800000002"),
    ("2幢", "1", "101", "120.00", "丙", "13800000003"),
    ("2幢", "1", "201", "90.00", "丁", "13800000004"),
    ("2幢", "1", "301", "60.00", "戊", "13800000005"),
]
# One home of each owner, and the last four digits of the phone on the register.
OWNER_HOMES = {
    "1幢1单元101室": "0001",
    "1幢1单元201室": "0002",
    "2幢1单元101室": "0003",
    "2幢1单元201室": "0004",
    "2幢1单元301室": "0005",
}


class JointMeetingFactory(factory.django.DjangoModelFactory):
    date = date(2026, 11, 20)
    community_attendees = "王敏 社区书记"
    committee_attendees = "李强 业委会主任"
    firm_attendees = "赵刚 物业项目经理"
    agenda = "审议3幢电梯维修资金使用申请"
    minutes = "三方一致同意提交业主大会表决。"
    decisions = "同意提交业主大会表决。"

    class Meta:
        model = JointMeeting


def roll_units(compound: Page) -> list[Unit]:
    return [
        UnitFactory(
            compound=compound,
            building=building,
            entrance=entrance,
            room=room,
            exclusive_area=Decimal(area),
            owner_name=owner,
            owner_phone=phone,
        )
        for building, entrance, room, area, owner, phone in ROLL
    ]


def proposal_form_data(page: Page, **changes: Any) -> dict[str, Any]:
    """The admin edit form of an expenditure proposal, with ``changes`` applied."""
    page = page.specific
    fields: dict[str, Any] = {
        "title": page.title,
        "slug": page.slug,
        "purpose": page.purpose,
        "amount": page.amount,
        "fund_source": page.fund_source,
        "matter": page.matter,
        "usage_report_due": page.usage_report_due.isoformat(),
    }
    fields.update(changes)
    fields["quotes"] = inline_formset(
        [
            {
                "id": quote.pk,
                "supplier": quote.supplier,
                "amount": quote.amount,
                "document": quote.document_id or "",
                "ORDER": index + 1,
            }
            for index, quote in enumerate(page.quotes.all())
        ],
        initial=page.quotes.count(),
    )
    fields["comments"] = inline_formset([])
    return nested_form_data(fields)
