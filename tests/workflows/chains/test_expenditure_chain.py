"""四审两公开 driven through the admin as the people who do it, and the vote that ends it."""

from __future__ import annotations

import json
from datetime import timedelta
from itertools import combinations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from content_types.expenditures.models import ExpenditureProposalPage
from content_types.expenditures.usage_reports import awaiting_usage_report
from content_types.roles.models import Role, RoleAssignment
from core.civil_code import Matter
from tests.workflows.chains.chain_setup import (
    COMPOUND_CONTENT_CHAIN,
    EXPENDITURE_CHAIN_NAME,
    EXPENDITURE_SHORT_CHAIN_NAME,
)
from tests.workflows.voting.factories import codes_by_unit, move_clock
from workflows.chains.models import (
    AssemblyVoteTaskState,
    JointMeetingTaskState,
    Notification,
)
from workflows.voting.decisions import proposal_decision
from workflows.voting.models import Vote, VoteStatus
from workflows.voting.services import (
    cast_online,
    close_vote,
    finalise_vote,
    issue_codes,
    open_vote,
)

from .admin_actions import current_task_state
from .expenditure import (
    XHR,
    act,
    draft,
    login,
    sign,
    step_of,
    submit,
    through_to_joint_meeting,
    through_to_vote,
)
from .factories import OWNER_HOMES, JointMeetingFactory, roll_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_vote(chains, people, street_tree):
    """A large proposal of 锦绣花园 through three reviews, its vote drafted."""
    compound = street_tree.compound_a1
    roll_units(compound)
    page = draft(compound)
    return compound, page, through_to_vote(page, people, compound)


def run_vote(vote, user, choices: dict[str, str]):
    """Open, cast online, close and finalise through the voting services, as the committee does."""
    vote = open_vote(vote, user)
    codes = codes_by_unit(issue_codes(vote, user))
    for home, choice in choices.items():
        cast_online(vote, codes[home], OWNER_HOMES[home], choice, "10.0.0.1")
    move_clock(vote, closes=-1)
    close_vote(vote, user)
    vote.refresh_from_db()
    move_clock(vote, deadline=-1)
    return finalise_vote(vote, user)


def home_html(username: str) -> str:
    return login(username).get(reverse("wagtailadmin_home")).content.decode()


def queue_html(username: str) -> str:
    """The 待我审核 panel of the user's dashboard."""
    html = home_html(username).split('id="weizhi-review-queue-section"')[1]
    return html.split("</section>")[0]


