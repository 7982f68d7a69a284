"""What a query may cost: measured before it runs, fragments expanded, and a cap on the answer.

The cost counts every field (aliases too) and multiplies what a list selects by its page size;
a query over ``GRAPHQL_MAX_COST`` is refused in Chinese before any SQL, and an answer over
``GRAPHQL_MAX_RESPONSE_BYTES`` is replaced by an error. The screen feed and every persisted
query stay well under the budget: they still run with a quarter of it.
"""

import json
import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import documents
from api.persisted_queries import persisted_query_ids
from tests.content_types.notices.factories import NoticePageFactory

from .factories import post_graphql, screen_token
from .test_limits import errors_of

pytestmark = pytest.mark.django_db

COST_ERROR = re.compile(r"查询代价 (\d+)(?: 以上)?，超过上限 (\d+)")


def doubling(names: str = "F", levels: int = 24) -> str:
    """About 1 KB that spreads ``{ id title }`` 2**levels times when expanded."""
    fragments = [f"fragment {names}0 on Street {{ id title }}"] + [
        f"fragment {names}{i} on Street {{ ...{names}{i - 1} ...{names}{i - 1} }}"
        for i in range(1, levels + 1)
    ]
    return f"query {{ streets {{ ...{names}{levels} }} }}\n" + "\n".join(fragments)


def refused_for_cost(client, query: str, **variables) -> tuple[int, int]:
    """The cost and the limit the refusal names; no SQL ran and nothing was kept."""
    kept = documents.cached_count()
    with CaptureQueriesContext(connection) as queries:
        response = post_graphql(client, query, **variables)
    assert response.status_code == 400
    [message] = errors_of(response)
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert len(queries) == 0, [q["sql"] for q in queries]
    assert documents.cached_count() == kept
    cost, limit = COST_ERROR.search(message).groups()
    return int(cost), int(limit)


def test_fragment_doubling_is_refused_in_well_under_a_second(street_tree, client):
    query = doubling()
    assert len(query) < 1100

    # A changed name is a new text, so no cache helps; 150 levels spread 2**150 times.
    for text in (query, doubling("G"), doubling(levels=150)):
        started = time.perf_counter()
        cost, limit = refused_for_cost(client, text)
        assert time.perf_counter() - started < 0.5
        assert cost > limit


def test_fragments_are_measured_as_if_written_out(street_tree, client, settings):
    """Three levels of doubling select ``id title`` eight times: 1 + 10 × 16 for the streets."""
    text = doubling(levels=3)

    settings.GRAPHQL_MAX_COST = 1 + 10 * 16
    assert post_graphql(client, text).json()["data"]["streets"][0]["title"]
    settings.GRAPHQL_MAX_COST = 1 + 10 * 16 - 1
    assert refused_for_cost(client, text) == (1 + 10 * 16, 1 + 10 * 16 - 1)


def test_a_chain_of_fragments_too_deep_to_check_is_refused_in_chinese(street_tree, client):
    fragments = [f"fragment F{i} on Street {{ ...F{i - 1} }}" for i in range(1, 300)]
    query = "{ streets { ...F299 } } fragment F0 on Street { id } " + " ".join(fragments)

    response = post_graphql(client, query)

    assert response.status_code == 400
    assert "查询嵌套过深（含片段展开后的层数）" in errors_of(response)[0]


def test_too_many_errors_stop_the_check_in_chinese(street_tree, client):
    query = "{ streets { " + " ".join(f"x{n}" for n in range(120)) + " } }"

    messages = errors_of(post_graphql(client, query))

    assert "查询中的错误过多" in messages[-1]


def test_1600_aliases_of_the_task_list_are_refused_before_any_sql(client):
    query = "{ " + " ".join(f"t{n}: governanceTasks {{ id measure }}" for n in range(1600)) + " }"
    assert len(json.dumps({"query": query})) < 64 * 1024

    cost, limit = refused_for_cost(client, query)

    assert cost == 1600 * (1 + 10 * 2) > limit


def test_900_aliases_of_a_page_of_notices_are_refused_before_any_sql(street_tree, client):
    alias = 'n%d:notices(compound:"jinxiu",first:100){items{bodyHtml}totalCount}'
    query = "{" + " ".join(alias % n for n in range(900)) + "}"
    assert len(json.dumps({"query": query})) < 64 * 1024

    cost, limit = refused_for_cost(client, query)

    assert cost == 900 * (1 + (1 + 100 * 1) + 1) > limit


