"""The ``firm_evaluation:`` section: the survey's questions and the score's weights (one row)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from content_types.evaluations.models import EvaluationPolicy

if TYPE_CHECKING:
    from site_config.plan import Change

    from .context import Context


def save_evaluation_policy(change: Change, context: Context) -> None:
    policy = EvaluationPolicy.current()
    for name in ("questions", "weights", "excellent_min", "complaint_deduction"):
        setattr(policy, name, change.values[name])
    policy.save()
