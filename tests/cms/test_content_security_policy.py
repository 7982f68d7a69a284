"""Every page carries a Content-Security-Policy: a browser runs only our own scripts and styles,
loads nothing from another host, and lets no other site frame the page."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.content_types.disclosures.factories import FinanceStatementPageFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.wsgi_request.path} has no Content-Security-Policy"
    policy = {}
    for part in header.split(";"):
        name, *values = part.split()
        policy[name] = values
    return policy


def nonce(response) -> str:
    found = [v for v in directives(response)["script-src"] if v.startswith("'nonce-")]
    assert len(found) == 1, response.headers["Content-Security-Policy"]
    return found[0][len("'nonce-") : -1]


def public_urls(street_tree, public_site) -> list[str]:
    statement = FinanceStatementPageFactory(parent=street_tree.compound_a1)
    return [
        street_tree.compound_a1.relative_url(public_site),
        statement.relative_url(public_site),
        reverse("voting:list"),
        reverse("compound_screen", args=[street_tree.compound_a1.slug]),
    ]


def test_public_pages_run_only_our_own_scripts_and_styles(street_tree, public_site, client):
    for url in public_urls(street_tree, public_site):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"] == ["'self'", f"'nonce-{nonce(response)}'"], url
        assert policy["style-src"] == ["'self'", f"'nonce-{nonce(response)}'"], url
        assert policy["img-src"] == ["'self'", "data:"], url
        for name in ("object-src", "frame-ancestors"):
            assert policy[name] == ["'none'"], (url, name)
        for name in ("connect-src", "base-uri", "form-action"):
            assert policy[name] == ["'self'"], (url, name)
        # Each inline script and style block of the page carries this response's nonce.
        html = response.text
        blocks = re.findall(r"<(?:script|style)\b(?![^>]*\b(?:src|type)=)[^>]*>", html)
        assert blocks, url
        for block in blocks:
            assert f'nonce="{nonce(response)}"' in block, (url, block)


def test_the_nonce_changes_with_every_response(street_tree, public_site, client):
    for url in public_urls(street_tree, public_site):
        assert nonce(client.get(url)) != nonce(client.get(url)), url


def test_the_admin_allows_the_inline_scripts_wagtail_writes_and_nothing_from_outside(
    wagtail_root, admin_user
):
    signed_in = Client()
    signed_in.force_login(admin_user)
    for response in (
        Client().get(reverse("wagtailadmin_login")),
        signed_in.get(reverse("wagtailadmin_home")),
    ):
        url = response.wsgi_request.path
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"], url
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"], url
        assert policy["object-src"] == ["'none'"], url
        # Wagtail previews a page in a frame of the admin itself, and no one else may frame it.
        assert policy["frame-ancestors"] == ["'self'"], url
        assert all("//" not in value for values in policy.values() for value in values), url
