"""Persisted queries by id over GET: ETag and 304 until the scope changes, and clear refusals."""

import json
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from api import memo
from api.persisted_queries import get_persisted_query, persisted_query_ids
from api.schema import schema
from graphql import validate
from tests.content_types.notices.factories import NoticePageFactory

pytestmark = pytest.mark.django_db


def ask(client, query_id="compound", etag=None, **variables):
    params = {"id": query_id, "variables": json.dumps(variables or {"compound": "jinxiu"})}
    headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    return client.get("/graphql/", params, **headers)


def error_of(response) -> str:
    assert response["Content-Type"] == "application/json"
    return response.json()["errors"][0]["message"]


def test_every_persisted_query_is_valid_against_the_schema():
    assert persisted_query_ids(), "graphql/queries/ holds the queries screens use"
    for query_id in persisted_query_ids():
        query = get_persisted_query(query_id)
        assert validate(schema.graphql_schema, query.document) == [], query_id


def test_an_answer_carries_an_etag_and_cache_control_and_a_repeat_gets_304(street_tree, client):
    first = ask(client)

    assert first.status_code == 200
    assert first.json()["data"]["compound"]["title"] == "锦绣花园"
    assert first["ETag"].startswith('"')
    cache_control = {part.strip() for part in first["Cache-Control"].split(",")}
    assert {"public", "must-revalidate"} <= cache_control
    assert any(part.startswith("max-age=") for part in cache_control)
    assert "Authorization" in first["Vary"]

    repeat = ask(client, etag=first["ETag"])
    assert repeat.status_code == 304
    assert repeat.content == b""
    assert repeat["ETag"] == first["ETag"]
    assert "must-revalidate" in repeat["Cache-Control"]

    assert ask(client, etag=f'W/{first["ETag"]}, "other"').status_code == 304


def test_the_etag_depends_on_the_variables(street_tree, client):
    jinxiu = ask(client, compound="jinxiu")
    yangguang = ask(client, compound="yangguang")

    assert yangguang.json()["data"]["compound"]["title"] == "阳光水岸"
    assert jinxiu["ETag"] != yangguang["ETag"]
    assert ask(client, etag=jinxiu["ETag"], compound="yangguang").status_code == 200


def test_publishing_in_the_scope_breaks_the_304_and_elsewhere_does_not(street_tree, client):
    etag = ask(client)["ETag"]

    NoticePageFactory(parent=street_tree.compound_b1, title="龙山公寓停电通知")
    assert ask(client, etag=etag).status_code == 304, "another compound's notice changes nothing"

    NoticePageFactory(parent=street_tree.compound_a1, title="锦绣花园停水通知")
    fresh = ask(client, etag=etag)
    assert fresh.status_code == 200
    assert fresh["ETag"] != etag
    assert ask(client, etag=fresh["ETag"]).status_code == 304


def test_unpublishing_breaks_the_304(street_tree, client):
    notice = NoticePageFactory(parent=street_tree.compound_a1)
    etag = ask(client)["ETag"]

    notice.unpublish()

    assert ask(client, etag=etag).status_code == 200


def test_a_scheduled_expiry_passing_breaks_the_304_without_waiting_for_the_job(street_tree, client):
    notice = NoticePageFactory(
        parent=street_tree.compound_a1, expire_at=timezone.now() + timedelta(seconds=1)
    )
    etag = ask(client)["ETag"]
    assert ask(client, etag=etag).status_code == 304

    time.sleep(1.1)  # the notice's expiry passes; no job has run
    after_expiry = ask(client, etag=etag)
    assert after_expiry.status_code == 200

    call_command("publish_scheduled")
    notice.refresh_from_db()
    assert notice.expired and not notice.live
    assert ask(client, etag=after_expiry["ETag"]).status_code == 304, "nothing visible changed"


