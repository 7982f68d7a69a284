"""Lists by scope: filters, ordering, cursor pages, and rich text as clean HTML."""

from datetime import date, timedelta

import pytest
import wagtail_factories
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction

from content_types.disclosures.models import Fund
from content_types.notices.models import NoticeCategory
from tests.content_types.disclosures.factories import (
    AssetListsPageFactory,
    FeeCollectionPageFactory,
    FinanceStatementPageFactory,
    PropertyServicesPageFactory,
)
from tests.content_types.notices.factories import NoticePageFactory
from tests.content_types.structure.factories import CompoundPageFactory

from .factories import post_graphql

pytestmark = pytest.mark.django_db

PAGE = """
query ($after: String, $category: NoticeCategory, $from: Date, $to: Date, $order: Ordering) {
  notices(compound: "jinxiu", first: 2, after: $after, category: $category,
          dateFrom: $from, dateTo: $to, orderBy: $order) {
    totalCount
    pageInfo { hasNextPage endCursor }
    items { title category }
  }
}
"""


@pytest.fixture
def notices(street_tree):
    now = timezone.now()
    for n, category in enumerate(
        [NoticeCategory.NOTICE, NoticeCategory.EVENT, NoticeCategory.NOTICE, NoticeCategory.EVENT]
    ):
        NoticePageFactory(
            parent=street_tree.compound_a1,
            title=f"通知{n}",
            category=category,
            first_published_at=now - timedelta(days=n * 10),
        )
    return now


def page(client, **variables):
    response = post_graphql(client, PAGE, **variables)
    assert "errors" not in response.json(), response.json()
    return response.json()["data"]["notices"]


def test_cursor_pages_walk_the_list_without_gaps_or_repeats(client, notices):
    first = page(client)
    assert [item["title"] for item in first["items"]] == ["通知0", "通知1"]
    assert first["totalCount"] == 4 and first["pageInfo"]["hasNextPage"]

    second = page(client, after=first["pageInfo"]["endCursor"])

    assert [item["title"] for item in second["items"]] == ["通知2", "通知3"]
    assert not second["pageInfo"]["hasNextPage"]


def test_filters_by_category_and_date_range_and_ordering(client, notices):
    events = page(client, category="EVENT")
    assert [item["title"] for item in events["items"]] == ["通知1", "通知3"]

    today = timezone.localdate(notices)
    recent = page(client, **{"from": (today - timedelta(days=15)).isoformat()})
    assert [item["title"] for item in recent["items"]] == ["通知0", "通知1"]
    assert recent["totalCount"] == 2

    oldest = page(client, order="OLDEST")
    assert [item["title"] for item in oldest["items"]] == ["通知3", "通知2"]


def test_an_unknown_category_is_a_chinese_error(client, notices):
    response = post_graphql(client, PAGE, category="GOSSIP")

    assert "GOSSIP" in response.json()["errors"][0]["message"]
    assert "查询变量" in response.json()["errors"][0]["message"]


def test_rich_text_comes_as_clean_html_with_internal_links_resolved(
    street_tree, public_site, client
):
    target = street_tree.compound_a2
    NoticePageFactory(
        parent=street_tree.compound_a1,
        body=[("paragraph", f'<p>见<a linktype="page" id="{target.pk}">阳光水岸</a>。</p>')],
    )

    [item] = page_items(client)

    assert "linktype" not in item["bodyHtml"]
    assert f'<a href="{target.url}">阳光水岸</a>' in item["bodyHtml"]


def page_items(client):
    response = post_graphql(client, '{ notices(compound: "jinxiu") { items { bodyHtml } } }')
    return response.json()["data"]["notices"]["items"]


def test_finance_statements_with_rows_filtered_by_fund_and_period(street_tree, client):
    FinanceStatementPageFactory(parent=street_tree.compound_a1, title="一季度共有收益")
    FinanceStatementPageFactory(
        parent=street_tree.compound_a1,
        title="维修资金",
        fund=Fund.MAINTENANCE_FUND,
        period_start=date(2024, 4, 1),
        period_end=date(2024, 6, 30),
    )
    query = """
    query ($fund: String, $from: Date) {
      financeStatements(compound: "jinxiu", fund: $fund, dateFrom: $from) {
        items { title fundLabel lines { category amount } }
      }
    }
    """

    by_fund = post_graphql(client, query, fund="maintenance_fund").json()["data"]
    assert [s["title"] for s in by_fund["financeStatements"]["items"]] == ["维修资金"]
    by_period = post_graphql(client, query, **{"from": "2024-04-01"}).json()["data"]
    assert [s["fundLabel"] for s in by_period["financeStatements"]["items"]] == ["专项维修资金"]
    assert by_period["financeStatements"]["items"][0]["lines"][1]["amount"] == "1250.50"

    bad = post_graphql(client, query, fund="lottery").json()
    assert "筛选条件有误" in bad["errors"][0]["message"]


