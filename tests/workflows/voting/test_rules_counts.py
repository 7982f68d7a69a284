"""Owners' assembly voting rules on figures counted elsewhere (SQL), and how they are reported."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from core.civil_code import (
    InvalidCountsError,
    Matter,
    Measure,
    TallyCounts,
    decide,
)

from .test_rules import CJK, measure


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
