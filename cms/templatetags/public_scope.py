"""The public content of a street, community or compound, for their templates.

Their page types sit in the lowest content app, which may not import what is published under
them; the composition is ``cms.public_site.content``, asked here once per request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template

from cms.public_site.content import ScopeContent

if TYPE_CHECKING:
    from wagtail.models import Page

register = template.Library()


@register.simple_tag(takes_context=True)
def scope_content(context: Any, page: Page) -> ScopeContent:
    """``{% scope_content page as content %}``: what the page's scope has published."""
    return ScopeContent.of_served_page(page, context.get("request"))
