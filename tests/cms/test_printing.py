"""The printed 公示 (``/print/<page id>/``): every printable kind, the body that issues it, the
QR code back to the public address, and the compound's poster for its gate."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import segno
import wagtail_factories
from django.db import transaction
from wagtail.models import Page, PageViewRestriction, Site

from cms.printing import is_printable, qr_svg
from content_types.disclosures.kinds import KINDS
from content_types.disclosures.models import (
    AssetListsPage,
    FeeCollectionPage,
    FinanceStatementPage,
    PropertyServicesPage,
)
from content_types.roles.models import Role
from tests.api.test_disclosure_kinds import INSPECTIONS, report
from tests.conftest import build_street_tree, ensure_wagtail_root
from tests.content_types.disclosures.factories import (
    AssetListsPageFactory,
    FeeCollectionPageFactory,
    FinanceStatementPageFactory,
    PropertyServicesPageFactory,
)
from tests.content_types.expenditures.factories import (
    ExpenditureProposalPageFactory,
    UsageReportPageFactory,
)
from tests.content_types.firms.factories import PropertyFirmFactory
from tests.content_types.notices.factories import NoticePageFactory
from tests.content_types.roles.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

# One factory per registered disclosure kind; a kind registered without one fails below.
DISCLOSURE_FACTORIES = {
    FinanceStatementPage: FinanceStatementPageFactory,
    FeeCollectionPage: FeeCollectionPageFactory,
    AssetListsPage: AssetListsPageFactory,
    PropertyServicesPage: PropertyServicesPageFactory,
}
PUBLISHED = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
SITE_ROOT = "https://weizhi.example"


def author(role: str, scope: Page, username: str):
    user = UserFactory(username=username)
    RoleAssignmentFactory(user=user, role=role, scope=scope)
    return user


@pytest.fixture(scope="module")
def street(django_db_setup, django_db_blocker):
    """A street whose public address (its Site) is not the host the tests ask, with one page of
    every printable kind in 锦绣花园 and a community notice, built once for the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        tree = build_street_tree(ensure_wagtail_root())
        jinxiu = tree.compound_a1
        committee = author(Role.OWNERS_COMMITTEE, jinxiu, "committee")
        firm_user = author(Role.PROPERTY_FIRM, jinxiu, "property")
        commissioner = author(Role.COMMISSIONER, jinxiu, "commissioner")
        office = author(Role.COMMUNITY_OFFICE, tree.community_a, "community_office")
        firm = PropertyFirmFactory(name="绿城物业服务有限公司")
        firm.compounds.set([jinxiu])
        firm.save()
        stamp = {"first_published_at": PUBLISHED}
        pages = {
            model: factory(parent=jinxiu, slug=model._meta.model_name, owner=committee, **stamp)
            for model, factory in DISCLOSURE_FACTORIES.items()
        }
        proposal = ExpenditureProposalPageFactory(parent=jinxiu, slug="lift", owner=committee)
        tree.pages = {
            **pages,
            "proposal": proposal,
            "report": UsageReportPageFactory(parent=proposal, slug="spent", owner=committee),
            "notice": NoticePageFactory(
                parent=jinxiu, slug="water", title="停水通知", owner=firm_user, **stamp
            ),
            "commissioner_notice": NoticePageFactory(
                parent=jinxiu, slug="chargers", owner=commissioner
            ),
            "street_fees": FeeCollectionPageFactory(
                parent=tree.compound_a2, slug="fees", owner=UserFactory(is_superuser=True)
            ),
            "community_notice": NoticePageFactory(
                parent=tree.community_a, slug="clinic", owner=office
            ),
            "draft": NoticePageFactory(parent=jinxiu, slug="draft", live=False),
        }
        restricted = NoticePageFactory(parent=tree.compound_b1, slug="restricted")
        PageViewRestriction.objects.create(
            page=tree.compound_b1, restriction_type=PageViewRestriction.LOGIN
        )
        tree.pages["restricted"] = restricted
        tree.pages["hidden"] = NoticePageFactory(parent=tree.compound_b2, slug="hidden")
        tree.compound_b2.unpublish()
        wagtail_factories.SiteFactory(
            hostname="weizhi.example", port=443, root_page=tree.street, is_default_site=True
        )
        Site.clear_site_root_paths_cache()
        yield tree
        transaction.set_rollback(True)
    Site.clear_site_root_paths_cache()


def printed(client, page: Page):
    response = client.get(f"/print/{page.pk}/")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def path_of(svg: str) -> str:
    """The modules of a QR code as segno draws them: one SVG path."""
    return re.search(r' d="([^"]+)"', svg).group(1)


