"""The voting rules of an owners' assembly (业主大会), kept free of Django on purpose.

Whether a resolution passes is a question of law (《民法典》第二百七十八条 and 《最高人民法院关于
审理建筑物区分所有权纠纷案件适用法律若干问题的解释》第八条、第九条), not of storage. Keeping the
rules pure means they can be tested exhaustively without a database, and the same ``decide()`` can
judge figures counted here in Python (``tally()``) or figures the database layer aggregated with
SQL into a ``TallyCounts``.

Every ratio is computed exactly with ``Fraction``, ``Decimal`` and integers: a float could turn an
exact two-thirds or three-quarters into a wrong answer, and at these boundaries the law is strict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, Inexact, localcontext
from enum import StrEnum
from fractions import Fraction

__all__ = [
    "PARTICIPATION_THRESHOLD",
    "ORDINARY_SUPPORT_THRESHOLD",
    "SPECIAL_SUPPORT_THRESHOLD",
    "Ballot",
    "Choice",
    "Decision",
    "DuplicateUnitError",
    "ElectorateUnit",
    "InvalidCountsError",
    "Matter",
    "Measure",
    "Outcome",
    "Threshold",
    "ThresholdCheck",
    "TallyCounts",
    "UnknownOwnerError",
    "VotingRuleError",
    "decide",
    "decide_ballots",
    "tally",
]


# --------------------------------------------------------------------------- errors


class VotingRuleError(ValueError):
    """Base class so callers can catch every rejected input of the rule engine at once."""


class UnknownOwnerError(VotingRuleError):
    """A ballot names someone outside the electorate; counting it would inflate the result."""

    def __init__(self, owner_key: str) -> None:
        self.owner_key = owner_key
        super().__init__(f"表决票中的业主“{owner_key}”不在本次表决的业主名册中，不能计票。")


class DuplicateUnitError(VotingRuleError):
    """A unit listed twice would have its area (and maybe its owner) counted twice."""

    def __init__(self, unit_id: str | int) -> None:
        self.unit_id = unit_id
        super().__init__(f"专有部分“{unit_id}”在业主名册中重复出现。")


class InvalidCountsError(VotingRuleError):
    """Figures that cannot come from a real count must not be judged as if they could."""


# --------------------------------------------------------------------------- matters and choices


class Matter(StrEnum):
    """The nine matters of 《民法典》第二百七十八条第一款; values are stable storage codes."""

    ASSEMBLY_RULES = "assembly_rules"
    MANAGEMENT_STATUTE = "management_statute"
    COMMITTEE_ELECTION = "committee_election"
    PROPERTY_MANAGER = "property_manager"
    USE_MAINTENANCE_FUND = "use_maintenance_fund"
    RAISE_MAINTENANCE_FUND = "raise_maintenance_fund"
    REBUILD = "rebuild"
    COMMON_PARTS_USE = "common_parts_use"
    OTHER_MAJOR = "other_major"

    @property
    def item(self) -> int:
        """The item number in the article, so notices can cite the law precisely."""
        return _MATTER_ITEMS[self][0]

    @property
    def label(self) -> str:
        """The statute's own wording, so owners see exactly what the law calls the matter."""
        return _MATTER_ITEMS[self][1]

    @property
    def is_special(self) -> bool:
        """Items 6–8 bind owners' money and property most heavily, so they need three-quarters."""
        return self.item in (6, 7, 8)

    @property
    def support_threshold(self) -> Threshold:
        """The share of participants who must agree, which depends only on the matter."""
        return SPECIAL_SUPPORT_THRESHOLD if self.is_special else ORDINARY_SUPPORT_THRESHOLD


_MATTER_ITEMS: dict[Matter, tuple[int, str]] = {
    Matter.ASSEMBLY_RULES: (1, "制定和修改业主大会议事规则"),
    Matter.MANAGEMENT_STATUTE: (2, "制定和修改管理规约"),
    Matter.COMMITTEE_ELECTION: (3, "选举业主委员会或者更换业主委员会成员"),
    Matter.PROPERTY_MANAGER: (4, "选聘和解聘物业服务企业或者其他管理人"),
    Matter.USE_MAINTENANCE_FUND: (5, "使用建筑物及其附属设施的维修资金"),
    Matter.RAISE_MAINTENANCE_FUND: (6, "筹集建筑物及其附属设施的维修资金"),
    Matter.REBUILD: (7, "改建、重建建筑物及其附属设施"),
    Matter.COMMON_PARTS_USE: (8, "改变共有部分的用途或者利用共有部分从事经营活动"),
    Matter.OTHER_MAJOR: (9, "有关共有和共同管理权利的其他重大事项"),
}


