"""Only a vote that closed without two-thirds taking part is re-run; every other is refused.

The roll (conftest): five owners, 500 m². This vote puts no proposal to the owners, so no chain
follows it: the re-run is the vote alone.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from workflows.voting.models import Vote, VoteStatus
from workflows.voting.rerun import rerun_vote
from workflows.voting.services import VotingError, cast_online, close_vote, finalise_vote

from .conftest import TAIL, A, B, C, D, E
from .factories import move_clock

pytestmark = pytest.mark.django_db


def answer_and_close(open_ballot, user, choices: dict[str, str], *, final: bool = True) -> Vote:
    vote = open_ballot.vote
    for home, choice in choices.items():
        cast_online(vote, open_ballot.codes[home], TAIL[home], choice, "10.0.0.1")
    close_vote(move_clock(vote, closes=-1), user)
    vote.refresh_from_db()
    if final:
        finalise_vote(move_clock(vote, deadline=-1), user)
    vote.refresh_from_db()
    return vote


@pytest.mark.parametrize(
    ("choices", "final", "refusal"),
    [
        ({A: "for", B: "for", C: "for", D: "for"}, True, "该表决已通过，不能重新表决。"),
        ({A: "against", B: "against", C: "against", D: "for"}, True, "是经表决未获同意"),
        ({A: "for"}, False, "异议期内结果尚未最终确认"),
    ],
    ids=["passed", "turned-down", "objection-window"],
)
def test_a_vote_that_did_not_fail_on_participation_is_not_rerun(
    client, open_ballot, committee, choices, final, refusal
):
    vote = answer_and_close(open_ballot, committee, choices, final=final)
    with pytest.raises(VotingError, match=refusal):
        rerun_vote(vote, committee)
    client.force_login(committee)
    assert refusal in client.get(reverse("voting_admin:rerun", args=[vote.pk])).content.decode()
    response = client.post(reverse("voting_admin:rerun", args=[vote.pk]), follow=True)
    assert refusal in response.content.decode()
    assert Vote.objects.count() == 1


def test_an_open_vote_is_not_rerun(open_ballot, committee):
    with pytest.raises(VotingError, match="表决仍在进行中"):
        rerun_vote(open_ballot.vote, committee)
    assert Vote.objects.count() == 1


def test_a_vote_short_of_two_thirds_is_rerun_with_its_terms_and_a_link_back(
    client, open_ballot, committee
):
    vote = answer_and_close(open_ballot, committee, {A: "for", E: "for"})
    client.force_login(committee)
    assert (
        reverse("voting_admin:rerun", args=[vote.pk])
        in client.get(reverse("voting_admin:detail", args=[vote.pk])).content.decode()
    )

    rerun = rerun_vote(vote, committee)
    assert (rerun.status, rerun.rerun_of, rerun.matter) == (VoteStatus.DRAFT, vote, vote.matter)
    assert rerun.closes_at - rerun.opens_at == vote.closes_at - vote.opens_at
    assert not rerun.electors.exists()  # frozen when it is opened, from the register then
    page = client.get(reverse("voting_admin:detail", args=[rerun.pk])).content.decode()
    assert "的重新表决" in page and reverse("voting_admin:detail", args=[vote.pk]) in page
    # A draft is nobody's business yet: the old vote's public page does not point to it.
    result = client.get(reverse("voting:result", args=[vote.pk])).content.decode()
    assert reverse("voting:detail", args=[rerun.pk]) not in result
