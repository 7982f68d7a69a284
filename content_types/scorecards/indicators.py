"""The indicators of the scorecard (考评体系): a registry, code → what it counts.

Each indicator counts, for every compound (and, where it has its own rows, every community),
a numerator over a denominator for one period, with the items behind them (each disclosure,
meeting, proposal or case, linked to it), so a score explains itself. The value is their
quotient; its weight and target come from the site configuration (``scorecards``), the
defaults here. Indicators that need what sits above this layer (the disclosure schedules of
the site configuration) register themselves when their app starts, as the due lookups do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from content_types.structure.models import CommunityPage, CompoundPage

    from .periods import ScoringPeriod

VALUE_PLACES = Decimal("0.0001")
# The key of an indicator counted once for the whole street (the annual task list).
STREET = 0


@dataclass(frozen=True)
class Item:
    """One thing counted: a disclosure, a meeting, a proposal, a case, a task."""

    label: str
    detail: str = ""
    ok: bool | None = None
    url: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"label": self.label, "detail": self.detail, "ok": self.ok, "url": self.url}


@dataclass
class Tally:
    numerator: Decimal = Decimal(0)
    denominator: Decimal = Decimal(0)
    items: list[Item] = field(default_factory=list)

    def add(self, numerator: Any, denominator: Any, item: Item | None = None) -> None:
        self.numerator += Decimal(numerator)
        self.denominator += Decimal(denominator)
        if item is not None:
            self.items.append(item)

    @property
    def value(self) -> Decimal | None:
        """numerator / denominator to four places; None when there was nothing to count."""
        if not self.denominator:
            return None
        return (self.numerator / self.denominator).quantize(VALUE_PLACES, ROUND_HALF_UP)


@dataclass(frozen=True)
class Scopes:
    """What one run scores: the street's compounds and communities, in tree order."""

    compounds: list[CompoundPage]
    communities: list[CommunityPage]

    def compound_paths(self) -> dict[str, int]:
        return {compound.path: compound.pk for compound in self.compounds}


Counter = Callable[["Scopes", "ScoringPeriod"], dict[int, Tally]]


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    #: How the value reads: "percent" (a share, shown ×100 with %) or a unit such as "次/季度".
    unit: str
    #: What the numerator and denominator are, e.g. ("按时公开", "应公开").
    terms: tuple[str, str]
    count: Counter
    weight: Decimal
    target: Decimal
    #: Counted once for the street; every scorecard gets the same tally.
    street_wide: bool = False
    why: str = ""

    def shows(self, value: Decimal | None) -> str:
        if value is None:
            return "—"
        if self.unit == "percent":
            return f"{(value * 100).quantize(Decimal('0.01'), ROUND_HALF_UP)}%"
        return f"{value.normalize():f} {self.unit}"


_registry: dict[str, Indicator] = {}


def register(indicator: Indicator) -> None:
    _registry[indicator.code] = indicator


def registered() -> list[Indicator]:
    """Every indicator, in the order they were registered (the built-in ones first)."""
    return list(_registry.values())


def get(code: str) -> Indicator | None:
    return _registry.get(code)


def child_of(paths: dict[str, int], path: str, steps: int = 1) -> int | None:
    """The compound a page ``steps`` levels below it belongs to (Wagtail paths: 4 chars a level)."""
    return paths.get(path[: len(path) - 4 * steps])


def tallies(keys: Iterable[int]) -> dict[int, Tally]:
    return {key: Tally() for key in keys}
