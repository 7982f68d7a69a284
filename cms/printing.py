"""The printed 公示: every public notice, disclosure, proposal and usage report on A4, and each
compound's poster for its gate, all at ``/print/<page id>/``.

One view serves every printable page. It renders the page's own template inside the print
layout (``print/base.html``: title, issuing body, date, the body and figures, a QR code back to
the page and room for the seal), so the printed body is the online body; a type whose print
differs whole has a template of its own under ``print/`` by the same name (the compound's
poster, ``print/structure/compound_page.html``). What may be printed is what is public
(``structure.public``): a draft, restricted, expired or hidden page is a 404 here as online.

The QR code encodes the page's address under its Wagtail Site (the site's root URL, as the
page's own links): a notice printed from the admin on an internal host, or from a laptop at
127.0.0.1, must still lead owners to the public address.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from content_types.configured_disclosures.models import ConfiguredDisclosurePage
from content_types.disclosures.kinds import KINDS
from content_types.expenditures.models import ExpenditureProposalPage, UsageReportPage
from content_types.firms.models import PropertyFirm
from content_types.notices.models import NoticePage
from content_types.roles.issuers import Issuer, IssuingBody, issuer_of
from content_types.structure.models import CompoundPage
from content_types.structure.public import hidden_paths, public_pages

if TYPE_CHECKING:
    from content_types.structure.models import CommunityPage

PRINT_LAYOUT = "print/base.html"


def printable_models() -> tuple[type[Page], ...]:
    """The page types with a printed form: every disclosure kind as the registry has it now."""
    return (
        NoticePage,
        *(kind.model for kind in KINDS),
        ExpenditureProposalPage,
        UsageReportPage,
        ConfiguredDisclosurePage,
        CompoundPage,
    )


def is_printable(page: Page) -> bool:
    return issubclass(page.specific_class or Page, printable_models())


def qr_svg(url: str, title: str) -> SafeString:
    """``url`` as a QR code, an inline SVG that prints sharp at any size."""
    svg = segno.make(url, error="m").svg_inline(title=title, svgclass="qr-code", omitsize=True)
    return mark_safe(svg)  # noqa: S308 - segno's own SVG of our own URL


def community_name(community: CommunityPage | None) -> str:
    """A community's committee, as its seal reads: 凤鸣社区 is 凤鸣社区居民委员会."""
    return f"{community.title}居民委员会" if community else "社区居民委员会"


def issuer_name(issuer: Issuer) -> str:
    """The issuing body's full name, as its seal reads."""
    compound = issuer.compound
    if issuer.body == IssuingBody.COMMUNITY or compound is None:
        return community_name(issuer.community)
    if issuer.body == IssuingBody.PROPERTY_FIRM:
        firm = PropertyFirm.objects.filter(compounds=compound, live=True).order_by("pk").first()
        return firm.name if firm else f"{compound.title}物业服务中心"
    return f"{compound.title}业主委员会"


def print_page(request: HttpRequest, page_id: int) -> HttpResponse:
    """The page ``page_id`` laid out for A4, if it is public and printable."""
    now = timezone.now()
    found = public_pages(Page.objects.filter(pk=page_id), now, hidden_paths(now)).first()
    if found is None or not is_printable(found):
        raise Http404
    page = found.specific
    online_url = page.get_full_url(request)
    if online_url is None:  # under no site: no public address to point to
        raise Http404
    context = page.get_context(request)
    context.update(
        layout=PRINT_LAYOUT,
        online_url=online_url,
        qr=qr_svg(online_url, f"{page.title}的网上地址二维码"),
        published_at=page.first_published_at,
    )
    if not isinstance(page, CompoundPage):
        context["issuer"] = issuer_name(issuer_of(page))
    template = page.get_template(request)
    return render(request, [f"print/{template}", template], context)
