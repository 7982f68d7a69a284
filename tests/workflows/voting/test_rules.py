"""Owners' assembly voting rules: each boundary of 《民法典》第二百七十八条, and properties."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.civil_code import (
    Ballot,
    Choice,
    Decision,
    DuplicateUnitError,
    ElectorateUnit,
    InvalidCountsError,
    Matter,
    Measure,
    Outcome,
    TallyCounts,
    UnknownOwnerError,
    VotingRuleError,
    decide,
    decide_ballots,
    tally,
)

# Written out rather than derived from Matter.is_special, so the tests check the code.
SPECIAL = (Matter.RAISE_MAINTENANCE_FUND, Matter.REBUILD, Matter.COMMON_PARTS_USE)
ORDINARY = tuple(m for m in Matter if m not in SPECIAL)
CJK = re.compile(r"[\u4e00-\u9fff]")

FOR, AGAINST, ABSTAIN = Choice.FOR, Choice.AGAINST, Choice.ABSTAIN


def roll(**owners: str | tuple[str, ...]) -> list[ElectorateUnit]:
    """``roll(a="100.00", b=("60", "40"))``: owner ``a`` holds one unit, ``b`` holds two."""
    units = []
    for owner, areas in owners.items():
        for index, area in enumerate((areas,) if isinstance(areas, str) else areas):
            units.append(ElectorateUnit(f"{owner}-{index}", owner, Decimal(area)))
    return units


def vote(**choices: Choice) -> list[Ballot]:
    return [Ballot(owner, choice) for owner, choice in choices.items()]


def measure(heads: int, area: str) -> Measure:
    return Measure(heads, Decimal(area))


# --------------------------------------------------------------------------- the matters


def test_matters_follow_the_article_items_and_wording() -> None:
    assert [(m.item, m.label) for m in Matter] == [
        (1, "制定和修改业主大会议事规则"),
        (2, "制定和修改管理规约"),
        (3, "选举业主委员会或者更换业主委员会成员"),
        (4, "选聘和解聘物业服务企业或者其他管理人"),
        (5, "使用建筑物及其附属设施的维修资金"),
        (6, "筹集建筑物及其附属设施的维修资金"),
        (7, "改建、重建建筑物及其附属设施"),
        (8, "改变共有部分的用途或者利用共有部分从事经营活动"),
        (9, "有关共有和共同管理权利的其他重大事项"),
    ]
    assert {m for m in Matter if m.is_special} == set(SPECIAL)
    assert Matter("rebuild") is Matter.REBUILD


def test_choice_and_outcome_labels() -> None:
    assert [c.label for c in Choice] == ["同意", "反对", "弃权"]
    assert Outcome.PASSED.label == "通过"
    assert Outcome.FAILED_PARTICIPATION.label == "未通过（参与表决不足）"
    assert Outcome.FAILED_SUPPORT.label == "未通过（同意不足）"


# --------------------------------------------------------------------------- participation


@pytest.mark.parametrize("matter", list(Matter))
def test_exactly_two_thirds_of_owners_taking_part_is_enough(matter: Matter) -> None:
    decision = decide_ballots(matter, roll(a="400", b="50", c="50"), vote(a=FOR, b=FOR))

    assert decision.check("participation_heads").ratio == Fraction(2, 3)
    assert decision.check("participation_heads").met
    assert decision.outcome is Outcome.PASSED
    assert decision.passed


@pytest.mark.parametrize("matter", list(Matter))
def test_one_owner_fewer_fails_participation_by_heads(matter: Matter) -> None:
    decision = decide_ballots(matter, roll(a="400", b="50", c="50"), vote(a=FOR))

    assert not decision.check("participation_heads").met
    assert decision.check("participation_area").met  # 400 of 500 m²: only heads are short
    assert decision.outcome is Outcome.FAILED_PARTICIPATION
    assert not decision.passed
    assert decision.reason == "参与表决的业主人数占比 33.33%（1/3 人），未达到三分之二。"


@pytest.mark.parametrize("matter", list(Matter))
def test_six_of_nine_owners_take_part_but_five_do_not(matter: Matter) -> None:
    electorate = roll(**{f"o{i}": "100.00" for i in range(9)})
    six = [Ballot(f"o{i}", FOR) for i in range(6)]

    assert decide_ballots(matter, electorate, six).passed
    short = decide_ballots(matter, electorate, six[:-1])
    assert short.outcome is Outcome.FAILED_PARTICIPATION
    assert short.reason == (
        "参与表决的业主人数占比 55.56%（5/9 人），未达到三分之二。"
        "参与表决的专有部分面积占比 55.56%（500.00/900.00 平方米），未达到三分之二。"
    )


@pytest.mark.parametrize("matter", list(Matter))
def test_exactly_two_thirds_of_the_area_taking_part_is_enough(matter: Matter) -> None:
    electorate = roll(a="100.00", b="100.00", c="100.00", d="150.00")
    decision = decide_ballots(matter, electorate, vote(a=FOR, b=FOR, c=FOR))

    assert decision.check("participation_area").ratio == Fraction(2, 3)
    assert decision.passed


@pytest.mark.parametrize("matter", list(Matter))
def test_a_hundredth_of_a_square_metre_short_fails_participation_by_area(matter: Matter) -> None:
    electorate = roll(a="99.99", b="100.00", c="100.00", d="150.01")
    decision = decide_ballots(matter, electorate, vote(a=FOR, b=FOR, c=FOR))

    assert decision.check("participation_heads").met  # 3 of 4 owners
    assert not decision.check("participation_area").met
    assert decision.outcome is Outcome.FAILED_PARTICIPATION
    assert decision.reason == (
        "参与表决的专有部分面积占比 66.66%（299.99/450.00 平方米），未达到三分之二。"
    )


@pytest.mark.parametrize("matter", list(Matter))
def test_failed_participation_wins_over_unanimous_support_but_all_checks_are_reported(
    matter: Matter,
) -> None:
    decision = decide_ballots(matter, roll(a="10", b="10", c="10"), vote(a=FOR))

    assert decision.outcome is Outcome.FAILED_PARTICIPATION
    assert [c.code for c in decision.checks] == [
        "participation_heads",
        "participation_area",
        "support_heads",
        "support_area",
    ]
    assert decision.check("support_heads").met
    assert decision.check("support_area").met


# --------------------------------------------------------------------------- ordinary support


@pytest.mark.parametrize("matter", ORDINARY)
def test_ordinary_matter_exactly_half_of_heads_agreeing_fails(matter: Matter) -> None:
    electorate = roll(a="400", b="100", c="100", d="100")
    decision = decide_ballots(matter, electorate, vote(a=FOR, b=FOR, c=AGAINST, d=AGAINST))

    assert decision.check("support_heads").ratio == Fraction(1, 2)
    assert not decision.check("support_heads").met
    assert decision.check("support_area").met  # 500 of 700 m²
    assert decision.outcome is Outcome.FAILED_SUPPORT
    assert decision.reason == "同意的业主人数占参与表决人数的比例 50.00%（2/4 人），未过半数。"


@pytest.mark.parametrize("matter", ORDINARY)
def test_ordinary_matter_just_over_half_of_heads_passes(matter: Matter) -> None:
    electorate = roll(a="400", b="100", c="100", d="100", e="100")
    ballots = vote(a=FOR, b=FOR, c=FOR, d=AGAINST, e=AGAINST)

    decision = decide_ballots(matter, electorate, ballots)

    assert decision.check("support_heads").ratio == Fraction(3, 5)
    assert decision.passed


@pytest.mark.parametrize("matter", ORDINARY)
def test_ordinary_matter_exactly_half_of_area_agreeing_fails(matter: Matter) -> None:
    electorate = roll(a="200.00", b="100.00", c="100.00")
    decision = decide_ballots(matter, electorate, vote(a=AGAINST, b=FOR, c=FOR))

    assert decision.check("support_heads").met  # 2 of 3 owners
    assert decision.check("support_area").ratio == Fraction(1, 2)
    assert decision.outcome is Outcome.FAILED_SUPPORT
    assert decision.reason == (
        "同意的专有部分面积占参与表决面积的比例 50.00%（200.00/400.00 平方米），未过半数。"
    )


@pytest.mark.parametrize("matter", ORDINARY)
def test_ordinary_matter_a_hundredth_over_half_of_area_passes(matter: Matter) -> None:
    electorate = roll(a="199.99", b="100.01", c="100.00")
    decision = decide_ballots(matter, electorate, vote(a=AGAINST, b=FOR, c=FOR))

    assert decision.passed
    assert decision.reason == (
        "参与表决的业主人数占比 100.00%、专有部分面积占比 100.00%，均达到三分之二；"
        "同意的业主人数占参与表决人数的 66.67%、专有部分面积占参与表决面积的 50.00%，"
        "均过半数，事项通过。"
    )


# --------------------------------------------------------------------------- special support


@pytest.mark.parametrize("matter", SPECIAL)
def test_special_matter_exactly_three_quarters_of_heads_passes(matter: Matter) -> None:
    electorate = roll(a="1000", **dict.fromkeys("bcdefgh", "10"))
    ballots = vote(a=FOR, b=FOR, c=FOR, d=FOR, e=FOR, f=FOR, g=AGAINST, h=AGAINST)

    decision = decide_ballots(matter, electorate, ballots)

    assert decision.check("support_heads").ratio == Fraction(3, 4)
    assert decision.passed


@pytest.mark.parametrize("matter", SPECIAL)
def test_special_matter_one_owner_under_three_quarters_of_heads_fails(matter: Matter) -> None:
    electorate = roll(a="1000", **dict.fromkeys("bcdefgh", "10"))
    ballots = vote(a=FOR, b=FOR, c=FOR, d=FOR, e=FOR, f=AGAINST, g=AGAINST, h=AGAINST)

    decision = decide_ballots(matter, electorate, ballots)

    assert not decision.check("support_heads").met
    assert decision.check("support_area").met  # 1040 of 1070 m²
    assert decision.outcome is Outcome.FAILED_SUPPORT
    assert decision.reason == (
        "同意的业主人数占参与表决人数的比例 62.50%（5/8 人），未达到四分之三。"
    )


@pytest.mark.parametrize("matter", SPECIAL)
def test_special_matter_exactly_three_quarters_of_area_passes(matter: Matter) -> None:
    electorate = roll(a="75.00", b="75.00", c="75.00", d="75.00", e="100.00")
    decision = decide_ballots(matter, electorate, vote(a=FOR, b=FOR, c=FOR, d=FOR, e=AGAINST))

    assert decision.check("support_area").ratio == Fraction(3, 4)
    assert decision.passed


@pytest.mark.parametrize("matter", SPECIAL)
def test_special_matter_a_hundredth_under_three_quarters_of_area_fails(matter: Matter) -> None:
    electorate = roll(a="74.99", b="75.00", c="75.00", d="75.00", e="100.01")
    decision = decide_ballots(matter, electorate, vote(a=FOR, b=FOR, c=FOR, d=FOR, e=AGAINST))

    assert decision.check("support_heads").met
    assert not decision.check("support_area").met
    assert decision.outcome is Outcome.FAILED_SUPPORT
    # 74.9975% shows as 75.00%, which is why the exact figures are printed too.
    assert decision.reason == (
        "同意的专有部分面积占参与表决面积的比例 75.00%（299.99/400.00 平方米），未达到四分之三。"
    )


@pytest.mark.parametrize("matter", list(Matter))
def test_three_fifths_in_favour_passes_ordinary_matters_only(matter: Matter) -> None:
    electorate = roll(**dict.fromkeys("abcde", "100"))
    ballots = vote(a=FOR, b=FOR, c=FOR, d=AGAINST, e=AGAINST)

    decision = decide_ballots(matter, electorate, ballots)

    assert decision.passed is (matter not in SPECIAL)
    if matter in SPECIAL:
        assert decision.outcome is Outcome.FAILED_SUPPORT
        assert decision.check("support_heads").required == Fraction(3, 4)
        assert decision.check("support_heads").inclusive
    else:
        assert decision.check("support_heads").required == Fraction(1, 2)
        assert not decision.check("support_heads").inclusive


# --------------------------------------------------------------------------- counting


def test_owner_of_several_units_counts_once_by_heads_but_with_all_their_area() -> None:
    counts = tally(roll(a=("60.50", "39.50"), b="50", c="50"), vote(a=FOR))

    assert counts.eligible == measure(3, "200.00")
    assert counts.participating == measure(1, "100.00")
    assert counts.for_ == measure(1, "100.00")


def test_co_owned_unit_is_one_owner_however_many_co_owners_vote() -> None:
    electorate = [
        ElectorateUnit(101, "101室共有人", Decimal("89.37")),
        ElectorateUnit(102, "102室", Decimal("89.37")),
    ]
    counts = tally(electorate, [Ballot("101室共有人", FOR), Ballot("101室共有人", AGAINST)])

    assert counts.eligible == measure(2, "178.74")
    assert counts.participating == measure(1, "89.37")
    assert counts.for_ == measure(0, "0")
    assert counts.against == measure(1, "89.37")


@pytest.mark.parametrize("matter", ORDINARY)
def test_abstaining_counts_as_taking_part_but_not_as_agreeing(matter: Matter) -> None:
    electorate = roll(a="100", b="100", c="100")

    without = decide_ballots(matter, electorate, vote(a=FOR))
    assert without.outcome is Outcome.FAILED_PARTICIPATION

    decision = decide_ballots(matter, electorate, vote(a=FOR, b=ABSTAIN))
    assert decision.counts.participating == measure(2, "200")
    assert decision.counts.abstain == measure(1, "100")
    assert decision.check("participation_heads").met
    assert decision.check("support_heads").ratio == Fraction(1, 2)
    assert decision.outcome is Outcome.FAILED_SUPPORT


def test_ballot_from_outside_the_electorate_is_rejected_in_chinese() -> None:
    with pytest.raises(UnknownOwnerError, match="“陌生人”不在本次表决的业主名册中") as raised:
        tally(roll(a="100"), [Ballot("a", FOR), Ballot("陌生人", FOR)])
    assert isinstance(raised.value, ValueError)
    assert raised.value.owner_key == "陌生人"


@pytest.mark.parametrize(
    ("ballots", "expected"),
    [
        ([Ballot("a", FOR), Ballot("a", AGAINST)], AGAINST),
        ([Ballot("a", AGAINST), Ballot("a", FOR)], FOR),
        ([Ballot("a", FOR), Ballot("b", FOR), Ballot("a", ABSTAIN)], ABSTAIN),
    ],
)
def test_an_owners_last_ballot_counts(ballots: list[Ballot], expected: Choice) -> None:
    counts = tally(roll(a="70", b="30"), ballots)
    by_choice = {FOR: counts.for_, AGAINST: counts.against, ABSTAIN: counts.abstain}

    assert by_choice[expected] == measure(1, "70")
    assert counts.participating.heads == len({b.owner_key for b in ballots})


@pytest.mark.parametrize("matter", list(Matter))
def test_empty_electorate_fails_with_a_reason(matter: Matter) -> None:
    decision = decide_ballots(matter, [], [])

    assert decision.outcome is Outcome.FAILED_PARTICIPATION
    assert "没有业主" in decision.reason
    assert all(not check.met and check.ratio is None for check in decision.checks)
    assert all(check.percent is None for check in decision.checks)


def test_nobody_voting_fails_participation_on_both_measures() -> None:
    decision = decide_ballots(Matter.OTHER_MAJOR, roll(a="100"), [])

    assert decision.outcome is Outcome.FAILED_PARTICIPATION
    assert decision.reason == (
        "参与表决的业主人数占比 0.00%（0/1 人），未达到三分之二。"
        "参与表决的专有部分面积占比 0.00%（0/100 平方米），未达到三分之二。"
    )


def test_a_unit_listed_twice_is_rejected() -> None:
    with pytest.raises(DuplicateUnitError, match="重复"):
        tally(
            [ElectorateUnit("1-101", "a", Decimal(90)), ElectorateUnit("1-101", "b", Decimal(90))],
            [],
        )


@pytest.mark.parametrize(
    ("area", "error"),
    [(Decimal(0), InvalidCountsError), (Decimal(-1), InvalidCountsError), (89.37, TypeError)],
)
def test_unit_area_must_be_a_positive_decimal(area: object, error: type[Exception]) -> None:
    with pytest.raises(error, match=CJK):
        ElectorateUnit("1-101", "a", area)  # type: ignore[arg-type]


def test_ballot_choice_accepts_stored_codes_and_rejects_anything_else() -> None:
    assert Ballot("a", "abstain").choice is ABSTAIN  # type: ignore[arg-type]
    with pytest.raises(VotingRuleError, match="无效"):
        Ballot("a", "maybe")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- counts from SQL


def counts(
    eligible: tuple[int, str],
    for_: tuple[int, str] = (0, "0"),
    against: tuple[int, str] = (0, "0"),
    abstain: tuple[int, str] = (0, "0"),
    participating: tuple[int, str] | None = None,
) -> TallyCounts:
    if participating is None:
        participating = (
            for_[0] + against[0] + abstain[0],
            str(Decimal(for_[1]) + Decimal(against[1]) + Decimal(abstain[1])),
        )
    return TallyCounts(
        eligible=measure(*eligible),
        participating=measure(*participating),
        for_=measure(*for_),
        against=measure(*against),
        abstain=measure(*abstain),
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"eligible": (3, "300"), "for_": (2, "200"), "participating": (3, "200")},
        {"eligible": (3, "300"), "for_": (2, "200"), "participating": (2, "200.01")},
        {"eligible": (2, "300"), "for_": (2, "200"), "against": (1, "50")},
        {"eligible": (3, "200"), "for_": (2, "200"), "against": (1, "50")},
    ],
    ids=["heads-sum", "area-sum", "more-heads-than-eligible", "more-area-than-eligible"],
)
def test_inconsistent_counts_are_rejected(kwargs: dict) -> None:
    with pytest.raises(ValueError, match=CJK):
        counts(**kwargs)


@pytest.mark.parametrize(
    ("heads", "area", "error"),
    [
        (-1, Decimal(0), InvalidCountsError),
        (1, Decimal("-0.01"), InvalidCountsError),
        (0, Decimal("10"), InvalidCountsError),
        (1, Decimal("NaN"), InvalidCountsError),
        (1, 10.5, TypeError),
        (True, Decimal(1), TypeError),
    ],
)
def test_impossible_measures_are_rejected(heads: int, area: object, error: type[Exception]) -> None:
    with pytest.raises(error, match=CJK):
        Measure(heads, area)  # type: ignore[arg-type]


def test_decide_accepts_counts_aggregated_elsewhere() -> None:
    aggregated = counts((10, "1000.00"), for_=(4, "612.00"), against=(3, "100.00"))

    decision = decide(Matter.PROPERTY_MANAGER, aggregated)

    assert decision.passed
    assert decision.check("participation_area").ratio == Fraction(712, 1000)
    assert decision.reason == (
        "参与表决的业主人数占比 70.00%、专有部分面积占比 71.20%，均达到三分之二；"
        "同意的业主人数占参与表决人数的 57.14%、专有部分面积占参与表决面积的 85.96%，"
        "均过半数，事项通过。"
    )


def test_percentages_round_half_up_from_the_exact_ratio() -> None:
    decision = decide(Matter.OTHER_MAJOR, counts((800, "800"), for_=(1, "1")))

    # 1/800 = 0.125 %: half-up gives 0.13, banker's rounding would give 0.12.
    assert decision.check("participation_heads").percent == Decimal("0.13")
    assert "0.13%（1/800 人）" in decision.reason


def test_participation_reason_names_the_area_figures() -> None:
    decision = decide(Matter.ASSEMBLY_RULES, counts((3, "1000.00"), for_=(2, "612.00")))

    assert decision.reason == (
        "参与表决的专有部分面积占比 61.20%（612.00/1000.00 平方米），未达到三分之二。"
    )


# --------------------------------------------------------------------------- properties

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
