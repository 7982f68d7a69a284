"""A finance statement's figures by category: one list feeds both its chart and its table, so
what the chart draws and what a screen reader or a printout reads are the same numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django import template

from content_types.disclosures.models import Direction, FinanceLine, FinanceStatementPage

if TYPE_CHECKING:
    from collections.abc import Iterable

register = template.Library()


@register.simple_tag
def finance_figures(page: FinanceStatementPage, lines: Iterable[FinanceLine]) -> dict[str, object]:
    """The balances and, between them, income categories then expenditure ones, each in the
    order first written; lines of the same direction and category are added up."""
    totals: dict[tuple[str, str], Decimal] = {}
    for line in lines:
        key = (line.direction, line.category)
        totals[key] = totals.get(key, Decimal("0.00")) + line.amount
    order: list[str] = [Direction.INCOME, Direction.EXPENDITURE]
    categories = [
        {
            "direction": direction,
            "label": Direction(direction).label,
            "category": category,
            "amount": amount,
        }
        for (direction, category), amount in sorted(
            totals.items(), key=lambda item: order.index(item[0][0])
        )
    ]
    return {
        "opening": page.opening_balance,
        "categories": categories,
        "closing": page.closing_balance,
    }
