"""``publishedCases``: the anonymised summaries of closed cases their handlers published.

Open, resolved-but-not-closed and closed-but-unpublished cases never appear; nor does anything
of a case but its summary, category, dates and place name (never the reporter's name or phone,
the title, place or description); nor the cases of a compound hidden from the public. The list
costs the same queries for 3 cases as for 30.
"""

from __future__ import annotations

from typing import Any

import pytest
from wagtail.models import PageViewRestriction

from content_types.cases import services
from content_types.cases.models import Case, CaseStatus
from content_types.roles.models import Role
from tests.content_types.cases.factories import REPORTER_NAME, REPORTER_PHONE, file

from .factories import post_graphql

pytestmark = pytest.mark.django_db

CASES = """
query ($compound: String, $community: String, $first: Int, $after: String) {
  publishedCases(compound: $compound, community: $community, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    items { id category categoryLabel summary scopeName closedAt publishedAt }
  }
}
"""


def published(user: Any, scope: Any, summary: str, **fields: Any) -> Case:
    case = file(user, scope, **fields)
    services.accept(case, user)
    services.resolve(case, user, f"{REPORTER_NAME}反映的问题已处理")
    services.close(case, user, "已清理", "satisfied")
    return services.publish(case, user, summary)


@pytest.fixture
def commissioners(street_tree, role_user) -> dict[str, Any]:
    return {
        "a1": role_user(Role.COMMISSIONER, street_tree.compound_a1, "commissioner_a1"),
        "a2": role_user(Role.COMMISSIONER, street_tree.compound_a2, "commissioner_a2"),
        "office_a": role_user(Role.COMMUNITY_OFFICE, street_tree.community_a, "office_a"),
    }


def answer(client: Any, **variables: Any) -> dict[str, Any]:
    response = post_graphql(client, CASES, **variables)
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["publishedCases"]


def test_only_published_summaries_appear_and_nothing_of_the_reporter(
    street_tree, commissioners, client
) -> None:
    a1 = commissioners["a1"]
    shown = published(a1, street_tree.compound_a1, "楼道堆放的电池已清理，加装充电桩。")
    file(a1, street_tree.compound_a1, title="仍在处置的事件")  # open
    resolved = file(a1, street_tree.compound_a1, title="已办结未关闭")
    services.resolve(resolved, a1, "已处理")
    closed = file(a1, street_tree.compound_a1, title="已关闭未公开")
    services.resolve(closed, a1, "已处理")
    services.close(closed, a1, "已处理", "satisfied")
    published(commissioners["a2"], street_tree.compound_a2, "阳台违建已拆除。")

    cases = answer(client, compound="jinxiu")

    assert cases["totalCount"] == 1
    [item] = cases["items"]
    assert item["id"] == str(shown.pk)
    assert (item["category"], item["categoryLabel"]) == ("HAZARD", "安全隐患")
    assert (item["summary"], item["scopeName"]) == (
        "楼道堆放的电池已清理，加装充电桩。",
        "锦绣花园",
    )
    text = str(cases)
    for private in (REPORTER_NAME, REPORTER_PHONE, shown.title, shown.place, shown.description):
        assert private not in text
    assert Case.objects.get(pk=closed.pk).status == CaseStatus.CLOSED  # closed, not published

    # The community sees its compounds' published cases; a hidden compound's disappear.
    community = answer(client, community=street_tree.community_a.slug)
    assert {i["summary"] for i in community["items"]} == {
        "楼道堆放的电池已清理，加装充电桩。",
        "阳台违建已拆除。",
    }
    PageViewRestriction.objects.create(
        page=street_tree.compound_a2, restriction_type=PageViewRestriction.LOGIN
    )
    community = answer(client, community=street_tree.community_a.slug)
    assert [i["summary"] for i in community["items"]] == ["楼道堆放的电池已清理，加装充电桩。"]


# Whatever the number of cases: the scope and what is hidden are looked up, the page of cases
# is read with its places' names in one query, and the total in one more.
LIST_QUERIES = 5


def test_the_list_is_paged_and_costs_the_same_queries_for_3_cases_and_30(
    street_tree, commissioners, client, django_assert_num_queries
) -> None:
    for n in range(3):
        published(commissioners["a1"], street_tree.compound_a1, f"第{n}件已处理。")
    client.get("/")  # the session's own queries stay out of the count
    with django_assert_num_queries(LIST_QUERIES):
        cases = answer(client, compound="jinxiu", first=20)
    assert cases["totalCount"] == 3 and not cases["pageInfo"]["hasNextPage"]

    for n in range(3, 30):
        published(commissioners["a1"], street_tree.compound_a1, f"第{n}件已处理。")
    with django_assert_num_queries(LIST_QUERIES):
        cases = answer(client, compound="jinxiu", first=20)
    assert [i["summary"] for i in cases["items"]][:2] == ["第29件已处理。", "第28件已处理。"]
    rest = answer(client, compound="jinxiu", first=20, after=cases["pageInfo"]["endCursor"])
    assert len(rest["items"]) == 10 and rest["items"][-1]["summary"] == "第0件已处理。"


def test_publishing_a_case_changes_its_compound_s_content_version(
    street_tree, commissioners, client
) -> None:
    query = '{ contentVersion(compound: "jinxiu") }'
    before = post_graphql(client, query).json()["data"]["contentVersion"]
    case = file(commissioners["a1"], street_tree.compound_a1)
    assert post_graphql(client, query).json()["data"]["contentVersion"] == before  # not public

    services.resolve(case, commissioners["a1"], "已处理")
    services.close(case, commissioners["a1"], "已清理", "satisfied")
    services.publish(case, commissioners["a1"], "楼道电池已清理。")
    assert post_graphql(client, query).json()["data"]["contentVersion"] != before
