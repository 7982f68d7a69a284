"""Over-limit and malformed requests get a GraphQL error in Chinese, never a 500."""

import json
import os
import re
import subprocess
import sys

import pytest

from .factories import post_graphql, screen_token

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u4e00-\u9fff]")


def errors_of(response) -> list[str]:
    assert response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
    messages = [error["message"] for error in response.json()["errors"]]
    assert messages
    assert all(HAN.search(message) for message in messages), messages
    return messages


def test_a_syntax_error(street_tree, client):
    response = post_graphql(client, "{ streets { title ")

    assert response.status_code == 400
    assert "查询语法错误" in errors_of(response)[0]


def test_an_unknown_field(street_tree, client):
    [message] = errors_of(post_graphql(client, "{ streets { phone } }"))

    assert "phone" in message and "没有字段" in message


def test_a_variable_of_the_wrong_type(street_tree, client):
    query = 'query ($first: Int) { notices(compound: "jinxiu", first: $first) { totalCount } }'

    response = post_graphql(client, query, first="很多")

    assert "$first" in errors_of(response)[0]


def test_a_body_that_is_not_json(client):
    response = client.post("/graphql/", data="{query: 不是 JSON", content_type="application/json")

    assert response.status_code == 400
    errors_of(response)


def test_a_huge_body_is_refused_before_it_is_read(client, settings):
    settings.GRAPHQL_MAX_BODY_BYTES = 1000
    query = "{ streets { title } }" + " " * 2000

    response = post_graphql(client, query)

    assert response.status_code == 413
    assert "请求体过大" in errors_of(response)[0]


def test_a_query_nested_too_deep(street_tree, client, settings):
    settings.GRAPHQL_MAX_DEPTH = 3
    deep = "{ streets { communities { compounds { title } } } }"

    response = post_graphql(client, deep)

    assert "查询嵌套过深：4 层，最多允许 3 层" in errors_of(response)[0]
    settings.GRAPHQL_MAX_DEPTH = 4
    assert post_graphql(client, deep).json()["data"]["streets"]


def test_fragments_count_towards_the_depth(street_tree, client, settings):
    settings.GRAPHQL_MAX_DEPTH = 3
    query = "fragment C on Community { compounds { title } } { streets { communities { ...C } } }"

    assert "查询嵌套过深" in errors_of(post_graphql(client, query))[0]


def test_a_page_larger_than_the_maximum_is_an_error_not_a_silent_cap(street_tree, client, settings):
    settings.GRAPHQL_MAX_PAGE_SIZE = 50
    query = 'query ($n: Int) { notices(compound: "jinxiu", first: $n) { items { id } } }'

    response = post_graphql(client, query, n=51)

    assert response.json()["data"] is None
    assert "每次最多返回 50 条" in errors_of(response)[0]
    assert post_graphql(client, query, n=50).json()["data"]["notices"]["items"] == []


def test_the_screen_feed_refuses_too_many_notices(street_tree, client, settings):
    settings.GRAPHQL_MAX_PAGE_SIZE = 50
    token = screen_token(street_tree.compound_a1)
    query = '{ screenFeed(compound: "jinxiu", notices: 51) { notices { id } } }'

    assert "notices 请求了 51 条" in errors_of(post_graphql(client, query, token=token))[0]


INTROSPECTION = "{ __schema { queryType { name } } }"


def test_introspection_is_off_unless_enabled(client, settings):
    settings.GRAPHQL_INTROSPECTION = False
    assert "已关闭 GraphQL 内省查询" in errors_of(post_graphql(client, INTROSPECTION))[0]

    settings.GRAPHQL_INTROSPECTION = True
    assert post_graphql(client, INTROSPECTION).json()["data"]["__schema"]["queryType"] == {
        "name": "Query"
    }


def production_settings(**env: str) -> dict:
    """GraphQL settings as production loads them from the environment, in a fresh process."""
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.DEBUG, settings.GRAPHQL_INTROSPECTION]))"
    )
    environment = {
        key: value for key, value in os.environ.items() if key != "GRAPHQL_INTROSPECTION"
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="k" * 20 + "abcdefghij" * 4,
        ALLOWED_HOSTS="weizhi.example.cn",
        **env,
    )
    output = subprocess.run(  # noqa: S603 (our own interpreter and a fixed script)
        [sys.executable, "-c", script], env=environment, capture_output=True, check=True
    ).stdout
    debug, introspection = json.loads(output.decode().strip().splitlines()[-1])
    return {"debug": debug, "introspection": introspection}


def test_production_turns_introspection_and_graphiql_off_by_default():
    assert production_settings() == {"debug": False, "introspection": False}
    assert production_settings(GRAPHQL_INTROSPECTION="true")["introspection"] is True


