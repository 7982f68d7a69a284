"""Committee elections through the voting services: candidates, ballots, the result, the new term.

The roll is the folder's five owners (A 150 m², B 80, C 120, D 90, E 60; 500 m² in all).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import WorkflowState

from content_types.committees.models import OwnersCommittee, VettingStage
from content_types.roles.models import Role
from core.civil_code.election import ElectionOutcome, SeatOrder
from tests.content_types.committees.factories import CommitteeCandidateFactory
from tests.workflows.chains.chain_setup import attach_to_model, ensure_scoped_chain
from workflows.voting.election_results import count_election
from workflows.voting.elections import cast_election_ballot, create_election
from workflows.voting.models import (
    Ballot,
    CandidateResult,
    Vote,
    VoteResult,
    VotingPolicy,
    election_decision,
)
from workflows.voting.paper import PaperBallotInput, enter_paper_ballot
from workflows.voting.retention import anonymise_vote
from workflows.voting.services import (
    VotingError,
    close_vote,
    finalise_vote,
    issue_codes,
    open_vote,
)

from .conftest import TAIL, A, B, C, D, E
from .factories import VoteFactory, codes_by_unit, move_clock

pytestmark = pytest.mark.django_db
NAMES = ("甲候选", "乙候选", "丙候选")


@pytest.fixture
def vetted(compound):
    return [CommitteeCandidateFactory(compound=compound, name=name, live=True) for name in NAMES]


def set_up(compound, candidates, seats, user) -> Vote:
    vote = VoteFactory.build(compound=compound, title="第二届业主委员会选举")
    return create_election(vote, candidates, seats, user)


@pytest.fixture
def election(compound, roll, committee, vetted):
    vote = open_vote(set_up(compound, vetted, 2, committee), committee)
    return vote, codes_by_unit(issue_codes(vote, committee))


def keys(vote: Vote) -> dict[str, str]:
    return {c.name: c.key for c in vote.election.candidates.all()}


def ballot(vote: Vote, codes, home: str, **answers: str) -> Ballot:
    by_name = keys(vote)
    chosen = {by_name[name]: choice for name, choice in answers.items()}
    return cast_election_ballot(vote, codes[home], TAIL[home], chosen, "127.0.0.1")


def everyone(vote, codes, *, a: str, b: str, c: str) -> None:
    """A, B and C give 甲 a, 乙 b, 丙 c; D and E give 甲 a and are against 乙 and 丙."""
    for home in (A, B, C):
        ballot(vote, codes, home, 甲候选=a, 乙候选=b, 丙候选=c)
    for home in (D, E):
        ballot(vote, codes, home, 甲候选=a, 乙候选="against", 丙候选="against")


def test_only_vetted_candidates_of_the_compound_go_on_the_ballot(
    compound, committee, vetted, street_tree
):
    in_review = CommitteeCandidateFactory(
        compound=compound, name="丁候选", vetting_stage=VettingStage.STREET_REVIEW
    )
    with pytest.raises(VotingError, match="“丁候选”尚未通过业委会人选考察"):
        set_up(compound, [*vetted, in_review], 2, committee)
    elsewhere = CommitteeCandidateFactory(
        compound=street_tree.compound_a2, name="戊候选", live=True
    )
    with pytest.raises(VotingError, match="“戊候选”不是锦绣花园的业委会人选"):
        set_up(compound, [*vetted, elsewhere], 2, committee)
    with pytest.raises(VotingError, match="应选名额须在 1 至 3 名"):
        set_up(compound, vetted, 4, committee)
    assert not Vote.objects.exists()


def test_the_seat_order_is_the_configurations_when_the_election_is_set_up(
    compound, committee, vetted
):
    VotingPolicy.objects.create(seat_order=SeatOrder.AREA_THEN_HEADS)
    vote = set_up(compound, vetted, 2, committee)
    VotingPolicy.objects.update(seat_order=SeatOrder.HEADS_THEN_AREA)
    assert vote.election.order == SeatOrder.AREA_THEN_HEADS
    assert vote.matter == "committee_election"


def test_an_online_ballot_answers_every_candidate_and_may_be_changed_until_the_close(election):
    vote, codes = election
    with pytest.raises(VotingError, match="请对每一位候选人选择"):
        ballot(vote, codes, A, 甲候选="for")
    first = ballot(vote, codes, A, 甲候选="for", 乙候选="for", 丙候选="against")
    second = ballot(vote, codes, A, 甲候选="against", 乙候选="for", 丙候选="abstain")
    assert second.supersedes == first
    move_clock(vote, closes=-1)
    with pytest.raises(VotingError, match="已于.*截止"):
        ballot(vote, codes, A, 甲候选="for", 乙候选="for", 丙候选="for")
    result = close_vote(vote)
    figures = {row.candidate.name: row for row in CandidateResult.objects.filter(result=result)}
    assert (figures["甲候选"].against_heads, figures["甲候选"].against_area) == (1, 150)
    assert figures["甲候选"].for_heads == 0


def test_a_tie_at_the_last_seat_is_reported_for_a_runoff_and_drafts_no_committee(
    election, committee, client
):
    vote, codes = election
    everyone(vote, codes, a="for", b="for", c="for")
    move_clock(vote, closes=-1)
    result = close_vote(vote)
    decision = election_decision(result, vote.election)
    assert decision.outcome == ElectionOutcome.TIE_AT_LAST_SEAT
    assert result.outcome == ElectionOutcome.TIE_AT_LAST_SEAT.value
    names = {c.key: c.name for c in vote.election.candidates.all()}
    assert [names[key] for key in decision.elected] == ["甲候选"]
    assert {names[key] for key in decision.tied} == {"乙候选", "丙候选"}
    assert "须另行选举" in result.reason
    page = client.get(f"/vote/{vote.pk}/result/").content.decode()
    assert "最后席位得票相同，须另行选举" in page
    assert page.count("得票相同，须另行选举</td>") == 2

    vote.refresh_from_db()
    move_clock(vote, deadline=-1)
    finalise_vote(vote, committee)
    vote.refresh_from_db()
    assert vote.election.committee is None
    assert not OwnersCommittee.objects.exists()


def test_the_final_result_drafts_the_new_committee_for_its_own_review(election, committee):
    vote, codes = election
    everyone(vote, codes, a="for", b="for", c="abstain")
    move_clock(vote, closes=-1)
    close_vote(vote)
    vote.refresh_from_db()
    move_clock(vote, deadline=-1)
    final = finalise_vote(vote, committee)
    assert final.outcome == ElectionOutcome.ELECTED.value

    vote.refresh_from_db()
    committee_draft = vote.election.committee
    assert committee_draft is not None and not committee_draft.live
    assert [m.name for m in committee_draft.members.all()] == ["甲候选", "乙候选"]
    assert committee_draft.term_start == timezone.localdate()
    revision = committee_draft.latest_revision
    assert revision is not None and revision.user == committee
    # Without a chain attached it waits as a draft; nothing public changed.
    assert not WorkflowState.objects.filter(object_id=str(committee_draft.pk)).exists()
    assert not OwnersCommittee.objects.filter(live=True).exists()


def test_paper_ballots_of_an_election_are_entered_twice_per_candidate(
    election, committee, committee2
):
    vote, _ = election
    by_name = keys(vote)
    now = timezone.now() - timedelta(minutes=5)

    def entry(**answers: str) -> PaperBallotInput:
        chosen = {by_name[name]: choice for name, choice in answers.items()}
        return PaperBallotInput("2幢", "1", "201", "", now, answers=chosen)

    assert enter_paper_ballot(vote, committee, entry(甲候选="for", 乙候选="against")) is None
    with pytest.raises(VotingError, match="各候选人意见"):
        enter_paper_ballot(vote, committee2, entry(甲候选="for", 乙候选="for"))
    paired = enter_paper_ballot(vote, committee2, entry(甲候选="for", 乙候选="against"))
    assert paired is not None and paired.channel == "paper"
    assert paired.answers == {by_name["甲候选"]: "for", by_name["乙候选"]: "against"}
    with pytest.raises(VotingError, match="无效的候选人或意见"):
        enter_paper_ballot(vote, committee, entry(甲候选="maybe"))


def test_anonymising_an_election_keeps_its_published_figures(election, committee):
    vote, codes = election
    everyone(vote, codes, a="for", b="for", c="against")
    move_clock(vote, closes=-1)
    close_vote(vote)
    vote.refresh_from_db()
    move_clock(vote, deadline=-1)
    final = finalise_vote(vote, committee)
    anonymise_vote(vote)
    assert vote.electors.filter(owner_key__startswith="匿名-").count() == 5

    recount = count_election(vote, vote.election)
    published = election_decision(VoteResult.objects.get(pk=final.pk), vote.election)
    assert recount.participating.heads == 5
    again = {item.candidate: item.for_ for item in recount.candidates}
    assert again == {item.candidate: item.for_ for item in published.results}


def test_the_committee_reads_each_stage_of_the_result_in_the_admin(election, committee, client):
    vote, codes = election
    everyone(vote, codes, a="for", b="for", c="abstain")
    move_clock(vote, closes=-1)
    close_vote(vote)
    client.force_login(committee)
    page = client.get(f"/admin/voting/{vote.pk}/").content.decode()
    assert "初步结果" in page
    assert "当选：甲候选、乙候选" in page
    trail = client.get(f"/admin/voting/{vote.pk}/ballots/").content.decode()
    assert trail.count("甲候选：同意；乙候选：同意；丙候选：弃权") == 3


def test_where_committees_have_a_chain_the_new_term_enters_it(election, committee):
    chain = ensure_scoped_chain("业委会名单审核", [("社区审核委员名单", Role.COMMUNITY_OFFICE)])
    attach_to_model(chain, OwnersCommittee)
    vote, codes = election
    everyone(vote, codes, a="for", b="for", c="against")
    move_clock(vote, closes=-1)
    close_vote(vote)
    vote.refresh_from_db()
    move_clock(vote, deadline=-1)
    finalise_vote(vote)  # by the periodic job: the election's organiser submits

    vote.refresh_from_db()
    draft = vote.election.committee
    state = WorkflowState.objects.get(object_id=str(draft.pk), workflow=chain)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == committee
    assert state.current_task_state.task.name == "社区审核委员名单"
    assert not draft.live


def test_the_public_result_of_an_election_takes_eight_queries(
    election, committee, client, django_assert_num_queries
):
    vote, codes = election
    everyone(vote, codes, a="for", b="for", c="against")
    move_clock(vote, closes=-1)
    close_vote(vote)
    # The eighth asks whether the vote was put to the owners again (its re-run).
    with django_assert_num_queries(8):
        page = client.get(f"/vote/{vote.pk}/result/")
    assert page.status_code == 200
    assert "当选：甲候选、乙候选" in page.content.decode()
