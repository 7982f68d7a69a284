"""赛比争先: a period's published list, public like a 公示: the communities and compounds in
order of their totals, the best communities named 先进. Only the totals and ranks are shown;
the figures behind them stay in the admin. Scopes that are not public are left out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from content_types.structure.public import hidden_paths, public_pages

from .models import Level, ScorePeriod, ScoringPolicy

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


def honours(request: HttpRequest, key: str) -> HttpResponse:
    period = get_object_or_404(ScorePeriod, key=key, published_at__isnull=False)
    now = timezone.now()
    cards = public_pages(
        period.scorecards.select_related("scope", "community"), now, hidden_paths(now), "scope__"
    ).order_by("rank", "scope__path")
    communities = [card for card in cards if card.level == Level.COMMUNITY]
    places = ScoringPolicy.current().honours
    return render(
        request,
        "scorecards/honours.html",
        {
            "period": period,
            "communities": communities,
            "honoured": [card for card in communities if card.rank <= places],
            "compounds": [card for card in cards if card.level == Level.COMPOUND],
        },
    )
