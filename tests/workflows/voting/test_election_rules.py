"""The committee election rules: participation once, each candidate alone, seats in order, ties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.civil_code import InvalidCountsError, Measure
from core.civil_code.election import (
    CandidateCounts,
    ElectionBallot,
    ElectionCounts,
    ElectionOutcome,
    SeatOrder,
    decide_election,
    tally_election,
)


def m(heads: int, area: str) -> Measure:
    return Measure(heads, Decimal(area))


def candidate(name: str, for_: Measure, against: Measure | None = None) -> CandidateCounts:
    return CandidateCounts(name, for_, against or m(0, "0"), m(0, "0"))


ELIGIBLE = m(9, "900")
PARTICIPATING = m(6, "600")  # exactly two-thirds both ways


def test_participation_below_two_thirds_elects_no_one():
    counts = ElectionCounts(ELIGIBLE, m(5, "700"), (candidate("甲", m(5, "700")),), seats=1)
    decision = decide_election(counts)
    assert decision.outcome == ElectionOutcome.FAILED_PARTICIPATION
    assert (decision.participation_heads_met, decision.participation_area_met) == (False, True)
    assert decision.elected == ()


def test_a_candidate_passing_by_heads_but_not_by_area_is_not_elected():
    counts = ElectionCounts(
        ELIGIBLE,
        PARTICIPATING,
        (candidate("甲", m(4, "300")), candidate("乙", m(4, "301"))),
        seats=2,
    )
    decision = decide_election(counts)
    by_name = {item.candidate: item for item in decision.results}
    assert (by_name["甲"].passed_heads, by_name["甲"].passed_area) == (True, False)
    assert decision.elected == ("乙",)
    assert decision.outcome == ElectionOutcome.ELECTED


def test_more_passers_than_seats_go_in_order_of_heads_then_area():
    counts = ElectionCounts(
        ELIGIBLE,
        PARTICIPATING,
        (
            candidate("甲", m(4, "400")),
            candidate("乙", m(5, "310")),
            candidate("丙", m(4, "450")),
            candidate("丁", m(6, "600")),
        ),
        seats=3,
    )
    assert decide_election(counts).elected == ("丁", "乙", "丙")
    assert decide_election(counts, SeatOrder.AREA_THEN_HEADS).elected == ("丁", "丙", "甲")


def test_a_tie_at_the_last_seat_is_reported_not_broken():
    counts = ElectionCounts(
        ELIGIBLE,
        PARTICIPATING,
        (
            candidate("甲", m(6, "600")),
            candidate("乙", m(4, "400")),
            candidate("丙", m(4, "400")),
        ),
        seats=2,
    )
    decision = decide_election(counts)
    assert decision.outcome == ElectionOutcome.TIE_AT_LAST_SEAT
    assert decision.elected == ("甲",)
    assert set(decision.tied) == {"乙", "丙"}


def test_a_tie_within_the_seats_elects_them_all():
    counts = ElectionCounts(
        ELIGIBLE,
        PARTICIPATING,
        (candidate("甲", m(4, "400")), candidate("乙", m(4, "400")), candidate("丙", m(4, "350"))),
        seats=2,
    )
    decision = decide_election(counts)
    assert decision.outcome == ElectionOutcome.ELECTED
    assert set(decision.elected) == {"甲", "乙"} and decision.tied == ()


def test_inconsistent_counts_are_refused():
    with pytest.raises(InvalidCountsError, match="超过了参与表决"):
        ElectionCounts(ELIGIBLE, PARTICIPATING, (candidate("甲", m(4, "400"), m(3, "10")),), 1)
    with pytest.raises(InvalidCountsError, match="应选名额"):
        ElectionCounts(ELIGIBLE, PARTICIPATING, (), 0)


NAMES = ["甲", "乙", "丙", "丁", "戊", "己", "庚"]


@st.composite
def elections(draw):
    owners = draw(st.integers(min_value=1, max_value=25))
    electorate = {
        f"o{n}": Measure(1, Decimal(draw(st.integers(min_value=1, max_value=20000))) / 100)
        for n in range(owners)
    }
    names = NAMES[: draw(st.integers(min_value=1, max_value=len(NAMES)))]
    voters = draw(st.lists(st.sampled_from(sorted(electorate)), unique=True))
    answer = st.sampled_from(["for", "against", "abstain", None])
    ballots = [
        ElectionBallot(
            owner,
            {name: choice for name in names if (choice := draw(answer)) is not None},
        )
        for owner in voters
    ]
    seats = draw(st.integers(min_value=1, max_value=len(names)))
    return electorate, ballots, names, seats, draw(st.randoms(use_true_random=False))


def summary(decision):
    return (
        decision.outcome,
        decision.elected,
        frozenset(decision.tied),
        {item.candidate: item for item in decision.results},
    )


@given(elections())
def test_the_result_does_not_depend_on_the_order_of_ballots_or_candidates(election):
    electorate, ballots, names, seats, rng = election
    first = decide_election(tally_election(electorate, ballots, names, seats))
    shuffled_ballots, shuffled_names = list(ballots), list(names)
    rng.shuffle(shuffled_ballots)
    rng.shuffle(shuffled_names)
    again = decide_election(tally_election(electorate, shuffled_ballots, shuffled_names, seats))
    assert summary(first) == summary(again)


@given(elections(), st.sampled_from(list(SeatOrder)))
def test_seats_go_only_to_passers_in_rank_order_and_never_exceed_the_seats(election, order):
    electorate, ballots, names, seats, _ = election
    decision = decide_election(tally_election(electorate, ballots, names, seats), order)
    elected = [item for item in decision.results if item.elected]
    assert len(elected) <= seats
    assert all(item.passed for item in elected)
    if decision.outcome == ElectionOutcome.FAILED_PARTICIPATION:
        assert not elected and not decision.tied
        return

    def rank(item):
        pair = (item.for_.heads, item.for_.area)
        return pair if order == SeatOrder.HEADS_THEN_AREA else pair[::-1]

    passers = [item for item in decision.results if item.passed]
    left_out = [item for item in passers if not item.elected]
    assert all(rank(chosen) >= rank(other) for chosen in elected for other in left_out)
    if decision.outcome == ElectionOutcome.ELECTED:
        assert len(elected) == min(seats, len(passers))
    else:
        assert len({rank(item) for item in decision.results if item.tied}) == 1
        assert len(elected) < seats < len(elected) + len(decision.tied)


def test_a_ballot_from_outside_the_roll_is_refused():
    with pytest.raises(InvalidCountsError, match="不在业主名册"):
        tally_election({"o1": m(1, "80")}, [ElectionBallot("x", {})], ["甲"], 1)


def test_counting_follows_the_ballots():
    electorate = {"a": m(1, "100"), "b": m(1, "80"), "c": m(1, "120")}
    ballots = [
        ElectionBallot("a", {"甲": "for", "乙": "against"}),
        ElectionBallot("b", {"甲": "for"}),
        ElectionBallot("c", {"甲": "abstain", "乙": "for"}),
    ]
    counts = tally_election(electorate, ballots, ["甲", "乙"], 1)
    assert counts.participating == m(3, "300")
    first = counts.candidates[0]
    assert (first.for_, first.abstain) == (m(2, "180"), m(1, "120"))
    assert decide_election(counts).elected == ("甲",)


# --------------------------------------------------------------------------- properties


@given(elections(), st.sampled_from(list(SeatOrder)))
def test_without_two_thirds_of_heads_or_area_no_one_is_elected(election, order):
    electorate, ballots, names, seats, _ = election
    counts = tally_election(electorate, ballots, names, seats)
    decision = decide_election(counts, order)
    heads_met = 3 * counts.participating.heads >= 2 * counts.eligible.heads
    area_met = 3 * counts.participating.area >= 2 * counts.eligible.area
    assert (decision.participation_heads_met, decision.participation_area_met) == (
        heads_met,
        area_met,
    )
    if not (heads_met and area_met):
        assert decision.outcome == ElectionOutcome.FAILED_PARTICIPATION
        assert decision.elected == () and decision.tied == ()


@given(elections())
def test_a_candidate_passes_only_by_more_than_half_of_both_heads_and_area(election):
    electorate, ballots, names, seats, _ = election
    counts = tally_election(electorate, ballots, names, seats)
    decision = decide_election(counts)
    taking_part = counts.participating
    for item in decision.results:
        assert item.passed_heads == (2 * item.for_.heads > taking_part.heads)
        assert item.passed_area == (taking_part.area > 0 and 2 * item.for_.area > taking_part.area)
        if item.elected:
            assert item.passed_heads and item.passed_area


@given(
    st.integers(min_value=1, max_value=6),
    st.lists(st.integers(min_value=1, max_value=5000), min_size=3, max_size=3),
)
def test_passing_by_heads_but_not_by_area_is_not_enough(small, areas):
    # Three small owners for, two large owners against: a majority of heads, never of area.
    small_area = Decimal(small)
    large = [Decimal(area) + 3 * small_area for area in areas[:2]]
    electorate = {
        "s1": Measure(1, small_area),
        "s2": Measure(1, small_area),
        "s3": Measure(1, small_area),
        "l1": Measure(1, large[0]),
        "l2": Measure(1, large[1]),
    }
    ballots = [ElectionBallot(key, {"甲": "for"}) for key in ("s1", "s2", "s3")]
    ballots += [ElectionBallot(key, {"甲": "against"}) for key in ("l1", "l2")]
    decision = decide_election(tally_election(electorate, ballots, ["甲"], 1))
    [result] = decision.results
    assert (result.passed_heads, result.passed_area, result.elected) == (True, False, False)


@given(elections(), st.sampled_from(list(SeatOrder)))
def test_with_more_passers_than_seats_the_seats_fill_in_rank_order_or_a_tie_is_reported(
    election, order
):
    electorate, ballots, names, seats, _ = election
    decision = decide_election(tally_election(electorate, ballots, names, seats), order)
    passers = [item for item in decision.results if item.passed]
    if decision.outcome == ElectionOutcome.FAILED_PARTICIPATION or len(passers) <= seats:
        return
    elected = [item for item in decision.results if item.elected]
    if decision.outcome == ElectionOutcome.ELECTED:
        assert len(elected) == seats
    else:
        assert decision.outcome == ElectionOutcome.TIE_AT_LAST_SEAT
        assert len(elected) < seats and len(elected) + len(decision.tied) > seats


@given(
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=2, max_value=4),
    st.integers(min_value=1, max_value=30000),
    st.randoms(use_true_random=False),
)
def test_equal_candidates_at_the_last_seat_are_always_reported_as_a_tie(
    above, tied_count, area_centi, rng
):
    # Everyone votes; ``above`` candidates get every vote, the tied ones exactly the same
    # majority, and there is one seat fewer than candidates down to the tied ones' level.
    owners = 5
    area = Decimal(area_centi) / 100
    electorate = {f"o{n}": Measure(1, area) for n in range(owners)}
    top = [f"上{n}" for n in range(above)]
    tied = [f"平{n}" for n in range(tied_count)]
    ballots = [
        ElectionBallot(
            f"o{n}",
            {**dict.fromkeys(top, "for"), **dict.fromkeys(tied, "for" if n < 3 else "against")},
        )
        for n in range(owners)
    ]
    names = [*top, *tied]
    rng.shuffle(names)
    rng.shuffle(ballots)
    seats = above + tied_count - 1
    for order in SeatOrder:
        decision = decide_election(tally_election(electorate, ballots, names, seats), order)
        assert decision.outcome == ElectionOutcome.TIE_AT_LAST_SEAT
        assert set(decision.elected) == set(top)
        assert set(decision.tied) == set(tied)
