"""The candidate pool (人选储备库): kept by the vetting chain, closed to everyone else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from content_types.committees.models import CommitteeCandidate, VettingStage
from content_types.roles.models import Role
from tests.content_types.committees.factories import CommitteeCandidateFactory
from tests.content_types.meetings.factories import JointMeetingFactory

pytestmark = pytest.mark.django_db


def test_the_compound_party_organisation_recommends_a_candidate(street_tree, role_user, client):
    client.force_login(role_user(Role.COMPOUND_PARTY, street_tree.compound_a1))

    response = client.post(
        reverse(CommitteeCandidate.snippet_viewset.get_url_name("add")),
        {
            "compound": street_tree.compound_a1.pk,
            "name": "周女士",
            "is_party_member": "on",
            "specialty": "finance",
            "vetting_stage": VettingStage.RECOMMENDED,
            "notes": "退休会计，热心小区事务",
        },
    )

    assert response.status_code == 302
    candidate = CommitteeCandidate.objects.get()
    assert candidate.name == "周女士" and candidate.is_party_member
    assert candidate.revisions.count() == 1


def test_a_candidate_without_a_name_is_refused_in_chinese(street_tree, role_user, client):
    client.force_login(role_user(Role.COMMUNITY_OFFICE, street_tree.community_a))

    response = client.post(
        reverse(CommitteeCandidate.snippet_viewset.get_url_name("add")),
        {
            "compound": street_tree.compound_a2.pk,
            "name": "",
            "specialty": "law",
            "vetting_stage": VettingStage.COMMUNITY_REVIEW,
        },
    )

    assert response.status_code == 200
    assert "必需字段" in response.text
    assert not CommitteeCandidate.objects.exists()


def test_the_vetting_stages_run_in_the_policys_order():
    assert [stage.label for stage in VettingStage] == [
        "小区党组织或业主联名推荐",
        "社区前置审核",
        "街道统筹把关",
        "部门联合审查",
    ]


@pytest.mark.parametrize("role", [Role.OWNERS_COMMITTEE, Role.PROPERTY_FIRM, Role.COMMISSIONER])
def test_roles_outside_the_vetting_chain_cannot_open_the_pool(role, street_tree, role_user, client):
    candidate = CommitteeCandidateFactory(compound=street_tree.compound_a1, name="周女士")
    client.force_login(role_user(role, street_tree.compound_a1))
    viewset = CommitteeCandidate.snippet_viewset

    listing = client.get(reverse(viewset.get_url_name("list")))
    inspect = client.get(reverse(viewset.get_url_name("inspect"), args=[candidate.pk]))

    assert listing.status_code == 302 and listing["Location"] == reverse("wagtailadmin_home")
    assert inspect.status_code == 404
    assert "周女士" not in listing.text + inspect.text


def test_the_compound_pages_usage_view_does_not_name_candidates(
    street_tree, role_user, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the reference index is updated then
        CommitteeCandidateFactory(compound=street_tree.compound_a1, name="周女士")
        meeting = JointMeetingFactory(compound=street_tree.compound_a1)
    committee_user = role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1)
    client.force_login(committee_user)

    usage = client.get(reverse("wagtailadmin_pages:usage", args=[street_tree.compound_a1.pk]))

    assert usage.status_code == 200
    assert str(meeting) in usage.text  # the meeting is indexed, as a control
    assert "周女士" not in usage.text
