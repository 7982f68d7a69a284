"""Owners' committees: terms, members, the Party-member target and training, through the admin."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from content_types.committees.models import (
    CommitteeMember,
    MemberRole,
    OwnersCommittee,
)
from content_types.roles.models import Role
from tests.content_types.committees.factories import (
    CommitteeMemberFactory,
    OwnersCommitteeFactory,
)

pytestmark = pytest.mark.django_db


def committee_form(compound, members: list[dict], **fields) -> dict:
    data = {
        "compound": compound.pk,
        "term_start": "2024-01-01",
        "term_end": "2028-12-31",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, member in enumerate(members):
        for key, value in member.items():
            data[f"members-{index}-{key}"] = value
        data[f"members-{index}-ORDER"] = str(index + 1)
        data[f"members-{index}-DELETE"] = ""
        data[f"members-{index}-id"] = ""
    return data


MEMBERS = [
    {"name": "陈主任", "role": MemberRole.CHAIR, "is_party_member": "on", "specialty": "law"},
    {"name": "林委员", "role": MemberRole.MEMBER, "specialty": "finance"},
]


def test_the_street_office_publishes_a_committee_with_its_members(street_tree, role_user, client):
    client.force_login(role_user(Role.STREET_OFFICE, street_tree.street))
    add_url = reverse(OwnersCommittee.snippet_viewset.get_url_name("add"))

    response = client.post(
        add_url, committee_form(street_tree.compound_a1, MEMBERS, **{"action-publish": "1"})
    )

    assert response.status_code == 302
    committee = OwnersCommittee.objects.get()
    assert committee.live and committee.compound_id == street_tree.compound_a1.pk
    assert [member.name for member in committee.members.all()] == ["陈主任", "林委员"]
    assert committee.party_member_share == Fraction(1, 2)
    assert committee.revisions.count() == 1


def test_an_owners_committee_drafts_but_cannot_publish(street_tree, role_user, client):
    client.force_login(role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1))
    add_url = reverse(OwnersCommittee.snippet_viewset.get_url_name("add"))

    client.post(
        add_url, committee_form(street_tree.compound_a1, MEMBERS, **{"action-publish": "1"})
    )

    committee = OwnersCommittee.objects.get()
    assert not committee.live


def test_a_term_ending_before_it_starts_is_refused_in_chinese(street_tree, role_user, client):
    client.force_login(role_user(Role.STREET_OFFICE, street_tree.street))
    add_url = reverse(OwnersCommittee.snippet_viewset.get_url_name("add"))

    response = client.post(
        add_url,
        committee_form(
            street_tree.compound_a1, MEMBERS, term_start="2025-06-01", term_end="2025-01-01"
        ),
    )

    assert response.status_code == 200
    assert "任期结束日期必须晚于任期开始日期。" in response.text
    assert not OwnersCommittee.objects.exists()
    assert not CommitteeMember.objects.exists()


def test_a_term_longer_than_five_years_is_refused(street_tree):
    committee = OwnersCommitteeFactory.build(
        compound=street_tree.compound_a1,
        term_start=datetime.date(2024, 2, 29),
        term_end=datetime.date(2029, 3, 1),
    )

    with pytest.raises(ValidationError) as refused:
        committee.full_clean()

    assert "业委会每届任期不超过5年" in str(refused.value)
    committee.term_end = datetime.date(2029, 2, 28)
    committee.full_clean()


@pytest.mark.parametrize(
    ("party", "total", "meets"),
    [(0, 1, False), (1, 3, False), (3, 7, False), (1, 2, True), (4, 8, True), (5, 7, True)],
)
def test_the_party_member_share_is_exact_and_measured_against_half(
    party, total, meets, street_tree
):
    committee = OwnersCommitteeFactory(compound=street_tree.compound_a1)
    for index in range(total):
        CommitteeMemberFactory(committee=committee, is_party_member=index < party)

    assert committee.party_member_share == Fraction(party, total)
    assert committee.meets_party_target is meets
    below = OwnersCommittee.objects.below_party_target()
    assert below.filter(pk=committee.pk).exists() is (not meets)


def test_a_committee_without_members_has_no_share_and_is_not_listed_below_target(street_tree):
    committee = OwnersCommitteeFactory(compound=street_tree.compound_a1)

    assert committee.party_member_share is None
    assert committee.meets_party_target is None
    assert not OwnersCommittee.objects.below_party_target().exists()


def test_members_not_trained_this_year_are_found(street_tree):
    committee = OwnersCommitteeFactory(compound=street_tree.compound_a1)
    today = timezone.localdate()
    trained = CommitteeMemberFactory(committee=committee, trained_on=today)
    last_year = CommitteeMemberFactory(
        committee=committee, trained_on=datetime.date(today.year - 1, 12, 31)
    )
    never = CommitteeMemberFactory(committee=committee, trained_on=False)

    untrained = committee.members_without_training()

    assert set(untrained) == {last_year, never}
    assert trained not in untrained
    assert committee.untrained_member_count == 2


def test_a_member_with_a_future_pledge_is_refused(street_tree):
    committee = OwnersCommitteeFactory(compound=street_tree.compound_a1)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    member = CommitteeMember(
        committee=committee,
        name="赵委员",
        role=MemberRole.MEMBER,
        candidacy_pledge_date=tomorrow,
    )

    with pytest.raises(ValidationError) as refused:
        member.full_clean()

    errors = refused.value.message_dict
    assert errors["candidacy_pledge_date"] == ["竞职承诺日期不能晚于今天。"]
    member.candidacy_pledge_date = timezone.localdate()
    member.full_clean()


def test_the_listing_shows_the_share_and_filters_committees_below_target(
    street_tree, role_user, client
):
    below = OwnersCommitteeFactory(compound=street_tree.compound_a1)
    CommitteeMemberFactory(committee=below, is_party_member=True)
    CommitteeMemberFactory.create_batch(2, committee=below, is_party_member=False)
    meeting_target = OwnersCommitteeFactory(compound=street_tree.compound_a2)
    CommitteeMemberFactory.create_batch(2, committee=meeting_target, is_party_member=True)
    client.force_login(role_user(Role.COMMUNITY_OFFICE, street_tree.community_a))
    url = reverse(OwnersCommittee.snippet_viewset.get_url_name("list"))

    everything = client.get(url)
    filtered = client.get(url, {"below_party_target": "true"})

    assert "1/3（33%）" in everything.text and "2/2（100%）" in everything.text
    assert "锦绣花园 业委会" in filtered.text and "阳光水岸 业委会" not in filtered.text


def test_searching_by_member_name_lists_each_committee_once(street_tree, role_user, client):
    committee = OwnersCommitteeFactory(compound=street_tree.compound_a1)
    CommitteeMemberFactory(committee=committee, name="王建国")
    CommitteeMemberFactory(committee=committee, name="王建军")
    OwnersCommitteeFactory(compound=street_tree.compound_a2)
    client.force_login(role_user(Role.COMMUNITY_OFFICE, street_tree.community_a))
    viewset = OwnersCommittee.snippet_viewset
    inspect_url = reverse(viewset.get_url_name("inspect"), args=[committee.pk])

    listing = client.get(reverse(viewset.get_url_name("list_results")), {"q": "王建"})
    chooser = client.get(
        reverse(f"{viewset.get_chooser_admin_url_namespace()}:choose_results"), {"q": "王建"}
    )

    assert listing.text.count(inspect_url) == 1
    assert "阳光水岸" not in listing.text
    assert chooser.text.count("锦绣花园 业委会") == 1
