"""Template tags for pages of the lower layers that show votes (a compound's open votes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from workflows.voting.models import Vote, VoteStatus
from workflows.voting.selectors import public_votes

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from wagtail.models import Page

register = template.Library()


@register.simple_tag
def open_votes(compound: Page) -> QuerySet[Vote]:
    """The compound's votes owners can answer now, soonest closing first."""
    return (
        public_votes()
        .filter(compound=compound, status=VoteStatus.OPEN)
        .select_related("proposal")
        .order_by("closes_at", "pk")
    )
