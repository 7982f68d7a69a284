"""Owners' assembly voting rules: each boundary of 《民法典》第二百七十八条.

Figures counted elsewhere: ``test_rules_counts``; properties: ``test_rules_properties``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import pytest

from core.civil_code import (
    Ballot,
    Choice,
    DuplicateUnitError,
    ElectorateUnit,
    InvalidCountsError,
    Matter,
    Measure,
    Outcome,
    UnknownOwnerError,
    VotingRuleError,
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
