"""The admin shows each person's initial where Wagtail would show a profile picture.

Gravatar is off, so Wagtail would draw the same grey silhouette for everybody: the dashboard's
account summary, the users listing and the sidebar's account menu show the first character of
the person's name (the surname of a Chinese name) or, without a name, of the username.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db

INITIAL = re.compile(r'<span class="avatar__initial">\s*(\S)\s*</span>')
SIDEBAR = re.compile(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', re.S)
AVATAR_SPAN = re.compile(r'<span\s+class="[^"]*\bavatar\b[^"]*"[^>]*>(.*?)</span>\s*</span>', re.S)


@pytest.fixture
def admin_client_as(client):
    def sign_in(first_name: str, username: str):
        user = get_user_model().objects.create_superuser(
            username=username, password="x", first_name=first_name
        )
        client.force_login(user)
        return client

    return sign_in


def avatar_urls(html: str) -> list[str]:
    """Every avatar URL the sidebar's script would draw."""
    props = json.loads(SIDEBAR.search(html).group(1))
    found: list[str] = []

    def walk(value):
        if isinstance(value, dict):
            for key, each in value.items():
                if key == "avatarUrl":
                    found.append(each)
                walk(each)
        elif isinstance(value, list):
            for each in value:
                walk(each)

    walk(props)
    return found


def test_the_dashboard_and_sidebar_show_the_surname_and_no_picture(
    wagtail_root, admin_client_as
) -> None:
    html = admin_client_as("王建国", "wangjg").get(reverse("wagtailadmin_home")).text

    assert INITIAL.findall(html) == ["王"]
    assert "default-user-avatar" not in html and "gravatar" not in html.lower()
    for inner in AVATAR_SPAN.findall(html):
        assert "<img" not in inner
    [sidebar_avatar] = avatar_urls(html)
    assert sidebar_avatar.startswith("data:image/svg+xml")
    assert ">王</text>" in unquote(sidebar_avatar)


def test_the_users_listing_shows_each_persons_initial(admin_client_as) -> None:
    get_user_model().objects.create_user(username="lihua", first_name="李华")
    get_user_model().objects.create_user(username="zhoumin")  # no name: the username's
    html = admin_client_as("", "admin").get(reverse("wagtailusers_users:index")).text

    assert sorted(INITIAL.findall(html)) == sorted(["A", "李", "Z"])
    assert "default-user-avatar" not in html
    assert "<img" not in "".join(AVATAR_SPAN.findall(html))


def test_the_account_page_offers_no_picture_upload(admin_client_as) -> None:
    html = admin_client_as("赵敏", "zhaomin").get(reverse("wagtailadmin_account")).text

    assert 'name="avatar-avatar"' not in html
    assert "赵" in INITIAL.findall(html)
    assert "default-user-avatar" not in html
