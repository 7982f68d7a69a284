"""Chains chosen by amount: page types with an amount ask, the review chains answer.

Page types sit below the review chains, so they cannot read the chains' rules
themselves; the chains app registers its lookup here when it starts
(``workflows.chains.apps``). Until one is registered, the subtree's chain applies.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

TierLookup = Callable[[Any, Decimal | None], Any]

_lookups: list[TierLookup] = []


def register_tier_lookup(lookup: TierLookup) -> None:
    """Let ``lookup(page, amount)`` name the chain of amount-tiered pages (None: no rule)."""
    if lookup not in _lookups:
        _lookups.append(lookup)


class AmountTieredWorkflowMixin:
    """For page types whose chain depends on an amount: the tier's chain first, then the subtree."""

    workflow_amount_field = "amount"

    def get_workflow(self) -> Any:
        amount = getattr(self, self.workflow_amount_field, None)
        for lookup in _lookups:
            if (workflow := lookup(self, amount)) is not None:
                return workflow
        return super().get_workflow()  # type: ignore[misc]  # a Page's
