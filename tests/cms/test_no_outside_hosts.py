"""The admin loads nothing from outside hosts: many government networks have no internet."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from content_types.roles.models import Role

pytestmark = pytest.mark.django_db

LOADED = re.compile(r'(?:src|avatarUrl)"?\s*[:=]\s*"((?:https?:)?//[^"]+)"')


def test_admin_pages_load_no_avatar_or_asset_from_another_host(street_tree, role_user):
    user = role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1, "committee")
    user.email = "wang@weizhi.test"
    user.save()
    client = Client()
    client.force_login(user)

    for url in (reverse("wagtailadmin_home"), reverse("wagtailadmin_account")):
        html = client.get(url).text
        assert "gravatar" not in html, url
        assert LOADED.findall(html) == [], url
