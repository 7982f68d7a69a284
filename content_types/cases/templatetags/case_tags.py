"""The public part of cases: the anonymised summaries handlers published on a compound's page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from content_types.cases.models import Case

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from wagtail.models import Page

register = template.Library()

PUBLIC_ROWS = 10


@register.simple_tag
def published_cases(compound: Page) -> QuerySet[Case]:
    """Closed cases of ``compound`` published by their handler, latest first: the summary, the
    category and the dates only (never the title, place, description or reporter)."""
    return (
        Case.objects.published()
        .filter(scope=compound)
        .only("category", "public_summary", "closed_at", "published_at")
        .order_by("-published_at", "-pk")[:PUBLIC_ROWS]
    )
