"""Paper ballots: keyed twice by different users, counted only when both keyings match."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from content_types.units.models import Unit
from tests.content_types.units.factories import UnitFactory
from workflows.voting.models import AppendOnlyError, Ballot, Channel, PaperEntry
from workflows.voting.paper import PaperBallotInput, enter_paper_ballot, void_paper_entry
from workflows.voting.selectors import count_votes
from workflows.voting.services import VotingError, cast_online, close_vote, open_vote

from .conftest import TAIL, A
from .factories import VoteFactory, move_clock

pytestmark = pytest.mark.django_db


def sheet(room="101", building="1幢", choice="for", minutes_ago=30, corrects=None):
    return PaperBallotInput(
        building=building,
        entrance="1",
        room=room,
        choice=choice,
        received_at=(timezone.now() - timedelta(minutes=minutes_ago)).replace(
            second=0, microsecond=0
        ),
        corrects_id=corrects,
    )


def keyed_twice(vote, first_user, second_user, entry):
    assert enter_paper_ballot(vote, first_user, entry) is None
    return enter_paper_ballot(vote, second_user, entry)


def test_a_paper_ballot_counts_once_a_second_user_keys_it_identically(
    open_ballot, committee, committee2
):
    vote = open_ballot.vote
    entry = sheet(choice="against")

    assert enter_paper_ballot(vote, committee, entry) is None
    assert not Ballot.objects.exists()
    assert count_votes(vote).participating.heads == 0

    ballot = enter_paper_ballot(vote, committee2, entry)

    assert (ballot.channel, ballot.choice, ballot.cast_at) == (
        Channel.PAPER,
        "against",
        entry.received_at,
    )
    assert {ballot.first_entry.entered_by, ballot.second_entry.entered_by} == {
        committee,
        committee2,
    }
    assert count_votes(vote).against.area == 150  # owner A holds 101 and 102


def test_the_same_user_cannot_key_both_halves(open_ballot, committee):
    enter_paper_ballot(open_ballot.vote, committee, sheet())

    with pytest.raises(VotingError, match="须由另一位工作人员复核录入"):
        enter_paper_ballot(open_ballot.vote, committee, sheet())

    assert PaperEntry.objects.count() == 1 and not Ballot.objects.exists()


@pytest.mark.parametrize(
    "second, named",
    [
        ({"choice": "against"}, "表决意见"),
        ({"minutes_ago": 31}, "收到时间"),
        ({"choice": "abstain", "minutes_ago": 40}, "表决意见、收到时间"),
    ],
)
def test_a_second_keying_that_differs_is_refused_blind(
    open_ballot, committee, committee2, second, named
):
    enter_paper_ballot(open_ballot.vote, committee, sheet(choice="for"))

    with pytest.raises(VotingError) as refused:
        enter_paper_ballot(open_ballot.vote, committee2, sheet(**second))

    message = str(refused.value)
    assert f"不一致（{named}）" in message and "本次录入未保存" in message
    assert "同意" not in message  # the first keying's answer is not revealed
    assert PaperEntry.objects.count() == 1 and not Ballot.objects.exists()


def test_a_wrong_first_keying_is_voided_and_keyed_again(open_ballot, committee, committee2):
    vote = open_ballot.vote
    enter_paper_ballot(vote, committee, sheet(choice="for"))
    wrong = PaperEntry.objects.get()

    void_paper_entry(wrong, committee2)
    with pytest.raises(VotingError, match="不能作废"):
        void_paper_entry(wrong, committee2)
    ballot = keyed_twice(vote, committee2, committee, sheet(choice="against"))

    assert ballot.choice == "against" and wrong.pk not in (
        ballot.first_entry_id,
        ballot.second_entry_id,
    )


def test_a_ballot_for_someone_outside_the_electorate_is_refused(
    compound, roll, committee, committee2
):
    vote = open_vote(VoteFactory(compound=compound, buildings=["1幢"]), committee)
    UnitFactory(compound=compound, building="1幢", entrance="1", room="999")  # after the freeze

    for outsider in (sheet(building="2幢"), sheet(room="999"), sheet(room="404")):
        with pytest.raises(VotingError, match="不在本次表决的业主名册中"):
            enter_paper_ballot(vote, committee, outsider)

    assert not PaperEntry.objects.exists()


@pytest.mark.parametrize(
    "minutes_ago, message",
    [(-5, "不能晚于当前时间"), (24 * 60, "早于表决开始时间")],
)
def test_a_received_time_outside_the_vote_is_refused(open_ballot, committee, minutes_ago, message):
    with pytest.raises(VotingError, match=message):
        enter_paper_ballot(open_ballot.vote, committee, sheet(minutes_ago=minutes_ago))

    assert not PaperEntry.objects.exists()


def test_the_later_of_a_paper_and_an_online_ballot_counts(open_ballot, committee, committee2):
    vote = open_ballot.vote
    keyed_twice(vote, committee, committee2, sheet(choice="for", minutes_ago=20))
    # Voting online now is later than the paper ballot received 20 minutes ago.
    cast_online(vote, open_ballot.codes[A], TAIL[A], "against", "10.0.0.1")
    assert count_votes(vote).against.heads == 1

    # A paper ballot keyed now but received before the online vote does not override it.
    keyed_twice(vote, committee2, committee, sheet(choice="abstain", minutes_ago=10))
    assert (count_votes(vote).against.heads, count_votes(vote).abstain.heads) == (1, 0)


def test_a_correction_replaces_the_mis_keyed_ballot(open_ballot, committee, committee2):
    vote = open_ballot.vote
    wrong = keyed_twice(vote, committee, committee2, sheet(choice="for", minutes_ago=5))

    fixed = keyed_twice(
        vote, committee2, committee, sheet(choice="against", minutes_ago=50, corrects=wrong.pk)
    )

    assert fixed.supersedes == wrong
    assert Ballot.objects.count() == 2  # the wrong one is kept, and no longer counts
    counted = count_votes(vote)
    assert (counted.for_.heads, counted.against.heads) == (0, 1)
    with pytest.raises(VotingError, match="已被更正过"):
        enter_paper_ballot(vote, committee, sheet(corrects=wrong.pk))


def test_only_paper_ballots_of_the_same_owner_can_be_corrected(open_ballot, committee, committee2):
    vote = open_ballot.vote
    online = cast_online(vote, open_ballot.codes[A], TAIL[A], "for", "10.0.0.1")
    other = keyed_twice(vote, committee, committee2, sheet(room="201"))

    for wrong_target in (online.pk, other.pk, 999_999):
        with pytest.raises(VotingError, match="不是1幢1单元101室业主的纸质票"):
            enter_paper_ballot(vote, committee, sheet(corrects=wrong_target))
    assert PaperEntry.objects.count() == 2


def test_after_the_close_only_corrections_may_be_keyed(open_ballot, committee, committee2):
    vote = open_ballot.vote
    keyed = keyed_twice(vote, committee, committee2, sheet(choice="for", minutes_ago=20))
    vote = move_clock(vote, closes=-1)
    close_vote(vote)
    vote.refresh_from_db()

    with pytest.raises(VotingError, match="只能更正已录入的纸质票"):
        enter_paper_ballot(vote, committee, sheet(room="201", minutes_ago=20))
    keyed_twice(
        vote, committee, committee2, sheet(choice="against", minutes_ago=20, corrects=keyed.pk)
    )

    assert count_votes(vote).against.heads == 1


def test_recorded_ballots_cannot_be_changed_or_deleted(open_ballot, committee, committee2):
    ballot = keyed_twice(open_ballot.vote, committee, committee2, sheet(choice="for"))

    ballot.choice = "against"
    with pytest.raises(AppendOnlyError, match="表决票一经记录不得修改或删除"):
        ballot.save()
    with pytest.raises(AppendOnlyError, match="不得修改或删除"):
        ballot.delete()
    with pytest.raises(AppendOnlyError, match="不得修改或删除"):
        Ballot.objects.filter(pk=ballot.pk).update(choice="against")
    with pytest.raises(AppendOnlyError, match="不得修改或删除"):
        Ballot.objects.all().delete()

    assert Ballot.objects.get().choice == "for"


def test_the_register_changing_after_the_opening_changes_nothing(open_ballot, compound):
    """Neither the figures nor the second factor: the roll was frozen when the vote opened."""
    before = count_votes(open_ballot.vote)
    Unit.objects.filter(compound=compound, room="101", building="1幢").update(
        exclusive_area=999, owner_phone="13900000000"
    )
    Unit.objects.filter(compound=compound, building="2幢").delete()
    UnitFactory(compound=compound, building="3幢", room="101")

    assert count_votes(open_ballot.vote) == before
    cast_online(open_ballot.vote, open_ballot.codes[A], TAIL[A], "for", "10.0.0.1")
    assert count_votes(open_ballot.vote).for_.area == 150