PAGE = '{ notices(compound: "jinxiu", first: %s) { items { id } totalCount } }'


def test_a_page_counts_its_items_and_an_unset_size_its_default(street_tree, client, settings):
    """``notices(first: 50) { items { id } totalCount }`` costs 1 + (1 + 50 × 1) + 1."""
    settings.GRAPHQL_MAX_COST = 53
    assert "data" in post_graphql(client, PAGE % "50").json()
    assert refused_for_cost(client, PAGE % "51") == (54, 53)

    default = PAGE.replace(", first: %s", "")
    settings.GRAPHQL_MAX_COST = 1 + (1 + 20) + 1
    assert "data" in post_graphql(client, default).json()
    settings.GRAPHQL_MAX_COST = 1 + (1 + 20)
    assert refused_for_cost(client, default) == (23, 22)


def test_a_page_size_from_a_variable_counts_as_the_largest_page(street_tree, client, settings):
    settings.GRAPHQL_MAX_PAGE_SIZE = 40
    settings.GRAPHQL_MAX_COST = 1 + (1 + 40) + 1 - 1

    query = "query ($n: Int) " + PAGE % "$n"

    assert refused_for_cost(client, query, n=2) == (43, 42)


def test_a_page_size_of_thousands_of_digits_is_an_error_not_a_500(street_tree, client):
    response = post_graphql(client, PAGE % ("9" * 5000))

    assert response.status_code == 400
    errors_of(response)


def test_a_lowered_budget_applies_to_a_query_already_cached(street_tree, client, settings):
    query = "{ streets { id title } }"
    assert post_graphql(client, query).json()["data"]["streets"]
    assert post_graphql(client, query).json()["data"]["streets"]  # from the cache

    settings.GRAPHQL_MAX_COST = 5

    assert refused_for_cost(client, query) == (21, 5)


def test_every_persisted_query_runs_with_a_quarter_of_the_budget(street_tree, client, settings):
    """The screen feed and the other persisted queries, at their largest (notices: the most a
    page may hold), cost well under the budget: they still run with a quarter of it."""
    settings.GRAPHQL_MAX_COST //= 4
    NoticePageFactory(parent=street_tree.compound_a1, title="停水通知")
    token = screen_token(street_tree.community_a)  # covers the community and 锦绣花园
    variables = {
        "compound": "jinxiu",
        "community": "fengming",
        "notices": settings.GRAPHQL_MAX_PAGE_SIZE,
    }

    for query_id in persisted_query_ids():
        text = (settings.BASE_DIR / "graphql" / "queries" / f"{query_id}.graphql").read_text()
        used = {name: value for name, value in variables.items() if f"${name}" in text}
        response = client.get(
            "/graphql/",
            {"id": query_id, "variables": json.dumps(used)},
            HTTP_AUTHORIZATION=f"Screen {token}",
        )
        assert response.status_code == 200, (query_id, response.content)
        assert "errors" not in response.json(), query_id


def test_an_answer_over_the_size_cap_is_refused_in_chinese(street_tree, client, settings):
    query = "{ streets { id title communities { id title compounds { id title slug } } } }"
    size = len(post_graphql(client, query).content)
    settings.GRAPHQL_MAX_RESPONSE_BYTES = size - 1

    response = post_graphql(client, query)

    assert response.status_code == 400
    [message] = errors_of(response)
    assert f"查询结果过大：{size} 字节，最多 {size - 1} 字节" in message
    assert response.json()["errors"][0]["extensions"]["code"] == "RESPONSE_TOO_LARGE"
    assert "data" not in response.json()
    settings.GRAPHQL_MAX_RESPONSE_BYTES = size
    assert post_graphql(client, query).json()["data"]["streets"]


def test_a_persisted_answer_over_the_size_cap_is_refused_without_cache_headers(
    street_tree, client, settings
):
    settings.GRAPHQL_MAX_RESPONSE_BYTES = 50

    response = client.get("/graphql/", {"id": "streets"})

    assert response.status_code == 400
    assert "查询结果过大" in errors_of(response)[0]
    assert response["Cache-Control"] == "no-store"
    assert not response.has_header("ETag")
