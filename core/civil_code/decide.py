"""Judging counted figures against 第二百七十八条第二款, with the working shown."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from .matters import (
    PARTICIPATION_THRESHOLD,
    Matter,
    Outcome,
    Threshold,
)
from .tally import Ballot, ElectorateUnit, Measure, TallyCounts, tally

if TYPE_CHECKING:
    from collections.abc import Iterable

# --------------------------------------------------------------------------- deciding


def _percent(ratio: Fraction) -> Decimal:
    """Two decimals, rounded half up from the exact ratio; going via float could misround."""
    hundredths, remainder = divmod(ratio.numerator * 10_000, ratio.denominator)
    if 2 * remainder >= ratio.denominator:
        hundredths += 1
    return Decimal(f"{hundredths}E-2")


@dataclass(frozen=True)
class ThresholdCheck:
    """One bar measured, kept with its figures so an announcement can show its working."""

    code: str
    label: str
    numerator: int | Decimal
    denominator: int | Decimal
    required: Fraction
    inclusive: bool
    met: bool
    ratio: Fraction | None
    required_label: str

    @property
    def percent(self) -> Decimal | None:
        """The ratio as shown to owners: exact, two decimals, half up; None if it has no base."""
        return None if self.ratio is None else _percent(self.ratio)


@dataclass(frozen=True)
class _CheckSpec:
    """How one check is worded and which unit its figures carry."""

    label: str
    base_label: str
    unit: str


_CHECK_SPECS: dict[str, _CheckSpec] = {
    "participation_heads": _CheckSpec("参与表决的业主人数占比", "业主总人数", "人"),
    "participation_area": _CheckSpec("参与表决的专有部分面积占比", "专有部分总面积", "平方米"),
    "support_heads": _CheckSpec("同意的业主人数占参与表决人数的比例", "参与表决人数", "人"),
    "support_area": _CheckSpec(
        "同意的专有部分面积占参与表决面积的比例", "参与表决的专有部分面积", "平方米"
    ),
}


def check_share(
    code: str, part: int | Decimal, whole: int | Decimal, threshold: Threshold
) -> ThresholdCheck:
    """Measure one figure against one bar."""
    return ThresholdCheck(
        code=code,
        label=_CHECK_SPECS[code].label,
        numerator=part,
        denominator=whole,
        required=threshold.required,
        inclusive=threshold.inclusive,
        met=threshold.is_met(part, whole),
        ratio=None if whole == 0 else Fraction(part) / Fraction(whole),
        required_label=threshold.label,
    )


def participation_checks(
    eligible: Measure, participating: Measure
) -> tuple[ThresholdCheck, ThresholdCheck]:
    """Two-thirds of heads and of area taking part (第二百七十八条第二款), with their figures."""
    return (
        check_share(
            "participation_heads", participating.heads, eligible.heads, PARTICIPATION_THRESHOLD
        ),
        check_share(
            "participation_area", participating.area, eligible.area, PARTICIPATION_THRESHOLD
        ),
    )


def support_checks(
    for_: Measure, participating: Measure, threshold: Threshold
) -> tuple[ThresholdCheck, ThresholdCheck]:
    """The two majorities of those taking part, by heads and by area, with their figures."""
    return (
        check_share("support_heads", for_.heads, participating.heads, threshold),
        check_share("support_area", for_.area, participating.area, threshold),
    )


def _figure(value: int | Decimal) -> str:
    """Show figures as counted, never in scientific notation."""
    return str(value) if isinstance(value, int) else f"{value:f}"


def _shortfall(check: ThresholdCheck, threshold: Threshold) -> str:
    """Name the failed bar with the actual figures, so owners can verify it themselves."""
    spec = _CHECK_SPECS[check.code]
    if check.ratio is None:
        return f"{spec.base_label}为零，无法计算{spec.label}。"
    return (
        f"{spec.label} {check.percent}%"
        f"（{_figure(check.numerator)}/{_figure(check.denominator)} {spec.unit}），"
        f"{threshold.shortfall_text}。"
    )


def decide(matter: Matter, counts: TallyCounts) -> Decision:
    """Apply 第二百七十八条第二款 to counted figures.

    All four checks are always reported, even when participation already sank the vote,
    so that the record shows the complete picture.
    """
    matter = Matter(matter)
    support = matter.support_threshold
    participation = participation_checks(counts.eligible, counts.participating)
    agreement = support_checks(counts.for_, counts.participating, support)

    if counts.eligible.heads == 0:
        outcome = Outcome.FAILED_PARTICIPATION
        reason = "业主名册中没有业主（人数和专有部分面积均为零），无法进行表决，事项未通过。"
    elif not all(check.met for check in participation):
        outcome = Outcome.FAILED_PARTICIPATION
        reason = "".join(
            _shortfall(check, PARTICIPATION_THRESHOLD) for check in participation if not check.met
        )
    elif not all(check.met for check in agreement):
        outcome = Outcome.FAILED_SUPPORT
        reason = "".join(_shortfall(check, support) for check in agreement if not check.met)
    else:
        outcome = Outcome.PASSED
        heads, area = participation
        for_heads, for_area = agreement
        reason = (
            f"参与表决的业主人数占比 {heads.percent}%、专有部分面积占比 {area.percent}%，"
            f"均{PARTICIPATION_THRESHOLD.met_text}；"
            f"同意的业主人数占参与表决人数的 {for_heads.percent}%、"
            f"专有部分面积占参与表决面积的 {for_area.percent}%，均{support.met_text}，事项通过。"
        )

    return Decision(
        matter=matter,
        counts=counts,
        checks=participation + agreement,
        outcome=outcome,
        reason=reason,
    )


def decide_ballots(
    matter: Matter, electorate: Iterable[ElectorateUnit], ballots: Iterable[Ballot]
) -> Decision:
    """Count and decide in one step, for callers that hold the ballots in memory."""
    return decide(matter, tally(electorate, ballots))


@dataclass(frozen=True)
class Decision:
    """The verdict together with everything needed to explain it to owners."""

    matter: Matter
    counts: TallyCounts
    checks: tuple[ThresholdCheck, ...]
    outcome: Outcome
    reason: str

    @property
    def passed(self) -> bool:
        """Callers mostly need a yes or no; the outcome says why."""
        return self.outcome is Outcome.PASSED

    def check(self, code: str) -> ThresholdCheck:
        """Look a check up by its code, so callers need not depend on their order."""
        for check in self.checks:
            if check.code == code:
                return check
        raise KeyError(code)
