"""The compound screen page: only for a published compound, a shell of persisted queries."""

import json
import re

import pytest
from wagtail.models import PageViewRestriction

from api.screen_views import (
    COMMUNITY_FEED_QUERY_ID,
    COMMUNITY_VERSION_QUERY_ID,
    FEED_QUERY_ID,
    POLL_SECONDS,
    VERSION_QUERY_ID,
)

pytestmark = pytest.mark.django_db


def screen_config(response) -> dict:
    found = re.search(
        r'<script id="screen-config" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert found, "the page carries its configuration"
    return json.loads(found.group(1))


def test_a_published_compound_has_a_screen_reading_its_persisted_queries(street_tree, client):
    response = client.get("/screen/jinxiu/")

    assert response.status_code == 200
    assert "<title>锦绣花园 · 公开屏 · 微治</title>" in response.content.decode()
    config = screen_config(response)
    assert config["endpoint"] == "/graphql/"
    assert (config["feedQuery"], config["versionQuery"]) == (FEED_QUERY_ID, VERSION_QUERY_ID)
    assert config["variables"] == {"compound": "jinxiu"}
    assert config["pollSeconds"] == POLL_SECONDS


def test_the_page_asks_only_for_persisted_queries_that_exist(settings):
    queries = settings.BASE_DIR / "graphql" / "queries"
    for query_id in (FEED_QUERY_ID, VERSION_QUERY_ID):
        assert (queries / f"{query_id}.graphql").is_file(), query_id


@pytest.mark.parametrize(("asked", "used"), [("5", 5), ("0", 1), ("9999", 300), ("快", 15)])
def test_the_poll_interval_stays_within_bounds(street_tree, client, asked, used):
    assert screen_config(client.get("/screen/jinxiu/", {"poll": asked}))["pollSeconds"] == used


def test_drafts_restricted_and_unknown_compounds_have_no_screen(street_tree, client):
    street_tree.compound_a2.unpublish()
    PageViewRestriction.objects.create(
        page=street_tree.compound_b1, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )

    for slug in ("yangguang", "gongyu", "no-such-compound"):
        assert client.get(f"/screen/{slug}/").status_code == 404, slug
    assert client.get("/screen/cuizhu/").status_code == 200


def test_the_screen_is_read_only(street_tree, client):
    assert client.post("/screen/jinxiu/").status_code == 405


def test_a_published_community_has_a_screen_reading_its_own_persisted_queries(
    street_tree, client, settings
):
    response = client.get("/screen/community/fengming/")

    assert response.status_code == 200
    assert "<title>凤鸣社区 · 公开屏 · 微治</title>" in response.content.decode()
    config = screen_config(response)
    assert (config["feedQuery"], config["versionQuery"]) == (
        COMMUNITY_FEED_QUERY_ID,
        COMMUNITY_VERSION_QUERY_ID,
    )
    assert config["variables"] == {"community": "fengming"}
    queries = settings.BASE_DIR / "graphql" / "queries"
    for query_id in (COMMUNITY_FEED_QUERY_ID, COMMUNITY_VERSION_QUERY_ID):
        assert (queries / f"{query_id}.graphql").is_file(), query_id


def test_hidden_and_unknown_communities_and_compounds_named_as_one_have_no_community_screen(
    street_tree, client
):
    street_tree.community_b.unpublish()

    for slug in ("longshan", "jinxiu", "no-such-community"):
        assert client.get(f"/screen/community/{slug}/").status_code == 404, slug
