"""The GraphQL API shows the published structure only, and answers bad queries with errors."""

import json

import pytest
from wagtail.models import PageViewRestriction

pytestmark = pytest.mark.django_db

STRUCTURE = "{ streets { title communities { title compounds { title slug } } } }"


def graphql(client, query: str, **variables):
    return client.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
    )


def compound_titles(response) -> set[str]:
    return {
        compound["title"]
        for street in response.json()["data"]["streets"]
        for community in street["communities"]
        for compound in community["compounds"]
    }


@pytest.mark.smoke
def test_published_compounds_are_listed(street_tree, client):
    response = graphql(client, STRUCTURE)

    assert response.status_code == 200
    assert compound_titles(response) == {"锦绣花园", "阳光水岸", "龙山公寓", "翠竹苑"}


def test_unpublished_and_restricted_compounds_are_not(street_tree, client):
    street_tree.compound_a2.unpublish()
    PageViewRestriction.objects.create(
        page=street_tree.compound_b1, restriction_type=PageViewRestriction.LOGIN
    )

    response = graphql(client, STRUCTURE)

    assert compound_titles(response) == {"锦绣花园", "翠竹苑"}


def test_a_compound_by_slug_only_when_published(street_tree, client):
    query = "query ($slug: String!) { compound(slug: $slug) { title address } }"
    assert graphql(client, query, slug="jinxiu").json()["data"]["compound"]["title"] == "锦绣花园"

    street_tree.compound_a1.unpublish()

    assert graphql(client, query, slug="jinxiu").json()["data"]["compound"] is None


def test_a_malformed_query_gets_a_graphql_error_not_a_500(client):
    response = graphql(client, "{ streets { title ")

    assert response.status_code == 400
    assert response.json()["errors"]


def test_an_unknown_field_gets_a_graphql_error(client):
    response = graphql(client, "{ streets { phone } }")

    assert response.status_code == 400
    assert "phone" in response.json()["errors"][0]["message"]
