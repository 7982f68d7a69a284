"""A screen's token GET goes straight to the API view (``api/screen_polls.py``): the same answer
as through every middleware, with the host still checked and the security headers still set."""

from __future__ import annotations

import json

import pytest

from content_types.roles.models import Role

from .test_screen_feed_access import feed, published_notice, registered, titles

pytestmark = pytest.mark.django_db


def test_a_poll_gets_the_same_answer_as_through_every_middleware(street_tree, client, settings):
    published_notice(street_tree.compound_a1, "停水通知")
    token = registered(street_tree.compound_a1)
    fast = feed(client, token)
    etag = fast["ETag"]
    assert feed(client, token, etag=etag).status_code == 304

    settings.WEIZHI_API_WITHOUT = ("middleware",)
    slow = feed(client, token)
    assert (slow.status_code, slow.content, slow["ETag"]) == (200, fast.content, etag)
    assert titles(fast) == ["停水通知"]
    assert fast["Content-Length"] == str(len(fast.content))
    assert fast["X-Content-Type-Options"] == "nosniff"  # Django's SecurityMiddleware still runs


def test_a_poll_for_a_host_not_allowed_is_refused(street_tree, client):
    token = registered(street_tree.compound_a1)
    params = {"id": "screenFeed", "variables": json.dumps({"compound": "jinxiu"})}
    headers = {"HTTP_AUTHORIZATION": f"Screen {token}", "HTTP_HOST": "evil.example"}
    assert client.get("/graphql/", params, **headers).status_code == 400


def test_a_poll_with_a_signed_in_browsers_cookie_leaves_its_session_alone(
    street_tree, client, role_user
):
    client.force_login(role_user(Role.COMMISSIONER, street_tree.compound_a1))
    token = registered(street_tree.compound_a1)
    response = feed(client, token)
    assert response.status_code == 200
    assert not response.cookies  # no session saved, no CSRF cookie set