class Choice(StrEnum):
    """What an owner may answer; abstaining is a real answer that counts as taking part."""

    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"

    @property
    def label(self) -> str:
        """The wording printed on ballots."""
        return _CHOICE_LABELS[self]


_CHOICE_LABELS: dict[Choice, str] = {
    Choice.FOR: "同意",
    Choice.AGAINST: "反对",
    Choice.ABSTAIN: "弃权",
}


class Outcome(StrEnum):
    """Why a resolution stands or falls; the two failures call for different follow-up."""

    PASSED = "passed"
    FAILED_PARTICIPATION = "failed_participation"
    FAILED_SUPPORT = "failed_support"

    @property
    def label(self) -> str:
        """The wording used in announcements."""
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.PASSED: "通过",
    Outcome.FAILED_PARTICIPATION: "未通过（参与表决不足）",
    Outcome.FAILED_SUPPORT: "未通过（同意不足）",
}


# --------------------------------------------------------------------------- thresholds


@dataclass(frozen=True)
class Threshold:
    """A legal bar together with the words used to report it, so text and maths never drift."""

    required: Fraction
    inclusive: bool
    label: str
    met_text: str
    shortfall_text: str

    def is_met(self, part: int | Decimal, whole: int | Decimal) -> bool:
        """An empty base cannot reach any share: nobody to count means nothing was decided."""
        if whole == 0:
            return False
        ratio = Fraction(part) / Fraction(whole)
        return ratio >= self.required if self.inclusive else ratio > self.required


PARTICIPATION_THRESHOLD = Threshold(
    Fraction(2, 3), True, "三分之二以上", "达到三分之二", "未达到三分之二"
)
ORDINARY_SUPPORT_THRESHOLD = Threshold(Fraction(1, 2), False, "过半数", "过半数", "未过半数")
SPECIAL_SUPPORT_THRESHOLD = Threshold(
    Fraction(3, 4), True, "四分之三以上", "达到四分之三", "未达到四分之三"
)


# --------------------------------------------------------------------------- inputs


def _exact_sum(values: Iterable[Decimal]) -> Decimal:
    """Decimal addition rounds at 28 digits by default; here it must never round at all."""
    context = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact])
    with localcontext(context):
        return sum(values, Decimal(0))


def _checked_area(area: object, what: str) -> Decimal:
    """Areas feed exact comparisons, so only exact, finite, non-negative numbers are accepted."""
    if isinstance(area, bool) or not isinstance(area, Decimal | int):
        raise TypeError(f"{what}必须是 Decimal（平方米），不能是 {type(area).__name__}。")
    value = Decimal(area)
    if not value.is_finite():
        raise InvalidCountsError(f"{what}必须是有限数值，而不是 {value}。")
    if value < 0:
        raise InvalidCountsError(f"{what}不能为负数（{value:f} 平方米）。")
    return value


@dataclass(frozen=True)
class ElectorateUnit:
    """One exclusive part (专有部分) on the roll, by its registered area.

    Units sharing an ``owner_key`` belong to one owner and count as one head (司法解释第九条):
    give co-owners of a unit a single key, and give unsold or undelivered units of the developer
    the developer's key.
    """

    unit_id: str | int
    owner_key: str
    area: Decimal

    def __post_init__(self) -> None:
        area = _checked_area(self.area, f"专有部分“{self.unit_id}”的面积")
        if area == 0:
            raise InvalidCountsError(f"专有部分“{self.unit_id}”的登记面积必须大于零。")
        object.__setattr__(self, "area", area)


@dataclass(frozen=True)
class Ballot:
    """One owner's answer; it covers every unit that owner holds on the roll."""

    owner_key: str
    choice: Choice

    def __post_init__(self) -> None:
        try:
            choice = Choice(self.choice)
        except ValueError:
            raise VotingRuleError(
                f"业主“{self.owner_key}”的表决选项“{self.choice}”无效，只能是同意、反对或弃权。"
            ) from None
        object.__setattr__(self, "choice", choice)


