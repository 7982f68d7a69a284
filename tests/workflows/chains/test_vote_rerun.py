"""重新表决: a proposal whose vote failed for want of participation is put to the owners again.

The roll (factories): five owners, 500 m². Two of them answering is 2 of 5 heads and 230 m²,
short of two-thirds on both measures.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from content_types.expenditures.models import ExpenditureProposalPage
from core.civil_code import Outcome
from tests.content_types.units.factories import UnitFactory
from tests.workflows.voting.factories import codes_by_unit, move_clock
from workflows.chains.models import AssemblyVoteTaskState
from workflows.voting.models import Vote, VoteStatus
from workflows.voting.rerun import rerun_vote
from workflows.voting.services import (
    VotingError,
    cast_online,
    close_vote,
    finalise_vote,
    issue_codes,
    open_vote,
)

from .expenditure import draft, login, through_to_vote
from .factories import OWNER_HOMES, roll_units
from .test_expenditure_chain import run_vote

pytestmark = pytest.mark.django_db

TWO_OWNERS = {"1幢1单元101室": "for", "1幢1单元201室": "for"}
EVERYONE_FOR = dict.fromkeys(OWNER_HOMES, "for")


@pytest.fixture
def failed(street_tree, people, chains):
    """The proposal through its three reviews; its vote closed with two owners of five."""
    compound = street_tree.compound_a1
    roll_units(compound)
    page = draft(compound)
    vote = through_to_vote(page, people, compound)
    result = run_vote(vote, people["chair"], TWO_OWNERS)
    assert result.outcome == Outcome.FAILED_PARTICIPATION
    return ExpenditureProposalPage.objects.get(pk=page.pk), Vote.objects.get(pk=vote.pk)


def count_open_vote(vote, user, choices: dict[str, str]):
    """Codes, online answers, the close and the final result of a vote already open."""
    codes = codes_by_unit(issue_codes(vote, user))
    for home, choice in choices.items():
        cast_online(vote, codes[home], OWNER_HOMES[home], choice, "10.0.0.1")
    close_vote(move_clock(vote, closes=-1), user)
    vote.refresh_from_db()
    return finalise_vote(move_clock(vote, deadline=-1), user)


def steps_passed(page) -> list[str]:
    return list(
        TaskState.objects.filter(
            workflow_state__object_id=str(page.pk), status=TaskState.STATUS_APPROVED
        )
        .order_by("pk")
        .values_list("task__name", flat=True)
    )


def test_the_committee_reruns_after_confirming_and_the_chain_waits_at_the_vote_step(failed, people):
    page, old = failed
    assert page.live  # the failure itself was published (审定结果公开)
    chair = login("chair_a1")
    url = reverse("voting_admin:rerun", args=[old.pk])
    detail = chair.get(reverse("voting_admin:detail", args=[old.pk])).content.decode()
    assert url in detail

    confirm = chair.get(url).content.decode()
    assert "确认发起重新表决" in confirm and "已通过的前置审核不再重复" in confirm
    assert not Vote.objects.filter(rerun_of=old).exists()  # nothing happens before the POST

    response = chair.post(url)
    rerun = Vote.objects.get(rerun_of=old)
    assert response.status_code == 302 and response["Location"] == reverse(
        "voting_admin:detail", args=[rerun.pk]
    )
    assert rerun.status == VoteStatus.DRAFT and rerun.proposal_id == page.pk
    assert rerun.matter == old.matter and rerun.title.endswith("（第2次表决）")

    # Back at 业主大会审定, waiting on the re-run; the three reviews are not asked again.
    state = WorkflowState.objects.for_instance(page).get(status=WorkflowState.STATUS_IN_PROGRESS)
    assert state.current_task_state.task.name == "业主大会审定"
    assert state.current_task_state.specific.vote == rerun
    assert steps_passed(page) == ["业委会初审", "社区(小区)党组织审核", "三方联席会议审议"]
    # The old vote is untouched, and the committee is told to open the new one.
    assert old.status == VoteStatus.FINAL and old.results.count() == 2
    admin_home = chair.get(reverse("wagtailadmin_home")).content.decode()
    assert "【待开启表决】" in admin_home


def test_the_rerun_freezes_the_register_as_it_is_now_and_decides_the_proposal(
    failed, people, street_tree, django_assert_max_num_queries
):
    page, old = failed
    rerun = rerun_vote(old, people["office"])  # the community office may start it too
    UnitFactory(
        compound=street_tree.compound_a1,
        building="3幢",
        entrance="1",
        room="101",
        exclusive_area=Decimal("100.00"),
        owner_name="己",
        owner_phone="13800000006",
    )
    opened = open_vote(rerun, people["chair"])
    assert opened.electors.count() == 6 and old.electors.count() == 5

    owner = Client()
    html = owner.get(reverse("voting:detail", args=[rerun.pk])).content.decode()
    assert "本次为重新表决" in html and reverse("voting:result", args=[old.pk]) in html
    old_result = owner.get(reverse("voting:result", args=[old.pk])).content.decode()
    assert reverse("voting:detail", args=[rerun.pk]) in old_result
    proposal_html = owner.get(page.url).content.decode()
    assert "尚未审定" in proposal_html and "未获通过" not in proposal_html
    assert old.title in proposal_html and rerun.title in proposal_html

    result = count_open_vote(opened, people["chair"], EVERYONE_FOR)
    assert result.outcome == Outcome.PASSED  # five of six owners, 500 of 600 m²
    state = WorkflowState.objects.for_instance(page).order_by("-pk").first()
    assert state.status == WorkflowState.STATUS_APPROVED
    proposal_html = owner.get(page.url).content.decode()
    assert "审定通过" in proposal_html
    # Both votes stay on the proposal's page, each with its result.
    assert proposal_html.count("查看表决结果") == 3  # the decision's tally and the two votes
    assert reverse("voting:result", args=[old.pk]) in proposal_html
    # The decision, the votes and their results: three reads however many times it was voted.
    with django_assert_max_num_queries(60) as captured:
        owner.get(page.url)
    assert len([query for query in captured if "voting_" in query["sql"]]) == 3


def test_who_may_rerun_and_only_once(failed, people):
    page, old = failed
    with pytest.raises(VotingError, match="只有本小区的业委会或社区微治办"):
        rerun_vote(old, people["firm"])
    assert login("firm_a1").get(reverse("voting_admin:rerun", args=[old.pk])).status_code == 404
    assert login("chair_b1").post(reverse("voting_admin:rerun", args=[old.pk])).status_code == 404

    rerun_vote(old, people["chair"])
    response = login("office_a").post(reverse("voting_admin:rerun", args=[old.pk]), follow=True)
    assert "不能重复发起" in response.content.decode()
    assert Vote.objects.filter(proposal=page).count() == 2


def test_a_proposal_changed_since_its_vote_goes_through_its_reviews_again(failed, people):
    page, old = failed
    page.purpose = "改为局部修补。"
    page.save_revision(user=people["drafter"])
    with pytest.raises(VotingError, match="申请在表决后已修改"):
        rerun_vote(old, people["chair"])
    assert not Vote.objects.filter(rerun_of=old).exists()
    assert not AssemblyVoteTaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS).exists()