def test_an_unknown_scope_is_a_chinese_error(street_tree, client):
    query = '{ notices(compound: "no-such-compound") { totalCount } }'

    assert "未找到已公开的小区：no-such-compound" in errors_of(post_graphql(client, query))[0]


def test_a_bad_cursor_and_a_bad_date_range(street_tree, client):
    bad_cursor = '{ notices(compound: "jinxiu", after: "!!!") { totalCount } }'
    assert "翻页游标" in errors_of(post_graphql(client, bad_cursor))[0]

    bad_range = (
        '{ notices(compound: "jinxiu", dateFrom: "2024-05-01", dateTo: "2024-04-01") '
        "{ totalCount } }"
    )
    assert "晚于结束日期" in errors_of(post_graphql(client, bad_range))[0]


def test_get_without_a_query_id_is_refused_in_chinese(client):
    response = client.get("/graphql/", {"query": json.dumps("{ streets { title } }")})

    errors_of(response)


def test_a_huge_number_as_a_scope_is_not_found_not_a_500(street_tree, client):
    huge = "9" * 30
    query = "query ($c: String) { notices(compound: $c) { totalCount } }"

    assert "未找到已公开的小区" in errors_of(post_graphql(client, query, c=huge))[0]
    single = post_graphql(client, "query ($id: ID) { compound(id: $id) { title } }", id=huge)
    assert single.json()["data"]["compound"] is None


def test_a_limit_lowered_after_a_query_was_cached_still_refuses_it(street_tree, client, settings):
    """Parsed documents are kept per text; the limits they were checked under are part of that."""
    settings.GRAPHQL_MAX_DEPTH = 4
    deep = "{ streets { communities { compounds { title } } } }"
    assert post_graphql(client, deep).json()["data"]["streets"]
    assert post_graphql(client, deep).json()["data"]["streets"]  # served from the cache

    settings.GRAPHQL_MAX_DEPTH = 3

    assert "查询嵌套过深：4 层，最多允许 3 层" in errors_of(post_graphql(client, deep))[0]


def test_an_over_deep_query_is_refused_every_time(street_tree, client, settings):
    settings.GRAPHQL_MAX_DEPTH = 3
    deep = "{ streets { communities { compounds { title } } } }"
    shallow = "{ streets { communities { title } } }"
    assert post_graphql(client, shallow).json()["data"]["streets"]  # the cache is warm

    for _ in range(3):
        assert "查询嵌套过深" in errors_of(post_graphql(client, deep))[0]


def test_introspection_turned_off_after_it_was_cached_is_refused(client, settings):
    settings.GRAPHQL_INTROSPECTION = True
    assert post_graphql(client, INTROSPECTION).json()["data"]["__schema"]

    settings.GRAPHQL_INTROSPECTION = False

    assert "已关闭 GraphQL 内省查询" in errors_of(post_graphql(client, INTROSPECTION))[0]


def test_the_same_text_runs_again_against_the_current_data(street_tree, client):
    """A cached document is the query, not its answer: every POST reads the database."""
    query = "{ streets { communities { title } } }"
    before = post_graphql(client, query).json()["data"]["streets"][0]["communities"]
    street_tree.community_b.title = "龙山新社区"
    street_tree.community_b.save_revision().publish()

    after = post_graphql(client, query).json()["data"]["streets"][0]["communities"]

    assert [c["title"] for c in before] == ["凤鸣社区", "龙山社区"]
    assert [c["title"] for c in after] == ["凤鸣社区", "龙山新社区"]


def test_a_deeply_nested_text_is_an_error_not_a_500(client):
    response = post_graphql(client, "{ streets " * 3000 + "}" * 3000)

    assert response.status_code == 400
    errors_of(response)


NUL_TEXT = "空字符（U+0000）"


def test_a_nul_character_anywhere_in_a_request_is_a_chinese_error(street_tree, client):
    token = screen_token(street_tree.compound_a1)
    literal = post_graphql(
        client, '{ screenFeed(compound: "jin\\u0000xiu") { notices { title } } }', token=token
    )
    variable = post_graphql(
        client,
        "query ($c: String) { compound(slug: $c) { title } notices(compound: $c) { totalCount } }",
        c="jin\x00xiu",
    )
    persisted = client.get(
        "/graphql/",
        {"id": "screenFeed", "variables": json.dumps({"compound": "jin\x00xiu"})},
        HTTP_AUTHORIZATION=f"Screen {token}",
    )
    persisted_by_post = client.post(
        "/graphql/",
        data=json.dumps({"id": "compound", "variables": {"compound": "\x00"}}),
        content_type="application/json",
    )

    for response in (literal, variable, persisted, persisted_by_post):
        assert response.status_code == 400, response.content
        assert any(NUL_TEXT in message for message in errors_of(response))
