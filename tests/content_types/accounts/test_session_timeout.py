"""An admin session left idle, or open too long, is signed out (等保: 登录连接超时自动退出)."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from content_types.accounts.session_timeout import LAST_USED_AT, SIGNED_IN_AT
from content_types.roles.models import Role
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(street_tree, role_user) -> Client:
    role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1, "committee")
    client = Client()
    assert sign_in(client, "committee", "weizhi-test")
    return client


def age(client: Client, key: str, seconds: float) -> None:
    session = client.session
    session[key] = time.time() - seconds
    session.save()


def test_a_session_idle_past_the_limit_is_signed_out_with_a_chinese_reason(signed_in):
    age(signed_in, LAST_USED_AT, settings.WEIZHI_SESSION_IDLE_MINUTES * 60 + 5)

    response = signed_in.get(reverse("wagtailadmin_home"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("wagtailadmin_login"))
    assert f"{settings.WEIZHI_SESSION_IDLE_MINUTES} 分钟未操作，已自动退出登录" in response.text
    assert "_auth_user_id" not in signed_in.session


def test_a_session_in_use_stays_signed_in_and_its_idle_clock_restarts(signed_in):
    age(signed_in, LAST_USED_AT, settings.WEIZHI_SESSION_IDLE_MINUTES * 60 - 60)

    assert signed_in.get(reverse("wagtailadmin_home")).status_code == 200
    assert time.time() - signed_in.session[LAST_USED_AT] < 5
    assert signed_in.get(reverse("wagtailadmin_home")).status_code == 200


def test_a_session_is_signed_out_after_its_maximum_lifetime_even_in_use(signed_in):
    age(signed_in, SIGNED_IN_AT, settings.WEIZHI_SESSION_MAX_HOURS * 3600 + 5)

    response = signed_in.get(reverse("wagtailadmin_home"), follow=True)

    assert f"登录已满 {settings.WEIZHI_SESSION_MAX_HOURS} 小时" in response.text
    assert "_auth_user_id" not in signed_in.session


def test_a_busy_session_is_not_written_on_every_request(signed_in):
    signed_in.get(reverse("wagtailadmin_home"))
    session_key = signed_in.session.session_key
    before = Session.objects.get(session_key=session_key).expire_date
    signed_in.get(reverse("wagtailadmin_home"))

    assert Session.objects.get(session_key=session_key).expire_date == before
