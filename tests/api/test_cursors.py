"""A cursor is only what the API itself issued: anything else is ``BAD_CURSOR``, never a leak of
Python or database text, on every list and every ordering."""

import base64
import json
from datetime import datetime

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.content_types.notices.factories import NoticePageFactory

from .factories import post_graphql

pytestmark = pytest.mark.django_db

PAGE = (
    'query ($after: String, $order: Ordering) { %s(compound: "jinxiu", first: 1, '
    "after: $after, orderBy: $order) { totalCount pageInfo { endCursor } } }"
)
LISTS = ["notices", "disclosures", "expenditureProposals", "financeStatements"]
ORDERS = ["NEWEST", "OLDEST", "TITLE"]
BAD_CURSOR = "翻页游标 after 无效：请使用上一页返回的 pageInfo.endCursor。"


def encoded(value) -> str:
    """``value`` as JSON in base64, the way the API wraps its own cursors."""
    return base64.urlsafe_b64encode(json.dumps(value, ensure_ascii=False).encode()).decode()


@pytest.fixture
def notices(street_tree):
    now = timezone.now()
    return [
        NoticePageFactory(parent=street_tree.compound_a1, title=title, first_published_at=now)
        for title in ("甲", "乙")
    ]


def ask(client, cursor: str, order: str, field: str = "notices"):
    response = post_graphql(client, PAGE % field, after=cursor, order=order)
    assert response.status_code == 200, response.content
    return response.json()


def assert_refused(answer) -> None:
    """The list is refused with the cursor error alone: no other text reaches the client."""
    assert answer["data"] is None
    [error] = answer["errors"]
    assert (error["message"], error["extensions"]["code"]) == (BAD_CURSOR, "BAD_CURSOR")


HOSTILE = {
    "an id too large for SQLite": encoded(["甲", 10**30]),
    "a date that is not text": encoded([{"dt": 5}, 1]),
    "a date of another kind": encoded([{"d": "2024-05-01"}, 1]),
    "a date without a time zone": encoded([{"dt": "2024-05-01T08:00:00"}, 1]),
    "a date far beyond the calendar": encoded([{"dt": "0001-01-01T00:00:00+14:00"}, 1]),
    "a title that is a number": encoded([7, 1]),
    "a title with a NUL": encoded(["甲\x00", 1]),
    "an id that is true": encoded(["甲", True]),
    "a negative id": encoded(["甲", -1]),
    "three parts": encoded(["甲", 1, 2]),
    "not base64 at all": "!!!",
    "base64 padded with junk": encoded(["甲", 1]) + "!!",
}


@pytest.mark.parametrize("cursor", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_malformed_cursor_is_refused_on_every_list_and_ordering(notices, client, cursor):
    for field in LISTS:
        for order in ORDERS:
            assert_refused(ask(client, cursor, order, field))


def test_text_where_a_date_is_sorted_on_is_refused(notices, client):
    """Text is a title's cursor, not a date's: Django's message about it must not leak."""
    for order in ("NEWEST", "OLDEST"):
        assert_refused(ask(client, encoded(["下周", 1]), order))
    assert "errors" not in ask(client, encoded(["下周", 1]), "TITLE")


def test_the_cursors_the_api_issues_page_on(notices, client):
    for order in ORDERS:
        first = ask(client, "", order)["data"]["notices"]
        assert first["totalCount"] == 2

        second = ask(client, first["pageInfo"]["endCursor"], order)

        assert "errors" not in second
        assert second["data"]["notices"]["pageInfo"]["endCursor"] != first["pageInfo"]["endCursor"]


def well_formed_for(order: str):
    """Cursors of the shape the API issues for ``order``, with any value: they must work."""
    if order == "TITLE":
        value = st.text().filter(lambda text: "\x00" not in text)
    else:
        value = st.datetimes(
            datetime(1970, 1, 1),
            datetime(2100, 1, 1),
            timezones=st.just(timezone.get_current_timezone()),
        ).map(lambda moment: {"dt": moment.isoformat()})
    return st.tuples(value, st.integers(1, 2**63 - 1)).map(lambda pair: encoded(list(pair)))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["dt", "d", "x"]) | st.text(), children, max_size=3)
    ),
    max_leaves=6,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(LISTS),
    order=st.sampled_from(ORDERS),
    # U+0000 in any variable is refused before the query runs (see test_limits).
    cursor=st.text().filter(lambda text: "\x00" not in text)
    | JSON.map(encoded)
    | st.tuples(JSON, JSON).map(lambda pair: encoded(list(pair))),
)
def test_any_other_cursor_is_refused_as_bad_cursor(notices, field, order, cursor):
    answer = ask(Client(), cursor, order, field)

    if "errors" in answer:
        assert_refused(answer)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), field=st.sampled_from(LISTS), order=st.sampled_from(ORDERS))
def test_a_cursor_of_the_issued_shape_is_answered(notices, data, field, order):
    answer = ask(Client(), data.draw(well_formed_for(order)), order, field)

    assert "errors" not in answer, answer