def test_large_proposal_goes_through_four_reviews_and_a_passing_vote(
    chains, people, street_tree, client
):
    compound = street_tree.compound_a1
    roll_units(compound)
    page = draft(compound)
    assert page.get_workflow().name == EXPENDITURE_CHAIN_NAME
    # Notices keep the subtree's chain.
    assert compound.get_workflow().name == COMPOUND_CONTENT_CHAIN[0]

    submit(login("drafter_a1"), page)
    assert step_of(page) == "业委会初审"
    assert "3幢电梯维修" in queue_html("chair_a1")
    assert act(login("chair_a1"), page, "approve").status_code == 302
    assert step_of(page) == "社区(小区)党组织审核"

    # The Party organisation sends it back; the author is told why.
    act(login("party_a"), page, "reject", {"comment": "请补充第二家单位的报价。"})
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    note = Notification.objects.get(recipient=people["drafter"], event="rejected")
    assert "请补充第二家单位的报价。" in note.body and "社区(小区)党组织审核" in note.subject
    assert "请补充第二家单位的报价。" in home_html("drafter_a1")

    # Resubmitted, it resumes at the step that sent it back, not at the first.
    submit(login("drafter_a1"), page)
    assert step_of(page) == "社区(小区)党组织审核"
    assert act(login("party_a"), page, "approve").status_code == 302
    assert step_of(page) == "三方联席会议审议"

    meeting = JointMeetingFactory(compound=compound)
    response = sign(login("chair_a1"), page, meeting, "业委会同意")
    assert response.status_code == 200
    response = sign(login("firm_a1"), page, meeting)
    state = JointMeetingTaskState.objects.get(workflow_state__object_id=str(page.pk))
    assert state.status == TaskState.STATUS_IN_PROGRESS
    assert state.committee_by == people["chair"] and state.firm_by == people["firm"]
    assert state.community_by is None and state.committee_at is not None
    assert step_of(page) == "三方联席会议审议"  # two of three is not enough
    # A party that signed has nothing left to do; the third party still has.
    assert "3幢电梯维修" not in queue_html("firm_a1")
    assert "3幢电梯维修" in queue_html("office_a")
    assert act(login("firm_a1"), page, "approve", {"meeting": meeting.pk}).status_code in (302, 403)
    assert JointMeetingTaskState.objects.get(pk=state.pk).community_by is None

    sign(login("office_a"), page, meeting)
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_APPROVED
    assert state.community_by == people["office"] and state.meeting == meeting
    assert step_of(page) == "业主大会审定"

    # The step opened a draft vote on the proposal's matter; nobody approves it by hand.
    vote = AssemblyVoteTaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS).vote
    assert (vote.proposal_id, vote.compound_id, vote.matter) == (page.pk, compound.pk, page.matter)
    assert vote.status == VoteStatus.DRAFT
    assert act(login("chair_a1"), page, "approve").status_code in (302, 403)
    assert step_of(page) == "业主大会审定"
    assert not ExpenditureProposalPage.objects.get(pk=page.pk).live

    run_vote(vote, people["chair"], dict.fromkeys(OWNER_HOMES, "for"))

    page = ExpenditureProposalPage.objects.get(pk=page.pk)
    assert page.live
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_APPROVED
    comment = state.task_states.get(task__name="业主大会审定").comment
    assert "同意 5 人、专有部分面积 500.00 平方米" in comment
    assert Notification.objects.filter(recipient=people["drafter"], event="approved").exists()

    public = client.get(page.url).content.decode()
    assert "审定通过" in public and "业主大会审定通过" in public
    assert "500.00" in public and "未获通过" not in public


def test_a_proposal_the_owners_vote_down_is_published_as_failed(at_vote, people, client):
    compound, page, vote = at_vote
    choices = dict.fromkeys(OWNER_HOMES, "against")
    choices["1幢1单元101室"] = "for"
    run_vote(vote, people["chair"], choices)

    page = ExpenditureProposalPage.objects.get(pk=page.pk)
    assert page.live  # published, as failed
    assessed = TaskState.objects.get(
        task__name="业主大会审定", workflow_state__object_id=str(page.pk)
    )
    assert assessed.status == TaskState.STATUS_REJECTED
    assert (
        "未通过" in assessed.comment and "反对 4 人、专有部分面积 350.00 平方米" in assessed.comment
    )
    note = Notification.objects.get(recipient=people["drafter"], event="rejected")
    assert "反对 4 人" in note.body
    assert proposal_decision(page).passed is False

    public = client.get(page.url).content.decode()
    assert "未获通过" in public and "审定通过" not in public
    assert "350.00" in public and "150.00" in public
    # A failed proposal owes no usage report.

    assert page.pk not in set(awaiting_usage_report().values_list("pk", flat=True))


def test_joint_meeting_refuses_a_meeting_without_minutes_or_of_another_compound(
    chains, people, street_tree
):
    compound = street_tree.compound_a1
    page = draft(compound)
    through_to_joint_meeting(page, people)
    bare = JointMeetingFactory(compound=compound, minutes="")
    elsewhere = JointMeetingFactory(compound=street_tree.compound_b1)

    for meeting, message in (
        (bare, "尚无会议纪要"),
        (elsewhere, "所选会议不是本小区的三方联席会议"),
        (None, "请选择本次审议所依据的三方联席会议"),
    ):
        response = sign(login("chair_a1"), page, meeting)
        html = json.loads(response.content)["html"]
        assert message in html
    state = JointMeetingTaskState.objects.get(workflow_state__object_id=str(page.pk))
    assert state.committee_by is None and state.meeting is None

    # The form offers this compound's meetings only.
    state_pk = current_task_state(page).pk
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state_pk])
    modal = json.loads(login("chair_a1").get(url, **XHR).content)["html"]
    assert str(bare) in modal and str(elsewhere) not in modal


