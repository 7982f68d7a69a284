"""Which body issues a page to the owners: the owners' committee, the community or the firm.

A printed 公示 names its issuer above the seal. A page above the compounds (a community's
notice) is the community's: neither a committee nor a firm reaches there. Below, who wrote the
page says it best: the page's owner (its author) speaks for the body of their role over the
page. Where that says nothing (no author, an author with no role there, or the street office
and superusers, who belong to none of the three), the page type's ``issued_by`` decides, and
a type that declares none is the committee's (proposals and their usage reports).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from wagtail.models import Page

from content_types.structure.models import CommunityPage, CompoundPage

from .models import Role, RoleAssignment


class IssuingBody(models.TextChoices):
    OWNERS_COMMITTEE = "owners_committee", "业委会"
    COMMUNITY = "community", "社区"
    PROPERTY_FIRM = "property_firm", "物业"


# The body each role's holder speaks for; the street office is none of the three.
ROLE_BODIES: dict[str, IssuingBody] = {
    Role.OWNERS_COMMITTEE: IssuingBody.OWNERS_COMMITTEE,
    Role.PROPERTY_FIRM: IssuingBody.PROPERTY_FIRM,
    Role.COMMUNITY_OFFICE: IssuingBody.COMMUNITY,
    Role.COMMUNITY_PARTY: IssuingBody.COMMUNITY,
    Role.COMPOUND_PARTY: IssuingBody.COMMUNITY,
    Role.COMMISSIONER: IssuingBody.COMMUNITY,
}


def author_body(page: Page) -> IssuingBody | None:
    """The body of the author's role over ``page``, the role held nearest the page first."""
    if page.owner_id is None:
        return None
    roles = (
        RoleAssignment.objects.filter(
            user_id=page.owner_id, scope__in=Page.objects.ancestor_of(page, inclusive=True)
        )
        .order_by("-scope__depth", "role")
        .values_list("role", flat=True)
    )
    return next((ROLE_BODIES[role] for role in roles if role in ROLE_BODIES), None)


@dataclass(frozen=True)
class Issuer:
    """The body that issues a page, and the community and compound the page belongs to."""

    body: IssuingBody
    community: CommunityPage | None
    compound: CompoundPage | None


def issuer_of(page: Page) -> Issuer:
    """Who issues ``page`` (see the module's docstring), in two queries."""
    scopes = {
        type(scope): scope
        for scope in Page.objects.ancestor_of(page, inclusive=True)
        .type(CommunityPage, CompoundPage)
        .specific()
    }
    community, compound = scopes.get(CommunityPage), scopes.get(CompoundPage)
    body = author_body(page)
    if compound is None:
        body = IssuingBody.COMMUNITY
    elif body is None:
        body = getattr(page, "issued_by", IssuingBody.OWNERS_COMMITTEE)
    return Issuer(body, community, compound)
