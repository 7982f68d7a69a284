"""Years after the final result, a vote keeps its figures but no longer names its voters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from workflows.voting.models import Elector, ElectorUnit, Objection, Vote, VotingCode
from workflows.voting.selectors import count_votes
from workflows.voting.services import cast_online, lodge_objection
from workflows.voting.tasks import anonymise_old_votes, close_due_votes

from .conftest import TAIL, A, B, C, D
from .factories import move_clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def final_vote(open_ballot, committee):
    vote = open_ballot.vote
    for home, choice in ((A, "for"), (B, "for"), (C, "against"), (D, "abstain")):
        cast_online(vote, open_ballot.codes[home], TAIL[home], choice, "10.0.0.1")
    cast_online(vote, open_ballot.codes[C], TAIL[C], "for", "10.0.0.1")  # changed their mind
    move_clock(vote, closes=-1)
    close_due_votes()
    lodge_objection(Vote.objects.get(pk=vote.pk), "计票有误", submitter="张三")
    Objection.objects.filter(vote=vote).update(response="已复核", responded_at=timezone.now())
    move_clock(vote, deadline=-1)
    assert close_due_votes() == {"closed": 0, "finalised": 1}
    return Vote.objects.get(pk=vote.pk)


def finalised_years_ago(vote: Vote, years: int) -> None:
    Vote.objects.filter(pk=vote.pk).update(
        finalised_at=timezone.now() - timedelta(days=365 * years + 1)
    )


def test_the_tally_is_the_same_after_the_voters_are_forgotten(final_vote, roll):
    before = count_votes(final_vote)
    published = final_vote.results.get(stage="final").counts
    finalised_years_ago(final_vote, 3)

    assert anonymise_old_votes() == 1

    assert count_votes(final_vote) == before == published
    keys = set(Elector.objects.filter(vote=final_vote).values_list("owner_key", flat=True))
    assert not keys & {unit.owner_key for unit in roll}
    for unit in ElectorUnit.objects.filter(elector__vote=final_vote):
        assert (unit.unit_id, unit.owner_name, unit.room, unit.phone_tail_digest) == (
            None,
            "",
            "",
            "",
        )
    assert all(d.startswith("匿名-") for d in VotingCode.objects.values_list("digest", flat=True))
    assert Objection.objects.get(vote=final_vote).submitter == ""
    assert anonymise_old_votes() == 0  # done once


def test_a_vote_inside_the_retention_period_keeps_its_roll(final_vote):
    finalised_years_ago(final_vote, 2)

    assert anonymise_old_votes() == 0
    with override_settings(WEIZHI_VOTE_PERSONAL_DATA_YEARS=1):
        assert anonymise_old_votes() == 1
    assert Vote.objects.get(pk=final_vote.pk).anonymised_at is not None