def test_one_partys_rejection_sends_it_back_and_signatures_start_afresh(
    chains, people, street_tree
):
    compound = street_tree.compound_a1
    page = draft(compound)
    through_to_joint_meeting(page, people)
    meeting = JointMeetingFactory(compound=compound)
    sign(login("chair_a1"), page, meeting)
    act(login("firm_a1"), page, "reject", {"comment": "报价偏高，建议重新询价。"})

    assert WorkflowState.objects.get(object_id=str(page.pk)).status == "needs_changes"
    note = Notification.objects.get(recipient=people["drafter"], event="rejected")
    assert "物业服务企业：报价偏高，建议重新询价。" in note.body

    submit(login("drafter_a1"), page)
    assert step_of(page) == "三方联席会议审议"
    fresh = JointMeetingTaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS)
    assert fresh.committee_by is None


PARTY_SIGNERS = {"community": "office_a", "committee": "chair_a1", "firm": "firm_a1"}


@pytest.mark.parametrize("missing", sorted(PARTY_SIGNERS))
def test_the_joint_meeting_waits_for_every_one_of_the_three_parties(
    chains, people, street_tree, missing
):
    compound = street_tree.compound_a1
    page = draft(compound)
    through_to_joint_meeting(page, people)
    meeting = JointMeetingFactory(compound=compound)

    for party, username in PARTY_SIGNERS.items():
        if party != missing:
            sign(login(username), page, meeting)

    state = JointMeetingTaskState.objects.get(workflow_state__object_id=str(page.pk))
    assert state.status == TaskState.STATUS_IN_PROGRESS
    assert getattr(state, f"{missing}_by") is None
    assert step_of(page) == "三方联席会议审议"

    sign(login(PARTY_SIGNERS[missing]), page, meeting)
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_APPROVED
    assert step_of(page) == "业主大会审定"


@pytest.mark.parametrize(
    "signed",
    [set(parties) for size in range(4) for parties in combinations(PARTY_SIGNERS, size)],
)
@pytest.mark.parametrize("with_meeting", [True, False])
def test_all_signed_needs_the_three_signatures_and_the_meeting(signed, with_meeting):
    state = JointMeetingTaskState(meeting_id=1 if with_meeting else None)
    for party in signed:
        setattr(state, f"{party}_by_id", 7)

    assert state.all_signed is (with_meeting and signed == set(PARTY_SIGNERS))


def test_small_proposal_takes_the_short_chain(chains, people, street_tree, client):
    compound = street_tree.compound_a1
    page = draft(compound, amount="49999.99", title="小区门禁维修")
    assert page.get_workflow().name == EXPENDITURE_SHORT_CHAIN_NAME
    submit(login("drafter_a1"), page)
    assert step_of(page) == "业委会决定"
    act(login("chair_a1"), page, "approve")
    assert step_of(page) == "报社区备案"
    assert act(login("office_b"), page, "approve").status_code in (302, 403)
    act(login("office_a"), page, "approve")

    page = ExpenditureProposalPage.objects.get(pk=page.pk)
    assert page.live
    public = client.get(page.url).content.decode()
    assert "审定通过" in public and EXPENDITURE_SHORT_CHAIN_NAME in public


