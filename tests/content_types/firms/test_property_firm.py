"""Property firms: published by the street office, checked for their Party organisation."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from content_types.firms.models import PartyOrganisationStatus, PropertyFirm
from content_types.roles.models import Role
from tests.content_types.firms.factories import PropertyFirmFactory

pytestmark = pytest.mark.django_db


def firm_form(**fields) -> dict:
    return {
        "name": "绍兴市上虞区安居物业服务有限公司",
        "credit_code": "914403001922038216",
        "office_phone": "0575-82123456",
        "address": "百官街道市民大道 88 号",
        "party_status": PartyOrganisationStatus.JOINT,
        "full_party_member_count": "2",
        **fields,
    }


def test_the_street_office_publishes_a_firm_serving_two_compounds(street_tree, role_user, client):
    client.force_login(role_user(Role.STREET_OFFICE, street_tree.street))

    response = client.post(
        reverse(PropertyFirm.snippet_viewset.get_url_name("add")),
        firm_form(
            credit_code="91440300708461136t",
            compounds=[street_tree.compound_a1.pk, street_tree.compound_a2.pk],
            **{"action-publish": "1"},
        ),
    )

    assert response.status_code == 302
    firm = PropertyFirm.objects.get()
    assert firm.live
    assert firm.credit_code == "91440300708461136T"
    assert set(firm.compounds.all()) == {street_tree.compound_a1, street_tree.compound_a2}
    assert list(street_tree.compound_a1.property_firms.all()) == [firm]


def test_a_credit_code_with_a_wrong_check_character_is_refused_and_nothing_saved(
    street_tree, role_user, client
):
    client.force_login(role_user(Role.STREET_OFFICE, street_tree.street))

    response = client.post(
        reverse(PropertyFirm.snippet_viewset.get_url_name("add")),
        firm_form(credit_code="914403001922038217"),
    )

    assert response.status_code == 200
    assert "统一社会信用代码校验位不符" in response.text
    assert not PropertyFirm.objects.exists()


def test_a_credit_code_already_in_use_is_refused(street_tree):
    PropertyFirmFactory(credit_code="914403001922038216")

    with pytest.raises(ValidationError) as refused:
        PropertyFirmFactory.build(credit_code="914403001922038216").full_clean()

    assert refused.value.message_dict["credit_code"] == ["已有企业使用这个统一社会信用代码。"]


def test_a_standalone_organisation_needs_three_full_members():
    firm = PropertyFirmFactory.build(
        party_status=PartyOrganisationStatus.STANDALONE, full_party_member_count=2
    )

    with pytest.raises(ValidationError) as refused:
        firm.full_clean()

    assert "单独建立党组织须有3名以上正式党员" in refused.value.message_dict["party_status"][0]
    firm.full_party_member_count = 3
    firm.full_clean()


@pytest.mark.parametrize(
    ("members", "status", "flagged"),
    [
        (3, PartyOrganisationStatus.JOINT, True),
        (5, PartyOrganisationStatus.NONE, True),
        (3, PartyOrganisationStatus.STANDALONE, False),
        (2, PartyOrganisationStatus.JOINT, False),
        (0, PartyOrganisationStatus.NONE, False),
    ],
)
def test_firms_with_three_members_and_no_own_organisation_are_flagged(members, status, flagged):
    firm = PropertyFirmFactory(full_party_member_count=members, party_status=status)

    assert firm.needs_own_party_organisation is flagged
    assert PropertyFirm.objects.needing_own_party_organisation().filter(pk=firm.pk).exists() is (
        flagged
    )


def test_the_listing_shows_and_filters_the_flagged_firms(street_tree, role_user, client):
    PropertyFirmFactory(
        name="应建未建物业", full_party_member_count=4, party_status=PartyOrganisationStatus.JOINT
    )
    PropertyFirmFactory(
        name="已建物业", full_party_member_count=4, party_status=PartyOrganisationStatus.STANDALONE
    )
    client.force_login(role_user(Role.COMMUNITY_OFFICE, street_tree.community_a))
    url = reverse(PropertyFirm.snippet_viewset.get_url_name("list"))

    everything = client.get(url)
    flagged = client.get(url, {"needs_own_party_organisation": "true"})
    not_flagged = client.get(url, {"needs_own_party_organisation": "false"})

    assert "应单独建立党组织" in everything.text
    assert "应建未建物业" in everything.text and "已建物业" in everything.text
    assert "应建未建物业" in flagged.text and "已建物业" not in flagged.text
    assert "已建物业" in not_flagged.text and "应建未建物业" not in not_flagged.text


def test_every_role_sees_firms_and_only_the_street_office_edits_them(
    street_tree, role_user, client
):
    firm = PropertyFirmFactory()
    client.force_login(role_user(Role.PROPERTY_FIRM, street_tree.compound_b1))
    viewset = PropertyFirm.snippet_viewset

    inspect = client.get(reverse(viewset.get_url_name("inspect"), args=[firm.pk]))
    edit = client.get(reverse(viewset.get_url_name("edit"), args=[firm.pk]))

    assert inspect.status_code == 200 and firm.name in inspect.text
    assert edit.status_code == 302 and edit["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize("rows", [10, 300])
def test_the_listing_takes_a_fixed_number_of_queries(
    rows, street_tree, role_user, client, django_assert_num_queries
):
    PropertyFirmFactory.create_batch(rows, full_party_member_count=3)
    client.force_login(role_user(Role.STREET_OFFICE, street_tree.street))

    with django_assert_num_queries(14):
        response = client.get(reverse(PropertyFirm.snippet_viewset.get_url_name("list")))

    assert response.status_code == 200
    assert len(set(re.findall(r"第\d+物业服务有限公司", response.text))) == min(rows, 20)