def issuer(html: str) -> str:
    return re.search(r'<p class="issuer-name">(.*?)</p>', html).group(1)


def test_every_registered_disclosure_kind_is_printable_with_its_figures(street, client):
    assert set(DISCLOSURE_FACTORIES) == {kind.model for kind in KINDS}

    for model in DISCLOSURE_FACTORIES:
        page = street.pages[model]
        html = printed(client, page)

        assert "@page { size: A4;" in html
        assert f'<h1 class="title">{page.title}</h1>' in html
        assert '<table class="figures"' in html
        assert '<div class="seal">盖章处</div>' in html
        assert "2026年3月9日" in html
        assert "打印公示</a>" not in html  # the page's own heading and link are left out


def test_a_kind_registered_later_is_printable_while_it_is_registered(street):
    page = report(street.compound_a1, 2025)
    with KINDS.registered(INSPECTIONS):
        assert is_printable(page)
    assert not is_printable(page)


def test_the_qr_code_and_the_address_printed_are_the_sites_public_address(street, client):
    notice = street.pages["notice"]
    html = printed(client, notice)

    address = f"{SITE_ROOT}/fengming/jinxiu/water/"
    assert f"扫码查看网上公示：<br>{address}" in html
    code = re.search(r'<svg [^>]*class="qr-code".*?</svg>', html).group(0)
    expected = segno.make(address, error="m").svg_inline()
    assert path_of(code) == path_of(expected)
    assert "testserver" not in html


def test_the_finance_statement_prints_its_table_without_the_chart_script(street, client):
    html = printed(client, street.pages[FinanceStatementPage])

    assert 'id="finance-by-category"' in html
    assert "echarts" not in html


@pytest.mark.parametrize(
    ("key", "body"),
    [
        # The author's role over the page says who issues it.
        (FinanceStatementPage, "锦绣花园业主委员会"),
        ("notice", "绿城物业服务有限公司"),
        ("commissioner_notice", "凤鸣社区居民委员会"),
        ("community_notice", "凤鸣社区居民委员会"),
        ("proposal", "锦绣花园业主委员会"),
        ("report", "锦绣花园业主委员会"),
        # A superuser is none of the three: the kind decides, and 阳光水岸 has no firm on file.
        ("street_fees", "阳光水岸物业服务中心"),
    ],
)
def test_the_issuing_body_follows_the_author_then_the_kind(street, client, key, body):
    assert issuer(printed(client, street.pages[key])) == body


@pytest.mark.parametrize("key", ["draft", "restricted", "hidden"])
def test_what_is_not_public_has_no_printed_form(street, client, key):
    assert client.get(f"/print/{street.pages[key].pk}/").status_code == 404


def test_pages_without_a_printed_form_are_not_found(street, client):
    assert client.get(f"/print/{street.community_a.pk}/").status_code == 404
    assert client.get("/print/999999/").status_code == 404
    assert client.get("/print/99999999999999999999/").status_code == 404


def test_each_public_page_links_to_its_printed_form(street, client):
    for page in [*DISCLOSURE_FACTORIES, "proposal", "report", "notice"]:
        page = street.pages[page]
        response = client.get(page.url)
        assert response.status_code == 200
        assert f'href="/print/{page.pk}/">打印公示</a>' in response.content.decode()


def test_the_compound_poster_is_its_public_address_as_a_big_qr_code(street, client):
    jinxiu = street.compound_a1
    html = printed(client, jinxiu)

    address = f"{SITE_ROOT}/fengming/jinxiu/"
    assert "<h1>锦绣花园</h1>" in html
    assert "扫码查看小区公开栏" in html
    assert str(qr_svg(address, "锦绣花园的网上地址二维码")) in html
    page = client.get(jinxiu.url).content.decode()
    assert f'href="/print/{jinxiu.pk}/">打印小区二维码海报</a>' in page


def test_the_admin_offers_the_poster_to_the_compounds_editors(street, client):
    jinxiu = street.compound_a1
    client.force_login(street.pages["notice"].owner)

    response = client.get(f"/admin/pages/{jinxiu.pk}/edit/")
    assert response.status_code == 200, response
    edit = response.content.decode()
    assert f'href="/print/{jinxiu.pk}/"' in edit
    assert "打印二维码海报" in edit

    client.force_login(author(Role.OWNERS_COMMITTEE, street.compound_a2, "yangguang"))
    explorer = client.get(f"/admin/pages/{street.compound_a2.pk}/").content.decode()
    assert f'href="/print/{street.compound_a2.pk}/"' in explorer
    assert client.get(f"/admin/pages/{jinxiu.pk}/edit/").status_code == 302
