"""Computing a period's scorecards: every indicator over every compound, then communities.

A community's scorecard adds up its compounds' numerators and denominators (and its own rows,
such as the cases filed with the community), so its value is the community's share, not an
average of averages. A value is rounded to four places, its points (weight × attainment, the
value over the target, at most 1) and the total to two; an indicator with nothing to count in
a scope is left out of that scope's total, which is the points over the weights that counted,
out of 100. A rerun rewrites the same rows with the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from content_types.structure.models import CommunityPage, CompoundPage

from . import indicators as registry
from .indicators import STREET, Indicator, Item, Scopes, Tally
from .models import Level, Scorecard, ScoreLine, ScorePeriod, ScoringPolicy

if TYPE_CHECKING:
    from wagtail.models import Page

    from .periods import ScoringPeriod

CENTS = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Weighed:
    indicator: Indicator
    weight: Decimal
    target: Decimal


def weighed(policy: ScoringPolicy | None = None) -> list[Weighed]:
    """The indicators scored, in the configured order with their weights and targets; every
    registered one at its defaults when the configuration names none."""
    policy = policy or ScoringPolicy.current()
    if not policy.indicators:
        return [Weighed(item, item.weight, item.target) for item in registry.registered()]
    found = []
    for entry in policy.indicators:
        if indicator := registry.get(entry["code"]):
            found.append(Weighed(indicator, Decimal(entry["weight"]), Decimal(entry["target"])))
    return found


def points_for(value: Decimal | None, weight: Decimal, target: Decimal) -> Decimal | None:
    if value is None:
        return None
    attainment = Decimal(1) if target <= 0 else min(value / target, Decimal(1))
    return (weight * attainment).quantize(CENTS, ROUND_HALF_UP)


def total_of(lines: list[ScoreLine]) -> Decimal:
    counted = [line for line in lines if line.points is not None]
    weights = sum((line.weight for line in counted), Decimal(0))
    if not weights:
        return Decimal("0.00")
    points = sum((line.points for line in counted if line.points is not None), Decimal(0))
    return (points * HUNDRED / weights).quantize(CENTS, ROUND_HALF_UP)


def ranks(totals: dict[int, Decimal]) -> dict[int, int]:
    """1, 1, 3: equal totals share a rank."""
    ordered = sorted(totals.values(), reverse=True)
    return {key: ordered.index(total) + 1 for key, total in totals.items()}


def combined(parts: list[tuple[str, Tally]]) -> Tally:
    """Several scopes' tallies as one, each item named by the scope it came from."""
    whole = Tally()
    for name, tally in parts:
        whole.add(tally.numerator, tally.denominator)
        whole.items.extend(
            Item(f"{name}：{item.label}" if name else item.label, item.detail, item.ok, item.url)
            for item in tally.items
        )
    return whole


def street_scopes() -> Scopes:
    return Scopes(
        compounds=list(CompoundPage.objects.order_by("path")),
        communities=list(CommunityPage.objects.order_by("path")),
    )


def compute(period: ScoringPeriod) -> ScorePeriod:
    """Score every compound and community for ``period`` and keep the result (one transaction)."""
    scopes = street_scopes()
    scored = weighed()
    counted = {item.indicator.code: item.indicator.count(scopes, period) for item in scored}

    def tally(code: str, page: Page, street_wide: bool) -> Tally:
        return counted[code].get(STREET if street_wide else page.pk, Tally())

    lines: dict[int, list[ScoreLine]] = {}
    community_of: dict[int, CommunityPage] = {}
    for community in scopes.communities:
        compounds = [c for c in scopes.compounds if c.path.startswith(community.path)]
        for compound in compounds:
            community_of[compound.pk] = community
            lines[compound.pk] = [
                line_for(
                    position, item, tally(item.indicator.code, compound, item.indicator.street_wide)
                )
                for position, item in enumerate(scored, start=1)
            ]
        community_of[community.pk] = community
        lines[community.pk] = [
            line_for(
                position,
                item,
                tally(item.indicator.code, community, True)
                if item.indicator.street_wide
                else combined(
                    [("", counted[item.indicator.code].get(community.pk, Tally()))]
                    + [
                        (c.title, counted[item.indicator.code].get(c.pk, Tally()))
                        for c in compounds
                    ]
                ),
            )
            for position, item in enumerate(scored, start=1)
        ]
    totals = {pk: total_of(scope_lines) for pk, scope_lines in lines.items()}
    community_ids = {community.pk for community in scopes.communities}
    community_ranks = ranks({pk: totals[pk] for pk in community_ids})
    compound_ranks = ranks({pk: t for pk, t in totals.items() if pk not in community_ids})
    within: dict[int, int] = {}
    for community in scopes.communities:
        members = {
            pk: totals[pk]
            for pk, owner in community_of.items()
            if owner.pk == community.pk and pk not in community_ids
        }
        within.update(ranks(members))
    within.update(community_ranks)

    with transaction.atomic():
        record, _ = ScorePeriod.objects.update_or_create(
            key=period.key,
            defaults={
                "label": period.label,
                "start": period.start,
                "end": period.end,
                "computed_at": timezone.now(),
            },
        )
        kept = {card.scope_id: card for card in record.scorecards.all()}
        record.scorecards.exclude(scope_id__in=list(lines)).delete()
        ScoreLine.objects.filter(scorecard__period=record).delete()
        new_lines = []
        for pk, scope_lines in lines.items():
            card = kept.get(pk) or Scorecard(period=record, scope_id=pk)
            card.level = Level.COMMUNITY if pk in community_ids else Level.COMPOUND
            card.community = community_of[pk]
            card.total = totals[pk]
            card.rank = community_ranks[pk] if pk in community_ids else compound_ranks[pk]
            card.rank_in_community = within[pk]
            card.save()
            for line in scope_lines:
                line.scorecard = card
                new_lines.append(line)
        ScoreLine.objects.bulk_create(new_lines)
    return record


def line_for(position: int, item: Weighed, tally: Tally) -> ScoreLine:
    value = tally.value
    return ScoreLine(
        position=position,
        code=item.indicator.code,
        label=item.indicator.label,
        numerator=tally.numerator.quantize(CENTS, ROUND_HALF_UP),
        denominator=tally.denominator.quantize(CENTS, ROUND_HALF_UP),
        value=value,
        target=item.target,
        weight=item.weight,
        points=points_for(value, item.weight, item.target),
        items=[entry.as_json() for entry in tally.items],
    )
