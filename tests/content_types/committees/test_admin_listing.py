"""The committee and candidate listings cost the same number of queries for 10 rows or 1,000."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from content_types.committees.models import (
    CommitteeCandidate,
    CommitteeMember,
    MemberRole,
    OwnersCommittee,
)
from content_types.roles.models import Role

pytestmark = pytest.mark.django_db


def committees_with_members(compound, count: int) -> None:
    committees = OwnersCommittee.objects.bulk_create(
        OwnersCommittee(
            compound=compound,
            term_start=datetime.date(2024, 1, 1),
            term_end=datetime.date(2028, 12, 31),
            live=True,
        )
        for _ in range(count)
    )
    CommitteeMember.objects.bulk_create(
        CommitteeMember(
            committee=committee,
            name=f"委员{index}",
            role=MemberRole.MEMBER,
            is_party_member=index == 0,
            sort_order=index,
        )
        for committee in committees
        for index in range(3)
    )


def candidates(compound, count: int) -> None:
    CommitteeCandidate.objects.bulk_create(
        CommitteeCandidate(compound=compound, name=f"人选{index}") for index in range(count)
    )


@pytest.mark.parametrize("rows", [10, 1000])
def test_the_committee_listing_takes_a_fixed_number_of_queries(
    rows, street_tree, role_user, client, django_assert_num_queries
):
    committees_with_members(street_tree.compound_a1, rows)
    committees_with_members(street_tree.compound_b1, 5)
    client.force_login(role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1))
    url = reverse(OwnersCommittee.snippet_viewset.get_url_name("list"))

    with django_assert_num_queries(16):
        response = client.get(url)

    assert response.status_code == 200
    assert response.text.count("1/3（33%）") == min(rows, 20)  # one page of 20
    assert "龙山公寓" not in response.text


@pytest.mark.parametrize("rows", [10, 1000])
def test_the_candidate_listing_takes_a_fixed_number_of_queries(
    rows, street_tree, role_user, client, django_assert_num_queries
):
    candidates(street_tree.compound_a1, rows)
    candidates(street_tree.compound_b1, 5)
    client.force_login(role_user(Role.COMMUNITY_PARTY, street_tree.community_a))
    url = reverse(CommitteeCandidate.snippet_viewset.get_url_name("list"))

    with django_assert_num_queries(14):
        response = client.get(url)

    assert response.status_code == 200
    assert len(set(re.findall(r"人选\d+", response.text))) == min(rows, 20)  # one page of 20
    assert "龙山公寓" not in response.text
