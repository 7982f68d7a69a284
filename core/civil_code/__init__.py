"""The voting rules of an owners' assembly (业主大会), kept free of Django on purpose.

Whether a resolution passes is a question of law (《民法典》第二百七十八条 and 《最高人民法院关于
审理建筑物区分所有权纠纷案件适用法律若干问题的解释》第八条、第九条), not of storage. Keeping the
rules pure means they can be tested exhaustively without a database, and the same ``decide()`` can
judge figures counted here in Python (``tally()``) or figures the database layer aggregated with
SQL into a ``TallyCounts``.

Every ratio is computed exactly with ``Fraction``, ``Decimal`` and integers: a float could turn an
exact two-thirds or three-quarters into a wrong answer, and at these boundaries the law is strict.
"""

from .decide import Decision, ThresholdCheck, decide, decide_ballots
from .matters import (
    ORDINARY_SUPPORT_THRESHOLD,
    PARTICIPATION_THRESHOLD,
    SPECIAL_SUPPORT_THRESHOLD,
    Choice,
    DuplicateUnitError,
    InvalidCountsError,
    Matter,
    Outcome,
    Threshold,
    UnknownOwnerError,
    VotingRuleError,
)
from .tally import Ballot, ElectorateUnit, Measure, TallyCounts, tally

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