def test_a_reviewer_of_one_compound_never_sees_anothers_proposal(chains, people, street_tree):
    page_b = draft(street_tree.compound_b1, title="龙山公寓外墙修缮")
    submit(login("chair_b1"), page_b)
    act(login("chair_b1"), page_b, "approve")
    act(login("party_a"), page_b, "approve")  # not theirs: refused
    assert step_of(page_b) == "社区(小区)党组织审核"

    for username in ("chair_a1", "party_a", "office_a", "firm_a1"):
        assert "龙山公寓外墙修缮" not in queue_html(username)
        client = login(username)
        edit = client.get(reverse("wagtailadmin_pages:edit", args=[page_b.pk]))
        assert edit.status_code in (302, 403)
        assert act(client, page_b, "approve").status_code in (302, 403)
    assert step_of(page_b) == "社区(小区)党组织审核"

    # At the joint meeting too, only b1's parties act.
    party_b = get_user_model().objects.create_user("party_b")

    RoleAssignment.objects.create(
        user=party_b, role=Role.COMMUNITY_PARTY, scope=street_tree.community_b
    )
    act(login("party_b"), page_b, "approve")
    assert step_of(page_b) == "三方联席会议审议"
    meeting_b = JointMeetingFactory(compound=street_tree.compound_b1)
    assert sign(login("firm_a1"), page_b, meeting_b).status_code in (302, 403)
    assert (
        JointMeetingTaskState.objects.get(workflow_state__object_id=str(page_b.pk)).firm_by is None
    )
    assert "龙山公寓外墙修缮" not in queue_html("firm_a1")
    assert "龙山公寓外墙修缮" in queue_html("firm_b1")


def test_the_terms_a_step_put_to_the_owners_cannot_be_changed_in_the_vote_form(
    at_vote, street_tree
):
    compound, page, vote = at_vote
    form_url = reverse("voting_admin:edit", args=[vote.pk])
    chair = login("chair_a1")
    assert "由大额资金使用申请的审核流程确定" in chair.get(form_url).content.decode()

    response = chair.post(
        form_url,
        {
            "compound": street_tree.compound_a2.pk,
            "proposal": "",
            "matter": Matter.OTHER_MAJOR,
            "buildings_text": "1幢",
            "title": "关于3幢电梯维修的表决（更正）",
            "description": vote.description,
            "opens_at": vote.opens_at.strftime("%Y-%m-%d %H:%M"),
            "closes_at": (vote.closes_at - timedelta(days=5)).strftime("%Y-%m-%d %H:%M"),
            "objection_days": vote.objection_days,
        },
    )

    assert response.status_code == 302
    changed = Vote.objects.get(pk=vote.pk)
    assert changed.title == "关于3幢电梯维修的表决（更正）"  # the wording and dates may change
    assert changed.closes_at < vote.closes_at
    assert (changed.compound_id, changed.proposal_id, changed.matter, changed.buildings) == (
        compound.pk,
        page.pk,
        page.matter,
        vote.buildings,
    )


def test_a_vote_changed_behind_the_form_decides_nothing(at_vote, people):
    _, page, vote = at_vote
    Vote.objects.filter(pk=vote.pk).update(matter=Matter.OTHER_MAJOR, buildings=["1幢"])
    vote.refresh_from_db()

    in_building_1 = [home for home in OWNER_HOMES if home.startswith("1幢")]
    result = run_vote(vote, people["chair"], dict.fromkeys(in_building_1, "for"))
    assert result.outcome == "passed"  # among the owners of 1幢 alone

    assessed = TaskState.objects.get(
        task__name="业主大会审定", workflow_state__object_id=str(page.pk)
    )
    assert assessed.status == TaskState.STATUS_REJECTED
    assert "不能作为业主大会审定的依据" in assessed.comment
    assert not ExpenditureProposalPage.objects.get(pk=page.pk).live


def test_the_committee_is_told_when_a_vote_waits_to_be_opened(chains, people, street_tree, client):
    compound = street_tree.compound_a1
    roll_units(compound)
    page = draft(compound)

    vote = through_to_vote(page, people, compound)

    notes = Notification.objects.filter(subject__startswith="【待开启表决】")
    # The compound's owners' committee (both of its members here), and nobody else.
    assert {note.recipient for note in notes} == {people["chair"], people["drafter"]}
    note = notes.get(recipient=people["chair"])
    assert note.url == reverse("voting_admin:detail", args=[vote.pk])
    assert "开启表决" in note.body
    assert "【待开启表决】3幢电梯维修" in home_html("chair_a1")
