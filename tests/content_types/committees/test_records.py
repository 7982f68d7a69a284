"""Committee records (measure 7): what the community Party organisation records takes effect.

Trainings and evaluations are saved through the admin by a 社区党组织 user and show on the
dashboard at once; evaluations keep one record per member and year, and 不称职 opens the
withdrawal step, logged, for the community to start.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from content_types.committees.models import (
    EvaluationGrade,
    MemberEvaluation,
    MemberWithdrawal,
    TrainingSession,
    WithdrawalStatus,
    members_trained_in,
)
from content_types.roles.models import CompoundScopedLogEntry, Role
from tests.content_types.committees.factories import (
    CommitteeMemberFactory,
    OwnersCommitteeFactory,
    attend,
)
from tests.content_types.committees.test_dashboard import render_panel

pytestmark = pytest.mark.django_db


def add_url(model: type) -> str:
    return reverse(model.snippet_viewset.get_url_name("add"))


def record_training(client, compound, attendees):
    """The 社区党组织 user's form: a training today, with these members attending."""
    return client.post(
        add_url(TrainingSession),
        {
            "compound": compound.pk,
            "date": timezone.localdate().isoformat(),
            "topic": "业委会履职培训",
            "organiser": "凤鸣社区党委",
            "attendees": [member.pk for member in attendees],
        },
    )


@pytest.fixture
def committee(street_tree):
    committee = OwnersCommitteeFactory(compound=street_tree.compound_a1)
    CommitteeMemberFactory(committee=committee, name="王建国", trained_on=False)
    CommitteeMemberFactory(committee=committee, name="李秀英", trained_on=False)
    return committee


@pytest.fixture
def party_client(client, street_tree, role_user):
    user = role_user(Role.COMMUNITY_PARTY, street_tree.community_a)
    client.force_login(user)
    client.user = user
    return client


def test_a_training_recorded_by_the_party_organisation_clears_the_dashboard_flag(
    committee, party_client
):
    wang, li = committee.members.order_by("sort_order")
    before = render_panel(party_client.user)
    assert "王建国" in before and "李秀英" in before

    response = record_training(party_client, committee.compound, [wang])

    assert response.status_code == 302, response.content.decode()
    after = render_panel(party_client.user)
    assert "王建国" not in after and "李秀英" in after
    assert list(members_trained_in(timezone.localdate().year)) == [wang]
    session = TrainingSession.objects.get()
    assert session.attendee_names == "王建国"
    assert CompoundScopedLogEntry.objects.filter(action="wagtail.create").exists()


def test_a_training_cannot_list_a_member_of_another_compound(committee, party_client, street_tree):
    other = OwnersCommitteeFactory(compound=street_tree.compound_b1)
    stranger = CommitteeMemberFactory(committee=other, name="外小区委员", trained_on=False)

    response = record_training(party_client, committee.compound, [stranger])

    assert response.status_code == 200
    assert "只能选择您负责范围内现任业委会的委员" in response.content.decode()
    assert not TrainingSession.objects.exists()


def evaluate(client, member, year: int, grade: str):
    return client.post(
        add_url(MemberEvaluation),
        {
            "compound": member.committee.compound_id,
            "member": member.pk,
            "year": year,
            "grade": grade,
            "notes": "",
        },
    )


def test_evaluations_keep_their_history_across_two_years(committee, party_client):
    wang = committee.members.get(name="王建国")
    year = timezone.localdate().year

    assert evaluate(party_client, wang, year - 2, EvaluationGrade.EXCELLENT).status_code == 302
    assert (
        evaluate(party_client, wang, year - 1, EvaluationGrade.BASICALLY_COMPETENT).status_code
        == 302
    )
    again = evaluate(party_client, wang, year - 1, EvaluationGrade.COMPETENT)

    assert again.status_code == 200
    assert "该委员本年度已有考核记录，请修改原记录。" in again.content.decode()
    history = list(wang.evaluations.order_by("year").values_list("year", "grade"))
    assert history == [
        (year - 2, EvaluationGrade.EXCELLENT),
        (year - 1, EvaluationGrade.BASICALLY_COMPETENT),
    ]
    listing = party_client.get(reverse(MemberEvaluation.snippet_viewset.get_url_name("list")))
    shown = listing.content.decode()
    assert "优秀" in shown and "基本称职" in shown
    assert not MemberWithdrawal.objects.exists()


def test_an_incompetent_grade_opens_the_withdrawal_for_the_community_to_start(
    committee, party_client
):
    li = committee.members.get(name="李秀英")
    year = timezone.localdate().year - 1

    assert evaluate(party_client, li, year, EvaluationGrade.INCOMPETENT).status_code == 302

    withdrawal = MemberWithdrawal.objects.get()
    assert withdrawal.status == WithdrawalStatus.OPEN and withdrawal.member_name == "李秀英"
    assert CompoundScopedLogEntry.objects.filter(
        action="committees.withdrawal_open", object_id=str(withdrawal.pk)
    ).exists()
    assert "待社区启动退出程序" in render_panel(party_client.user)

    started = party_client.post(
        reverse(MemberWithdrawal.snippet_viewset.get_url_name("edit"), args=[withdrawal.pk]),
        {"status": WithdrawalStatus.STARTED, "started_on": "", "notes": "已约谈本人"},
    )
    assert "启动退出程序时请填写启动日期。" in started.content.decode()
    party_client.post(
        reverse(MemberWithdrawal.snippet_viewset.get_url_name("edit"), args=[withdrawal.pk]),
        {
            "status": WithdrawalStatus.STARTED,
            "started_on": timezone.localdate().isoformat(),
            "notes": "已约谈本人",
        },
    )
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.STARTED
    assert "待社区启动退出程序" not in render_panel(party_client.user)
    assert CompoundScopedLogEntry.objects.filter(
        action="wagtail.edit", object_id=str(withdrawal.pk)
    ).exists()


def test_history_outlives_the_member_leaving_the_roster(committee):
    wang = committee.members.get(name="王建国")
    attend(wang, datetime.date(timezone.localdate().year - 1, 5, 1))
    MemberEvaluation.objects.create(
        compound=committee.compound,
        member=wang,
        member_name=wang.name,
        year=timezone.localdate().year - 1,
        grade=EvaluationGrade.COMPETENT,
    )

    wang.delete()

    assert TrainingSession.objects.get().attendee_names == "王建国"
    assert MemberEvaluation.objects.get().member_name == "王建国"