@dataclass(frozen=True)
class Measure:
    """A group of owners measured both ways the law requires: by heads and by area."""

    heads: int
    area: Decimal

    def __post_init__(self) -> None:
        if isinstance(self.heads, bool) or not isinstance(self.heads, int):
            raise TypeError(f"业主人数必须是整数，不能是 {type(self.heads).__name__}。")
        if self.heads < 0:
            raise InvalidCountsError(f"业主人数不能为负数（{self.heads} 人）。")
        area = _checked_area(self.area, "专有部分面积")
        if self.heads == 0 and area != 0:
            raise InvalidCountsError(f"没有业主却有专有部分面积（{area:f} 平方米），数据不一致。")
        object.__setattr__(self, "area", area)


@dataclass(frozen=True)
class TallyCounts:
    """The figures a decision rests on, whoever counted them (Python or SQL).

    They are checked on construction so that an aggregation bug surfaces as an error rather
    than as a resolution wrongly declared passed.
    """

    eligible: Measure
    participating: Measure
    for_: Measure
    against: Measure
    abstain: Measure

    def __post_init__(self) -> None:
        answered_heads = self.for_.heads + self.against.heads + self.abstain.heads
        if answered_heads != self.participating.heads:
            raise InvalidCountsError(
                f"同意、反对、弃权的人数之和（{answered_heads} 人）"
                f"不等于参与表决人数（{self.participating.heads} 人）。"
            )
        answered_area = _exact_sum((self.for_.area, self.against.area, self.abstain.area))
        if answered_area != self.participating.area:
            raise InvalidCountsError(
                f"同意、反对、弃权的面积之和（{answered_area:f} 平方米）"
                f"不等于参与表决面积（{self.participating.area:f} 平方米）。"
            )
        if self.participating.heads > self.eligible.heads:
            raise InvalidCountsError(
                f"参与表决人数（{self.participating.heads} 人）"
                f"超过了业主总人数（{self.eligible.heads} 人）。"
            )
        if self.participating.area > self.eligible.area:
            raise InvalidCountsError(
                f"参与表决面积（{self.participating.area:f} 平方米）"
                f"超过了专有部分总面积（{self.eligible.area:f} 平方米）。"
            )


# --------------------------------------------------------------------------- counting


def tally(electorate: Iterable[ElectorateUnit], ballots: Iterable[Ballot]) -> TallyCounts:
    """Count ballots against the roll, one head per owner and every square metre they hold.

    Ballots are taken in recording order and an owner's last ballot replaces earlier ones,
    because an owner may change their answer before the vote closes.
    """
    owner_area: dict[str, list[Decimal]] = {}
    seen_units: set[str | int] = set()
    for unit in electorate:
        if unit.unit_id in seen_units:
            raise DuplicateUnitError(unit.unit_id)
        seen_units.add(unit.unit_id)
        owner_area.setdefault(unit.owner_key, []).append(unit.area)

    final_choice: dict[str, Choice] = {}
    for ballot in ballots:
        if ballot.owner_key not in owner_area:
            raise UnknownOwnerError(ballot.owner_key)
        final_choice[ballot.owner_key] = ballot.choice

    def measure(owners: Iterable[str]) -> Measure:
        keys = list(owners)
        return Measure(len(keys), _exact_sum(a for key in keys for a in owner_area[key]))

    def answered(choice: Choice) -> Measure:
        return measure(key for key, answer in final_choice.items() if answer is choice)

    return TallyCounts(
        eligible=measure(owner_area),
        participating=measure(final_choice),
        for_=answered(Choice.FOR),
        against=answered(Choice.AGAINST),
        abstain=answered(Choice.ABSTAIN),
    )


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


def _check(
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
    participation = (
        _check(
            "participation_heads",
            counts.participating.heads,
            counts.eligible.heads,
            PARTICIPATION_THRESHOLD,
        ),
        _check(
            "participation_area",
            counts.participating.area,
            counts.eligible.area,
            PARTICIPATION_THRESHOLD,
        ),
    )
    agreement = (
        _check("support_heads", counts.for_.heads, counts.participating.heads, support),
        _check("support_area", counts.for_.area, counts.participating.area, support),
    )

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
