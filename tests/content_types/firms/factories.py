"""Factories for property firms.

Usage::

    firm = PropertyFirmFactory(name="绿城物业", full_party_member_count=4)
    firm.compounds.add(compound)  # then firm.save() to keep the link

Each firm gets a fresh, valid unified social credit code and is live.
"""

import factory

from content_types.firms.credit_code import check_character
from content_types.firms.models import PartyOrganisationStatus, PropertyFirm


def credit_code(n: int) -> str:
    first_seventeen = f"91330604{n:09d}"  # 上虞区 (330604), a company (91)
    return first_seventeen + check_character(first_seventeen)


class PropertyFirmFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"第{n}物业服务有限公司")
    credit_code = factory.Sequence(credit_code)
    office_phone = "0575-82123456"
    address = factory.Sequence(lambda n: f"百官街道市民大道 {n} 号")
    party_status = PartyOrganisationStatus.NONE
    full_party_member_count = 0
    live = True

    class Meta:
        model = PropertyFirm
