"""The file's ``scorecards`` section (考评体系): the scoring period, and each indicator's weight
and target, kept as the scorecards' ``ScoringPolicy`` (one row).

Left out, every registered indicator counts at its default weight and target, by half-year;
written, only the indicators listed count, in the order listed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from content_types.scorecards import indicators
from content_types.scorecards.models import ScoringPolicy

if TYPE_CHECKING:
    from . import schema
    from .handlers.context import Context
    from .plan import Change


def number(value: Decimal | str) -> str:
    """A weight or target as the file and the database both write it: 15, 0.9."""
    return format(Decimal(value).normalize(), "f")


def file_values(section: schema.Scorecards) -> dict[str, Any]:
    return {
        "every": section.every,
        "honours": section.honours,
        "indicators": [
            {"code": item.code, "weight": number(item.weight), "target": number(item.target)}
            for item in section.indicators
        ],
    }


def database_values() -> tuple[dict[str, Any], ScoringPolicy]:
    policy = ScoringPolicy.current()
    values = {
        "every": str(policy.every),  # a new policy's default is the enum member
        "honours": policy.honours,
        "indicators": [
            {
                "code": item["code"],
                "weight": number(item["weight"]),
                "target": number(item["target"]),
            }
            for item in policy.indicators
        ],
    }
    return values, policy


def save(change: Change, context: Context) -> None:
    policy = ScoringPolicy.current()
    policy.every = change.values["every"]
    policy.honours = change.values["honours"]
    policy.indicators = change.values["indicators"]
    policy.save()


def unknown_code(code: str) -> str | None:
    """The message for an indicator code nothing registered; None when it is known."""
    if indicators.get(code):
        return None
    known = "、".join(f"{item.code}（{item.label}）" for item in indicators.registered())
    return f"未知的考评指标“{code}”，可用：{known}。"
