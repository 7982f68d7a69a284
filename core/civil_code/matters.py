"""The law's vocabulary: the matters owners decide, their choices, outcomes and bars."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from decimal import Decimal

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
