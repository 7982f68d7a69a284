"""Password rules of 等保 三级: strength checked on every change, and an optional maximum age."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content_types.accounts.models import PasswordState
from content_types.roles.models import Role
from tests.content_types.roles.factories import RoleAssignmentFactory, UserFactory
from tests.sign_in import ACCOUNT, change_password, sign_in

pytestmark = pytest.mark.django_db

GOOD = "Jinxiu-2026!"


@pytest.fixture
def member(street_tree) -> Client:
    user = UserFactory(username="zhangwei", first_name="张伟", password="Old-pass-2025")
    RoleAssignmentFactory(user=user, role=Role.OWNERS_COMMITTEE, scope=street_tree.compound_a1)
    client = Client()
    assert sign_in(client, "zhangwei", "Old-pass-2025")
    return client


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!xyz", "密码长度太短"),
        ("abcdefghijkl", "至少 3 类"),
        ("abcdef-ghijkl", "至少 3 类"),
        ("Zhangwei-2026", "密码不能包含用户名"),
        ("ZHANGWEI#2026", "密码不能包含用户名"),
        ("1234567890", "至少 3 类"),
        ("Old-pass-2025", "新密码不能与当前密码相同"),
    ],
)
def test_a_weak_password_is_refused_with_its_reason_and_changes_nothing(member, password, message):
    response = change_password(member, "Old-pass-2025", password)

    assert response.status_code == 200
    assert message in response.text
    assert get_user_model().objects.get(username="zhangwei").check_password("Old-pass-2025")


def test_a_strong_password_is_taken_and_its_change_recorded(member):
    response = change_password(member, "Old-pass-2025", GOOD)

    assert response.status_code == 302
    user = get_user_model().objects.get(username="zhangwei")
    assert user.check_password(GOOD)
    assert timezone.now() - user.password_state.changed_at < timedelta(minutes=1)


def test_an_old_password_must_be_changed_when_a_maximum_age_is_set(member, settings):
    PasswordState.objects.update_or_create(
        user=get_user_model().objects.get(username="zhangwei"),
        defaults={"changed_at": timezone.now() - timedelta(days=91)},
    )
    assert member.get(reverse("wagtailadmin_home")).status_code == 200  # off by default

    settings.WEIZHI_PASSWORD_MAX_AGE_DAYS = 90
    client = Client()
    assert sign_in(client, "zhangwei", "Old-pass-2025")
    response = client.get(reverse("wagtailadmin_home"), follow=True)

    assert response.redirect_chain[-1][0] == ACCOUNT
    assert "密码已使用超过 90 天" in response.text
