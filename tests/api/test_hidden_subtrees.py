"""A restricted or unpublished compound hides everything under it, everywhere the public looks.

One street is built once for the module: in 凤鸣社区, 锦绣花园 has a login restriction, 阳光水岸
is unpublished the way the admin does it by default (its children stay live) and 翠竹苑 is
public; each holds one of every public kind, titled after its compound. 龙山社区 is unpublished
with its compound 龙山公寓 live. Every public kind is then read through the GraphQL API, the
public pages, ``/vote/``, the screens and ``contentVersion``: what lies under the two hidden
compounds never shows, what lies under 翠竹苑 does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
import wagtail_factories
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from api.content_version import content_version
from content_types.structure.public import lapsed_on_the_way
from tests.conftest import ensure_wagtail_root
from tests.content_types.committees.factories import CommitteeMemberFactory, OwnersCommitteeFactory
from tests.content_types.configured_disclosures.factories import (
    ConfiguredDisclosurePageFactory,
    ConfiguredKindFactory,
)
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
from tests.content_types.structure.factories import (
    CommunityPageFactory,
    CompoundPageFactory,
    StreetPageFactory,
)

from .factories import post_graphql, screen_token
from .test_screen_feed import vote_result

if TYPE_CHECKING:
    from workflows.voting.models import Vote

pytestmark = pytest.mark.django_db

RESTRICTED, UNPUBLISHED, PUBLIC = "锦绣花园", "阳光水岸", "翠竹苑"
HIDDEN = [RESTRICTED, UNPUBLISHED]
SLUGS = {RESTRICTED: "jinxiu", UNPUBLISHED: "yangguang", PUBLIC: "cuizhu"}
# The public pages each compound holds, by kind.
PAGE_KINDS = (
    "notice",
    "finance_statement",
    "fee_collection",
    "asset_lists",
    "property_services",
    "proposal",
    "usage_report",
)


@dataclass
class Street:
    street: Page
    community: Page
    hidden_community: Page
    compounds: dict[str, Page]
    pages: dict[tuple[str, str], Page]
    votes: dict[str, Vote]


def _fill(compound: Page, title: str) -> tuple[dict[tuple[str, str], Page], Vote]:
    """One of every public kind under ``compound``, each titled after it."""
    proposal = ExpenditureProposalPageFactory(parent=compound, title=f"申请·{title}")
    pages = {
        "notice": NoticePageFactory(parent=compound, title=f"通知·{title}"),
        "finance_statement": FinanceStatementPageFactory(parent=compound, title=f"收支·{title}"),
        "fee_collection": FeeCollectionPageFactory(parent=compound, title=f"收缴·{title}"),
        "asset_lists": AssetListsPageFactory(parent=compound, title=f"清单·{title}"),
        "property_services": PropertyServicesPageFactory(parent=compound, title=f"服务·{title}"),
        "proposal": proposal,
        "usage_report": UsageReportPageFactory(parent=proposal, title=f"使用·{title}"),
    }
    # A configured kind has no page template of its own yet: read through the API only.
    ConfiguredDisclosurePageFactory(
        parent=compound, kind=ConfiguredKindFactory(code="lifts"), title=f"维保·{title}"
    )
    committee = OwnersCommitteeFactory(compound=compound)
    CommitteeMemberFactory(committee=committee, name=f"委员·{title}")
    firm = PropertyFirmFactory(name=f"物业·{title}")
    firm.compounds.set([compound])
    firm.save()
    vote = vote_result(compound, title=f"表决·{title}").vote
    return {(title, kind): page for kind, page in pages.items()}, vote


@pytest.fixture(scope="module")
def street(django_db_setup, django_db_blocker):
    """The street, built once for the module in a transaction rolled back at its end (each
    test's own changes are rolled back before the next test, as usual)."""
    with django_db_blocker.unblock(), transaction.atomic():
        street = StreetPageFactory(parent=ensure_wagtail_root(), slug="baiguan")
        community = CommunityPageFactory(parent=street, title="凤鸣社区", slug="fengming")
        NoticePageFactory(parent=community, title="通知·凤鸣社区")
        compounds, pages, votes = {}, {}, {}
        for title, slug in SLUGS.items():
            compounds[title] = CompoundPageFactory(parent=community, title=title, slug=slug)
            found, votes[title] = _fill(compounds[title], title)
            pages.update(found)
        hidden_community = CommunityPageFactory(parent=street, title="龙山社区", slug="longshan")
        gongyu = CompoundPageFactory(parent=hidden_community, title="龙山公寓", slug="gongyu")
        NoticePageFactory(parent=gongyu, title="通知·龙山公寓")
        vote_result(gongyu, title="表决·龙山公寓")
        PageViewRestriction.objects.create(
            page=compounds[RESTRICTED], restriction_type=PageViewRestriction.LOGIN
        )
        compounds[UNPUBLISHED].unpublish()
        hidden_community.unpublish()
        wagtail_factories.SiteFactory(
            hostname="testserver", port=80, root_page=street, site_name="百官街道"
        )
        Site.clear_site_root_paths_cache()
        yield Street(street, community, hidden_community, compounds, pages, votes)
        transaction.set_rollback(True)
    Site.clear_site_root_paths_cache()


def shown_text(response) -> str:
    body = response.json()
    assert "errors" not in body, body
    return json.dumps(body["data"], ensure_ascii=False)


# --------------------------------------------------------------------------- the GraphQL API

ITEMS = "items { title }"
LISTS = {
    "notices": f"notices(community: $scope, first: 50) {{ {ITEMS} }}",
    "financeStatements": f"financeStatements(community: $scope) {{ {ITEMS} }}",
    "feeCollections": f"feeCollections(community: $scope) {{ {ITEMS} }}",
    "assetLists": f"assetLists(community: $scope) {{ {ITEMS} }}",
    "propertyServices": f"propertyServices(community: $scope) {{ {ITEMS} }}",
    "disclosures": "disclosures(community: $scope, first: 50) { items { "
    "... on FinanceStatement { title } ... on FeeCollection { title } "
    "... on AssetLists { title } ... on PropertyServices { title } } }",
    "expenditureProposals": f"expenditureProposals(community: $scope) {{ {ITEMS} }}",
    "ownersCommittees": "ownersCommittees(community: $scope) { members { name } }",
    "voteResults": "voteResults(community: $scope) { title }",
    "propertyFirms": "propertyFirms(community: $scope) { name }",
    "configuredDisclosures": "configuredDisclosures"
    f'(kind: "lifts", community: $scope) {{ {ITEMS} }}',
}


@pytest.mark.parametrize("field", LISTS)
def test_a_communitys_lists_leave_out_what_lies_under_a_hidden_compound(street, client, field):
    response = post_graphql(
        client, f"query ($scope: String) {{ {LISTS[field]} }}", scope="fengming"
    )

    shown = shown_text(response)
    assert PUBLIC in shown
    assert RESTRICTED not in shown and UNPUBLISHED not in shown


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("field", LISTS)
def test_a_hidden_compound_is_not_found_by_any_list(street, client, field, hidden):
    query = LISTS[field].replace("community:", "compound:")
    response = post_graphql(client, f"query ($scope: String) {{ {query} }}", scope=SLUGS[hidden])

    body = response.json()
    assert body["data"] is None
    assert f"未找到已公开的小区：{SLUGS[hidden]}" in body["errors"][0]["message"]


def test_the_structure_shows_public_compounds_only(street, client):
    response = post_graphql(
        client,
        "{ streets { communities { title compounds { title } } } "
        'jinxiu: compound(slug: "jinxiu") { title } yangguang: compound(slug: "yangguang") '
        '{ title } gongyu: compound(slug: "gongyu") { title } }',
    )

    data = response.json()["data"]
    assert data["streets"] == [
        {"communities": [{"title": "凤鸣社区", "compounds": [{"title": PUBLIC}]}]}
    ]
    assert data["jinxiu"] is data["yangguang"] is data["gongyu"] is None


# --------------------------------------------------------------------------- public pages


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_pages_under_an_unpublished_compound_are_not_served(street, client, kind):
    assert client.get(street.pages[PUBLIC, kind].url).status_code == 200

    assert client.get(street.pages[UNPUBLISHED, kind].url).status_code == 404


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_pages_under_a_restricted_compound_ask_for_a_login(street, client, kind):
    response = client.get(street.pages[RESTRICTED, kind].url)

    assert response.status_code == 302
    assert "/login/" in response.url


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_the_printed_form_is_public_where_the_page_is(street, client, kind):
    assert client.get(f"/print/{street.pages[PUBLIC, kind].pk}/").status_code == 200

    for title in HIDDEN:
        assert client.get(f"/print/{street.pages[title, kind].pk}/").status_code == 404


def test_pages_under_an_unpublished_community_or_an_expired_compound_are_not_served(street, client):
    assert client.get("/longshan/gongyu/").status_code == 404
    notice = street.pages[PUBLIC, "notice"]
    Page.objects.filter(pk=street.compounds[PUBLIC].pk).update(
        expire_at=timezone.now() - timedelta(minutes=1)
    )

    assert client.get(notice.url).status_code == 404


@pytest.mark.parametrize(("title", "lapsed"), [(UNPUBLISHED, True), (PUBLIC, False)])
def test_a_page_found_outside_routing_reads_its_ancestors_in_one_query(
    street, django_assert_num_queries, title, lapsed
):
    notice = Page.objects.get(pk=street.pages[title, "notice"].pk)

    with django_assert_num_queries(1):
        assert lapsed_on_the_way(notice, timezone.now()) is lapsed


def test_the_communitys_page_lists_public_compounds_only(street, client):
    page = client.get(street.community.url).content.decode()

    assert PUBLIC in page
    assert RESTRICTED not in page and UNPUBLISHED not in page


# --------------------------------------------------------------------------- votes


def test_the_vote_list_leaves_out_votes_of_hidden_compounds(street, client):
    page = client.get("/vote/").content.decode()

    assert f"表决·{PUBLIC}" in page
    assert all(f"表决·{title}" not in page for title in [*HIDDEN, "龙山公寓"])


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("view", ["", "result/", "objection/"])
def test_a_vote_of_a_hidden_compound_has_no_public_page(street, client, hidden, view):
    assert client.get(f"/vote/{street.votes[PUBLIC].pk}/{view}").status_code == 200

    assert client.get(f"/vote/{street.votes[hidden].pk}/{view}").status_code == 404


# --------------------------------------------------------------------------- screens


@pytest.mark.parametrize("slug", ["jinxiu", "yangguang", "gongyu"])
def test_a_hidden_compound_has_no_screen_and_no_feed(street, client, slug):
    assert client.get("/screen/cuizhu/").status_code == 200
    assert client.get(f"/screen/{slug}/").status_code == 404

    token = screen_token(street.street)
    response = client.get(
        "/graphql/",
        {"id": "screenFeed", "variables": json.dumps({"compound": slug})},
        HTTP_AUTHORIZATION=f"Screen {token}",
    )
    assert response.json()["data"] is None
    assert "未找到已公开的小区" in response.json()["errors"][0]["message"]


def test_the_public_compounds_feed_shows_nothing_of_its_hidden_neighbours(street, client):
    token = screen_token(street.community)
    response = client.get(
        "/graphql/",
        {"id": "screenFeed", "variables": json.dumps({"compound": "cuizhu", "notices": 50})},
        HTTP_AUTHORIZATION=f"Screen {token}",
    )

    shown = shown_text(response)
    assert f"通知·{PUBLIC}" in shown and "通知·凤鸣社区" in shown
    assert f"维保·{PUBLIC}" in shown  # its configured disclosures' table
    assert RESTRICTED not in shown and UNPUBLISHED not in shown


# --------------------------------------------------------------------------- contentVersion


VERSIONS = """
query ($community: String) {
  site: contentVersion
  community: contentVersion(community: $community)
}
"""


def versions(client, street) -> tuple[str, ...]:
    """The versions of the whole street and of the community, as clients ask for them."""
    data = post_graphql(client, VERSIONS, community="fengming").json()["data"]
    return data["site"], data["community"]


def test_restricting_and_unrestricting_a_compound_changes_the_versions(street, client):
    compound = street.compounds[PUBLIC]
    before = versions(client, street)

    restriction = PageViewRestriction.objects.create(
        page=compound, restriction_type=PageViewRestriction.LOGIN
    )
    restricted = versions(client, street)
    restriction.delete()

    assert all(a != b for a, b in zip(before, restricted, strict=True))
    assert versions(client, street) == before


def test_unpublishing_and_republishing_a_compound_changes_the_versions(street, client):
    compound = street.compounds[PUBLIC]
    before = versions(client, street)

    compound.unpublish()
    unpublished = versions(client, street)
    compound.save_revision().publish()
    republished = versions(client, street)

    assert all(a != b for a, b in zip(before, unpublished, strict=True))
    assert all(a != b for a, b in zip(unpublished, republished, strict=True))
    assert content_version(street.community) == republished[1]
