"""The reusable scope for compound-owned snippets: every URL, forms, mixed roles, groups."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import (
    GroupApprovalTask,
    ModelLogEntry,
    Workflow,
    WorkflowContentType,
    WorkflowTask,
)

from content_types.committees.models import CommitteeCandidate, OwnersCommittee
from content_types.meetings.models import JointMeeting
from content_types.reports.models import Report
from content_types.roles.models import CompoundScopedLogEntry, Role, RoleAssignment
from content_types.roles.permissions import scope_policy_for, scoped_snippet_models
from content_types.roles.sync import role_group_name
from content_types.roles.viewsets import CompoundScopedChooserMixin, CompoundScopedObjectViewMixin
from tests.content_types.committees.factories import (
    CommitteeCandidateFactory,
    OwnersCommitteeFactory,
)
from tests.content_types.meetings.factories import JointMeetingFactory
from tests.content_types.roles.factories import RoleAssignmentFactory, UserFactory
from tests.content_types.roles.test_snippet_isolation import KINDS as ISOLATION_MATRIX

pytestmark = pytest.mark.django_db


def takes_a_pk(pattern) -> bool:
    return (
        "pk" in getattr(pattern.pattern, "converters", {})
        or "pk" in getattr(pattern.pattern, "regex", None).groupindex
    )


def test_every_compound_owned_snippet_is_in_an_isolation_matrix():
    # Reports have a matrix of their own (tests/content_types/reports/test_report_isolation.py).
    assert set(scoped_snippet_models()) == {*ISOLATION_MATRIX, Report}


@pytest.mark.parametrize("model", [OwnersCommittee, CommitteeCandidate, JointMeeting])
def test_every_admin_url_naming_a_row_goes_through_the_scope_check(model):
    viewset = model.snippet_viewset
    with_pk = [pattern for pattern in viewset.get_urlpatterns() if takes_a_pk(pattern)]
    chooser = viewset.chooser_viewset.get_urlpatterns()

    assert len(with_pk) >= 8  # edit, delete, usage, history (2), inspect, revert, compare…
    for pattern in with_pk:
        view_class = pattern.callback.view_class
        assert issubclass(view_class, CompoundScopedObjectViewMixin), pattern.name
    for pattern in chooser:
        if pattern.name != "create":
            assert issubclass(pattern.callback.view_class, CompoundScopedChooserMixin), pattern.name


def test_a_row_cannot_be_added_to_another_compound(street_tree, role_user, client):
    client.force_login(role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1))
    add_url = reverse(JointMeeting.snippet_viewset.get_url_name("add"))

    form = client.get(add_url)
    response = client.post(
        add_url,
        {
            "compound": street_tree.compound_a2.pk,
            "date": "2025-03-01",
            "community_attendees": "甲",
            "committee_attendees": "乙",
            "firm_attendees": "丙",
            "agenda": "越权议题",
        },
    )

    assert street_tree.compound_a1.title in form.text
    assert street_tree.compound_a2.title not in form.text
    assert response.status_code == 200
    assert "只能选择您负责范围内的小区。" in response.text
    assert not JointMeeting.objects.exists()


def test_a_saved_row_keeps_its_compound(street_tree, role_user, client):
    client.force_login(role_user(Role.COMMUNITY_OFFICE, street_tree.community_a))
    meeting = JointMeetingFactory(compound=street_tree.compound_a1)
    edit_url = reverse(JointMeeting.snippet_viewset.get_url_name("edit"), args=[meeting.pk])

    response = client.post(
        edit_url,
        {
            "compound": street_tree.compound_a2.pk,
            "date": "2025-03-01",
            "community_attendees": "甲",
            "committee_attendees": "乙",
            "firm_attendees": "丙",
            "agenda": "改过的议题",
        },
    )

    meeting.refresh_from_db()
    assert response.status_code == 302
    assert meeting.agenda == "改过的议题"
    assert meeting.compound_id == street_tree.compound_a1.pk


def test_change_in_one_compound_does_not_carry_over_to_another_where_the_user_only_views(
    street_tree, client
):
    user = UserFactory()
    RoleAssignmentFactory(user=user, role=Role.OWNERS_COMMITTEE, scope=street_tree.compound_a1)
    RoleAssignmentFactory(user=user, role=Role.PROPERTY_FIRM, scope=street_tree.compound_a2)
    own = JointMeetingFactory(compound=street_tree.compound_a1)
    viewed = JointMeetingFactory(compound=street_tree.compound_a2)
    client.force_login(user)
    viewset = JointMeeting.snippet_viewset

    listing = client.get(reverse(viewset.get_url_name("list")))
    inspect = client.get(reverse(viewset.get_url_name("inspect"), args=[viewed.pk]))
    edit = client.get(reverse(viewset.get_url_name("edit"), args=[viewed.pk]))
    edit_own = client.get(reverse(viewset.get_url_name("edit"), args=[own.pk]))

    assert reverse(viewset.get_url_name("edit"), args=[own.pk]) in listing.text
    assert reverse(viewset.get_url_name("inspect"), args=[viewed.pk]) in listing.text
    assert reverse(viewset.get_url_name("edit"), args=[viewed.pk]) not in listing.text
    assert inspect.status_code == 200
    assert edit.status_code == 302 and edit["Location"] == reverse("wagtailadmin_home")
    assert edit_own.status_code == 200


def test_a_superuser_reaches_every_compound(street_tree, client):
    admin = UserFactory(is_superuser=True)
    rows = [
        CommitteeCandidateFactory(compound=page)
        for page in (street_tree.compound_a1, street_tree.compound_b2)
    ]
    client.force_login(admin)

    listing = client.get(reverse(CommitteeCandidate.snippet_viewset.get_url_name("list")))

    assert all(row.name in listing.text for row in rows)


def test_a_roles_group_carries_its_snippet_permissions_and_loses_them_with_the_role(
    street_tree, role_user
):
    committee = role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1)
    street = role_user(Role.STREET_OFFICE, street_tree.street)

    assert committee.has_perm("committees.change_ownerscommittee")
    assert committee.has_perm("meetings.add_jointmeeting")
    assert committee.has_perm("firms.view_propertyfirm")
    assert not committee.has_perm("committees.view_committeecandidate")
    assert not committee.has_perm("committees.publish_ownerscommittee")
    assert not committee.has_perm("firms.change_propertyfirm")
    assert street.has_perm("committees.publish_ownerscommittee")
    assert street.has_perm("firms.publish_propertyfirm")
    assert street.has_perm("governance_tasks.change_governancetask")

    RoleAssignment.objects.filter(user=committee).delete()
    committee = type(committee).objects.get(pk=committee.pk)
    assert not committee.has_perm("committees.change_ownerscommittee")
    assert not Group.objects.filter(
        name=role_group_name(Role.OWNERS_COMMITTEE, street_tree.compound_a1)
    ).exists()


def test_compound_rows_are_logged_with_their_compound(street_tree, role_user, client):
    client.force_login(role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1))
    committee = OwnersCommitteeFactory(compound=street_tree.compound_a1)
    edit_url = reverse(OwnersCommittee.snippet_viewset.get_url_name("edit"), args=[committee.pk])

    response = client.post(
        edit_url,
        {
            "term_start": "2024-01-01",
            "term_end": "2028-12-31",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
            "members-MIN_NUM_FORMS": "0",
            "members-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 302
    entry = CompoundScopedLogEntry.objects.get(action="wagtail.edit")
    assert entry.compound_id == street_tree.compound_a1.pk
    assert entry.object_id == str(committee.pk)
    assert not ModelLogEntry.objects.filter(object_id=str(committee.pk)).exists()


def test_a_reviewer_opens_a_committee_in_moderation_of_their_compound_only(
    street_tree, role_user, client
):
    reviewer = role_user(Role.COMPOUND_PARTY, street_tree.compound_a1)
    neighbour = role_user(Role.COMPOUND_PARTY, street_tree.compound_a2)
    task = GroupApprovalTask.objects.create(name="小区党组织审核")
    task.groups.set(Group.objects.filter(user__in=[reviewer, neighbour]))
    workflow = Workflow.objects.create(name="业委会名单审核")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowContentType.objects.create(
        workflow=workflow, content_type=ContentType.objects.get_for_model(OwnersCommittee)
    )
    committee = OwnersCommitteeFactory(compound=street_tree.compound_a1, live=False)
    committee.save_revision()
    workflow.start(committee, role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1))
    edit_url = reverse(OwnersCommittee.snippet_viewset.get_url_name("edit"), args=[committee.pk])

    client.force_login(reviewer)
    assert client.get(edit_url).status_code == 200
    client.force_login(neighbour)
    assert client.get(edit_url).status_code == 404


def test_the_policy_names_the_users_who_may_act_on_a_row(street_tree, role_user):
    own = role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1)
    community = role_user(Role.COMMUNITY_OFFICE, street_tree.community_a)
    neighbour = role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a2)
    firm = role_user(Role.PROPERTY_FIRM, street_tree.compound_a1)
    meeting = JointMeetingFactory(compound=street_tree.compound_a1)
    policy = scope_policy_for(JointMeeting)

    editors = set(policy.users_with_permission_for_instance("change", meeting))
    deleters = set(policy.users_with_permission_for_instance("delete", meeting))

    assert editors == {own, community}
    assert deleters == {community}
    assert neighbour in set(policy.users_with_permission("change"))
    assert firm not in set(policy.users_with_permission("change"))
