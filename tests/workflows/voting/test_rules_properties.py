"""Owners' assembly voting rules as properties: decide() against an integer reference, and
the tally's invariants, over generated electorates and ballots."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.civil_code import (
    Ballot,
    Choice,
    Decision,
    ElectorateUnit,
    Matter,
    Measure,
    Outcome,
    TallyCounts,
    decide,
    decide_ballots,
    tally,
)

from .test_rules import CJK, FOR, SPECIAL

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, database=None)

areas = st.one_of(
    st.sampled_from([Decimal("50.00"), Decimal("100.00"), Decimal("150.00")]),
    st.integers(1, 30_000).map(lambda cents: Decimal(cents).scaleb(-2)),
)
answers = st.one_of(st.none(), st.sampled_from(Choice))


@st.composite
def electorates(draw: st.DrawFn, min_owners: int = 0) -> list[ElectorateUnit]:
    units = []
    for owner in range(draw(st.integers(min_owners, 8))):
        for unit in range(draw(st.integers(1, 3))):
            units.append(ElectorateUnit(f"{owner}-{unit}", f"owner-{owner}", draw(areas)))
    return units


@st.composite
def polls(draw: st.DrawFn, min_owners: int = 0) -> tuple[list[ElectorateUnit], dict[str, Choice]]:
    """An electorate and each owner's final answer (owners without one did not vote)."""
    electorate = draw(electorates(min_owners))
    owners = dict.fromkeys(unit.owner_key for unit in electorate)
    chosen = {owner: draw(answers) for owner in owners}
    return electorate, {owner: choice for owner, choice in chosen.items() if choice is not None}


def ballots_of(chosen: dict[str, Choice]) -> list[Ballot]:
    return [Ballot(owner, choice) for owner, choice in chosen.items()]


@st.composite
def aggregated_counts(draw: st.DrawFn) -> TallyCounts:
    """Small figures straight from "SQL", so the exact boundaries come up often."""

    def group() -> Measure:
        heads = draw(st.integers(0, 6))
        cents = 0 if heads == 0 else draw(st.integers(0, 12))
        return Measure(heads, Decimal(cents).scaleb(-2))

    for_, against, abstain, absent = group(), group(), group(), group()
    answered = (for_, against, abstain)
    participating = Measure(sum(m.heads for m in answered), sum(m.area for m in answered))
    eligible = Measure(participating.heads + absent.heads, participating.area + absent.area)
    return TallyCounts(eligible, participating, for_, against, abstain)


def reference_outcome(matter: Matter, counts: TallyCounts) -> tuple[Outcome, list[bool]]:
    """The rules restated with integers only: heads, and areas in hundredths of a square metre."""

    def cents(area: Decimal) -> int:
        scaled = area.scaleb(2)
        assert scaled == scaled.to_integral_value()
        return int(scaled)

    e_h, e_a = counts.eligible.heads, cents(counts.eligible.area)
    p_h, p_a = counts.participating.heads, cents(counts.participating.area)
    f_h, f_a = counts.for_.heads, cents(counts.for_.area)
    met = [e_h > 0 and 3 * p_h >= 2 * e_h, e_a > 0 and 3 * p_a >= 2 * e_a]
    if matter in SPECIAL:
        met += [p_h > 0 and 4 * f_h >= 3 * p_h, p_a > 0 and 4 * f_a >= 3 * p_a]
    else:
        met += [p_h > 0 and 2 * f_h > p_h, p_a > 0 and 2 * f_a > p_a]
    if not (met[0] and met[1]):
        return Outcome.FAILED_PARTICIPATION, met
    if not (met[2] and met[3]):
        return Outcome.FAILED_SUPPORT, met
    return Outcome.PASSED, met


def assert_matches_reference(decision: Decision) -> None:
    outcome, met = reference_outcome(decision.matter, decision.counts)
    assert decision.outcome is outcome
    assert [check.met for check in decision.checks] == met
    assert CJK.search(decision.reason)


@PROPERTY_SETTINGS
@given(st.sampled_from(Matter), aggregated_counts())
def test_decide_agrees_with_an_integer_reference_on_aggregated_counts(
    matter: Matter, counts: TallyCounts
) -> None:
    assert_matches_reference(decide(matter, counts))


@PROPERTY_SETTINGS
@given(st.sampled_from(Matter), polls())
def test_decide_agrees_with_an_integer_reference_on_counted_ballots(
    matter: Matter, poll: tuple[list[ElectorateUnit], dict[str, Choice]]
) -> None:
    electorate, chosen = poll
    assert_matches_reference(decide_ballots(matter, electorate, ballots_of(chosen)))


@PROPERTY_SETTINGS
@given(st.sampled_from(Matter), polls(min_owners=1), st.data())
def test_one_more_owner_agreeing_never_undoes_a_pass(
    matter: Matter, poll: tuple[list[ElectorateUnit], dict[str, Choice]], data: st.DataObject
) -> None:
    electorate, chosen = poll
    owners = dict.fromkeys(unit.owner_key for unit in electorate)
    persuadable = [owner for owner in owners if chosen.get(owner) is not FOR]
    assume(persuadable)
    convert = data.draw(st.sampled_from(persuadable))

    before = decide_ballots(matter, electorate, ballots_of(chosen))
    after = decide_ballots(matter, electorate, ballots_of({**chosen, convert: FOR}))

    for old, new in zip(before.checks, after.checks, strict=True):
        assert new.met or not old.met, old.code
    if before.passed:
        assert after.passed


@PROPERTY_SETTINGS
@given(st.sampled_from(Matter), polls(), st.data())
def test_ballot_order_never_changes_the_decision(
    matter: Matter, poll: tuple[list[ElectorateUnit], dict[str, Choice]], data: st.DataObject
) -> None:
    electorate, chosen = poll
    ballots = ballots_of(chosen)
    shuffled = data.draw(st.permutations(ballots))

    assert decide_ballots(matter, electorate, shuffled) == decide_ballots(
        matter, electorate, ballots
    )


@PROPERTY_SETTINGS
@given(electorates(min_owners=1), st.data())
def test_tally_totals_are_consistent(electorate: list[ElectorateUnit], data: st.DataObject) -> None:
    owners = sorted({unit.owner_key for unit in electorate})
    ballots = data.draw(
        st.lists(st.builds(Ballot, st.sampled_from(owners), st.sampled_from(Choice)), max_size=12)
    )
    counts = tally(electorate, ballots)
    final = {ballot.owner_key: ballot.choice for ballot in ballots}

    answered = (counts.for_, counts.against, counts.abstain)
    assert sum(m.heads for m in answered) == counts.participating.heads == len(final)
    assert sum(m.area for m in answered) == counts.participating.area
    assert counts.participating.heads <= counts.eligible.heads == len(owners)
    assert counts.participating.area <= counts.eligible.area == sum(u.area for u in electorate)
    assert counts.for_.heads == sum(choice is FOR for choice in final.values())
    assert counts.for_.area == sum(u.area for u in electorate if final.get(u.owner_key) is FOR)
