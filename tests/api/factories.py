"""Helpers for API tests: registered screens and GraphQL requests.

Usage::

    token = screen_token(street_tree.compound_a1)            # a registered screen's token
    response = post_graphql(client, "{ streets { title } }")
    response = post_graphql(client, FEED, token=token, compound="jinxiu")
"""

import json

from api.models import Screen


def screen_token(scope, name: str = "大堂公开屏") -> str:
    screen = Screen(name=name, scope=scope)
    token = screen.issue_token()
    screen.save()
    return token


def post_graphql(client, query: str, token: str | None = None, **variables):
    headers = {"HTTP_AUTHORIZATION": f"Screen {token}"} if token else {}
    return client.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
        **headers,
    )
