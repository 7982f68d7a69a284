"""The tally counted in SQL equals the rule engine's own count, at constant query cost."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Exists, OuterRef

from benchmarks.voting_data import populate_ballots, populate_register
from core.civil_code import Ballot as RuleBallot
from core.civil_code import ElectorateUnit, Matter, Measure, decide, tally
from workflows.voting.models import Ballot, Channel, ElectorUnit, PaperEntry
from workflows.voting.selectors import count_votes
from workflows.voting.services import cast_online, open_vote

from .conftest import TAIL, A, B, C, D
from .factories import VoteFactory

pytestmark = pytest.mark.django_db


def rules_tally(vote):
    """The same roll and ballots, counted by rules.tally() in recording order.

    The stated rule decides the order: superseded ballots never count, and of the rest the one
    cast or received last counts (equal times: the one recorded later).
    """
    roll = [
        ElectorateUnit(unit.pk, unit.elector.owner_key, Decimal(unit.area_centi).scaleb(-2))
        for unit in ElectorUnit.objects.filter(elector__vote=vote).select_related("elector")
    ]
    superseded = Ballot.objects.filter(supersedes=OuterRef("pk"))
    ballots = [
        RuleBallot(ballot.elector.owner_key, ballot.choice)
        for ballot in Ballot.objects.filter(elector__vote=vote)
        .exclude(Exists(superseded))
        .select_related("elector")
        .order_by("cast_at", "pk")
    ]
    return tally(roll, ballots)


def make_vote(compound, clerks, *, units, voters, seed, matter=Matter.OTHER_MAJOR):
    populate_register(compound, units=units, seed=seed)
    vote = open_vote(VoteFactory(compound=compound, matter=matter), clerks[0])
    populate_ballots(vote, voters=voters, seed=seed, clerks=clerks)
    return vote


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_the_database_tally_equals_the_rule_engine_tally(compound, committee, committee2, seed):
    vote = make_vote(compound, (committee, committee2), units=90, voters=40 + 8 * seed, seed=seed)
    # The data really exercises the rule: changes, corrections and both channels are present.
    assert Ballot.objects.filter(elector__vote=vote, supersedes__isnull=False).exists()
    assert {b.channel for b in Ballot.objects.filter(elector__vote=vote)} == {"online", "paper"}

    counted = count_votes(vote)

    assert counted == rules_tally(vote)
    for matter in (Matter.OTHER_MAJOR, Matter.RAISE_MAINTENANCE_FUND):
        assert decide(matter, counted) == decide(matter, rules_tally(vote))


def test_an_owner_with_two_units_is_one_head_with_both_areas(open_ballot, committee):
    cast_online(open_ballot.vote, open_ballot.codes[A], TAIL[A], "for", "10.0.0.1")

    counted = count_votes(open_ballot.vote)

    assert counted.eligible == Measure(5, Decimal("500.00"))
    assert counted.for_ == Measure(1, Decimal("150.00"))
    assert counted.participating == Measure(1, Decimal("150.00"))


def test_nothing_cast_counts_nobody(open_ballot):
    counted = count_votes(open_ballot.vote)

    assert counted.participating == Measure(0, Decimal(0))
    assert counted.eligible == Measure(5, Decimal("500.00"))


@pytest.mark.parametrize("units, voters", [(30, 20), (300, 220)])
def test_the_tally_takes_two_queries_whatever_the_size(
    compound, committee, committee2, django_assert_num_queries, units, voters
):
    vote = make_vote(compound, (committee, committee2), units=units, voters=voters, seed=units)

    with django_assert_num_queries(2):  # the roll's totals, and the counting ballots by answer
        count_votes(vote)


def test_later_ballot_counts_across_channels_and_corrections_void_the_corrected(
    open_ballot, committee, committee2
):
    """Hand-built: paper received before an online ballot loses to it, after it wins."""
    vote = open_ballot.vote
    electors = {unit.label: unit.elector for unit in ElectorUnit.objects.filter(elector__vote=vote)}
    start = vote.opens_at

    def paper(label, choice, minutes, corrects=None):
        received = start + timedelta(minutes=minutes)
        first, second = (
            PaperEntry.objects.create(
                elector=electors[label],
                choice=choice,
                received_at=received,
                entered_by=clerk,
                corrects=corrects,
            )
            for clerk in (committee, committee2)
        )
        return Ballot.objects.create(
            elector=electors[label],
            choice=choice,
            channel=Channel.PAPER,
            cast_at=received,
            first_entry=first,
            second_entry=second,
            supersedes=corrects,
        )

    def online(label, choice, minutes):
        return Ballot.objects.create(
            elector=electors[label],
            choice=choice,
            channel=Channel.ONLINE,
            cast_at=start + timedelta(minutes=minutes),
            code=electors[label].codes.get(),
        )

    # A: paper received at 10, online at 20: the online answer (against) counts.
    paper(A, "for", 10)
    online(A, "against", 20)
    # B: paper received at 30 but keyed after an online vote at 10: the paper (for) counts.
    online(B, "against", 10)
    paper(B, "for", 30)
    # C: paper mis-keyed as "for" received at 40, corrected to "abstain" received at 5.
    wrong = paper(C, "for", 40)
    paper(C, "abstain", 5, corrects=wrong)
    # D and E: the same minute on both channels; the one recorded later counts.
    online(D, "for", 15)
    paper(D, "against", 15)

    counted = count_votes(vote)

    assert counted.against == Measure(2, Decimal("240.00"))  # A (150) and D (90)
    assert counted.for_ == Measure(1, Decimal("80.00"))  # B
    assert counted.abstain == Measure(1, Decimal("120.00"))  # C
    assert counted == rules_tally(vote)
