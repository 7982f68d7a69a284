"""A first password set by the site configuration is changed at the first sign-in (等保)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from content_types.accounts.models import PasswordState
from site_config.apply import apply_file
from tests.sign_in import ACCOUNT, change_password, sign_in

from .conftest import MINIMAL

GOOD = "Jinxiu-2026!"

pytestmark = pytest.mark.django_db


@pytest.fixture
def configured_user(empty_site, write_config, settings):
    settings.WEIZHI_PASSWORD_CHANGE_AT_FIRST_SIGN_IN = True
    apply_file(write_config(MINIMAL))
    client = Client()
    assert sign_in(client, "committee", "weizhi-demo")
    return client


def test_a_user_from_the_config_must_change_the_first_password_before_anything_else(
    configured_user,
):
    home = configured_user.get(reverse("wagtailadmin_home"), follow=True)
    assert home.redirect_chain[-1][0] == ACCOUNT
    assert "首次登录请先修改初始密码" in home.text
    assert configured_user.get(reverse("wagtailadmin_explore_root")).url == ACCOUNT

    assert change_password(configured_user, "weizhi-demo", GOOD).status_code == 302

    assert configured_user.get(reverse("wagtailadmin_home")).status_code == 200
    again = Client()
    assert sign_in(again, "committee", GOOD)
    assert again.get(reverse("wagtailadmin_home")).status_code == 200


def test_applying_the_config_again_does_not_ask_for_a_change_once_made(
    configured_user, write_config
):
    change_password(configured_user, "weizhi-demo", GOOD)
    apply_file(write_config(MINIMAL))

    assert not PasswordState.objects.get(user__username="committee").must_change


def test_without_the_rule_the_documented_demo_password_signs_straight_in(
    empty_site, write_config, settings
):
    settings.WEIZHI_PASSWORD_CHANGE_AT_FIRST_SIGN_IN = False
    apply_file(write_config(MINIMAL))
    client = Client()
    assert sign_in(client, "committee", "weizhi-demo")

    assert client.get(reverse("wagtailadmin_home")).status_code == 200