def test_a_304_costs_the_same_queries_however_many_notices(
    street_tree, client, django_assert_num_queries, settings
):
    settings.WEIZHI_API_MEMO_SECONDS = 60

    def queries_for_a_304() -> int:
        etag = ask(client)["ETag"]
        memo.forget_all()  # as once the memos' time has passed: the scope, the version
        with django_assert_num_queries(2) as captured:
            assert ask(client, etag=etag).status_code == 304
        with django_assert_num_queries(0):  # remembered (``api.memo``)
            assert ask(client, etag=etag).status_code == 304
        return len(captured)

    few = queries_for_a_304()
    for _ in range(40):
        NoticePageFactory(parent=street_tree.compound_a1)
    assert queries_for_a_304() == few


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"id": "nosuchquery"}, "未知的查询编号：nosuchquery"),
        ({"id": "../settings"}, "未知的查询编号"),
        ({"id": ""}, "未知的查询编号"),
        ({"id": "compound", "variables": "{compound: jinxiu"}, "不是有效的 JSON"),
        ({"id": "compound", "variables": "[1, 2]"}, "应为 JSON 对象"),
        ({"id": "compound", "variables": "{}"}, "查询变量 $compound缺失"),
        (
            {"id": "compound", "variables": '{"compound": 5}'},
            "查询变量 $compound缺失或取值不合要求",
        ),
        ({"id": "compound", "query": "{ streets { title } }"}, "只发送 id 或 query 其中之一"),
    ],
)
def test_bad_ids_and_variables_get_a_chinese_graphql_error(street_tree, client, params, expected):
    response = client.get("/graphql/", params)

    assert response.status_code == 400
    assert expected in error_of(response)
    assert response["Cache-Control"] == "no-store"
    assert "ETag" not in response


def test_query_text_over_get_is_refused_and_goes_by_post(street_tree, client):
    query = '{ compound(slug: "jinxiu") { title } }'

    refused = client.get("/graphql/", {"query": query})
    assert refused.status_code == 405
    assert "请用 POST 发送" in error_of(refused)

    posted = client.post("/graphql/", json.dumps({"query": query}), content_type="application/json")
    assert posted.status_code == 200
    assert posted.json()["data"]["compound"]["title"] == "锦绣花园"
    assert "ETag" not in posted


def test_a_persisted_query_by_post_runs_without_cache_headers(street_tree, client):
    response = client.post(
        "/graphql/",
        json.dumps({"id": "compound", "variables": {"compound": "yangguang"}}),
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["data"]["compound"]["title"] == "阳光水岸"
    assert "ETag" not in response


def test_a_get_without_an_id_or_a_post_that_is_not_json_gets_a_chinese_error(client):
    bare = client.get("/graphql/", HTTP_ACCEPT="application/json")
    assert bare.status_code == 400
    assert "请提供已登记查询的编号" in error_of(bare)

    for method in (client.put, client.delete):
        refused = method("/graphql/")
        assert refused.status_code == 405
        assert error_of(refused) == "只支持 GET 和 POST 请求。"

    garbled = client.post("/graphql/", "{not json", content_type="application/json")
    assert garbled.status_code == 400
    assert "请求体不是有效的 JSON 对象" in error_of(garbled)


def test_bad_variables_are_refused_every_time_good_ones_answer_every_time(street_tree, client):
    """What a persisted query's variables mean is worked out once; refusals are not kept."""
    for _ in range(2):
        refused = client.get("/graphql/", {"id": "compound", "variables": '{"compound": 5}'})
        assert refused.status_code == 400
        assert "查询变量" in error_of(refused)
    for _ in range(2):
        assert ask(client).json()["data"]["compound"]["title"] == "锦绣花园"
        assert ask(client, compound="yangguang").json()["data"]["compound"]["title"] == "阳光水岸"


def test_a_huge_number_as_a_persisted_scope_is_not_found_not_a_500(street_tree, client):
    response = ask(client, "screenFeed", compound="9" * 30, notices=5)

    assert response.status_code < 500
    assert response.json().get("errors") or response.json()["data"]["compound"] is None