# Restrictions, the compound and its ancestors, the page of disclosures, its total, then one
# query per type and one per kind of row (finance lines, buildings, items, services, splits).
DISCLOSURE_QUERIES = 14

DISCLOSURES = """
query ($type: [DisclosureKind!]) {
  disclosures(compound: "jinxiu", type: $type, first: 50) {
    totalCount
    items {
      __typename
      ... on FinanceStatement { title lines { amount } }
      ... on FeeCollection { title buildings { building } }
      ... on AssetLists { title items { name } }
      ... on PropertyServices { title services { item } energySplits { share unitLabel } }
    }
  }
}
"""


def add_disclosures(compound, start: int) -> None:
    now = timezone.now()
    for n, factory in enumerate(
        [
            FinanceStatementPageFactory,
            FeeCollectionPageFactory,
            AssetListsPageFactory,
            PropertyServicesPageFactory,
        ]
    ):
        factory(
            parent=compound,
            title=f"公示{start + n}",
            first_published_at=now - timedelta(hours=start + n),
        )


def test_disclosures_of_every_type_filtered_by_type_in_fixed_queries(
    street_tree, client, django_assert_num_queries
):
    add_disclosures(street_tree.compound_a1, 0)
    FinanceStatementPageFactory(parent=street_tree.compound_a2, title="别的小区")
    FinanceStatementPageFactory(parent=street_tree.compound_a1, title="草稿", live=False)

    with django_assert_num_queries(DISCLOSURE_QUERIES):
        response = post_graphql(client, DISCLOSURES)
    data = response.json()["data"]["disclosures"]
    assert [item["__typename"] for item in data["items"]] == [
        "FinanceStatement",
        "FeeCollection",
        "AssetLists",
        "PropertyServices",
    ]
    assert data["totalCount"] == 4

    only = post_graphql(client, DISCLOSURES, type=["FEE_COLLECTION", "ASSET_LISTS"]).json()
    assert [item["title"] for item in only["data"]["disclosures"]["items"]] == ["公示1", "公示2"]

    for start in range(4, 40, 4):
        add_disclosures(street_tree.compound_a1, start)
    with django_assert_num_queries(DISCLOSURE_QUERIES):
        many = post_graphql(client, DISCLOSURES).json()["data"]["disclosures"]
    assert many["totalCount"] == 40 and len(many["items"]) == 40


STRUCTURE = """
{ streets { title intro communities { title intro compounds { title slug } } } }
"""


def test_the_structure_costs_the_same_queries_however_many_compounds(
    street_tree, client, django_assert_num_queries
):
    with django_assert_num_queries(4):  # hidden subtrees, streets, communities, compounds
        post_graphql(client, STRUCTURE)
    for n in range(6):
        CompoundPageFactory(parent=street_tree.community_b, title=f"新小区{n}", slug=f"new-{n}")

    with django_assert_num_queries(4):
        response = post_graphql(client, STRUCTURE)
    [street] = response.json()["data"]["streets"]
    assert sum(len(community["compounds"]) for community in street["communities"]) == 10


ATTACHMENTS = (
    '{ notices(compound: "jinxiu", first: 50) { items { title attachments { title url } } } }'
)


def test_attachments_are_listed_unless_their_collection_is_restricted(
    street_tree, client, django_assert_num_queries
):
    root = Collection.get_first_root_node()
    private = root.add_child(name="内部资料")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    public_doc = wagtail_factories.DocumentFactory(title="停水范围图")
    private_doc = wagtail_factories.DocumentFactory(title="业主名册", collection=private)

    def notice(n: int) -> None:
        NoticePageFactory(
            parent=street_tree.compound_a1,
            title=f"附件通知{n}",
            body=[
                ("paragraph", "<p>见附件。</p>"),
                ("attachment", {"document": public_doc, "title": ""}),
                ("attachment", {"document": private_doc, "title": "名册"}),
            ],
        )

    notice(0)
    with django_assert_num_queries(6):  # hidden subtrees, scope x2, notices, collections, documents
        response = post_graphql(client, ATTACHMENTS)
    [item] = response.json()["data"]["notices"]["items"]
    assert item["attachments"] == [{"title": "停水范围图", "url": public_doc.url}]

    for n in range(1, 8):
        notice(n)
    with django_assert_num_queries(6):
        response = post_graphql(client, ATTACHMENTS)
    assert len(response.json()["data"]["notices"]["items"]) == 8
