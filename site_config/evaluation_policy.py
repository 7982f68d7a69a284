"""The ``firm_evaluation:`` section as plan values, read from the file or from the database alike,
so a file that matches the database plans no change."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from content_types.evaluations.models import EvaluationPolicy

    from .schema import FirmEvaluationConfig

TWO_PLACES = Decimal("0.01")


def _values(questions: list[dict[str, Any]], weights: dict[str, int], *amounts: Any) -> dict:
    excellent_min, deduction = (Decimal(amount).quantize(TWO_PLACES) for amount in amounts)
    return {
        "questions": [
            {"key": q["key"], "text": q["text"], "weight": int(q["weight"])} for q in questions
        ],
        "weights": {code: int(weight) for code, weight in weights.items()},
        "excellent_min": excellent_min,
        "complaint_deduction": deduction,
    }


def evaluation_values(config: FirmEvaluationConfig) -> dict[str, Any]:
    return _values(
        [question.model_dump() for question in config.questions],
        config.weights.model_dump(),
        config.excellent_min,
        config.complaint_deduction,
    )


def policy_values(policy: EvaluationPolicy) -> dict[str, Any]:
    return _values(
        policy.questions, policy.weights, policy.excellent_min, policy.complaint_deduction
    )
