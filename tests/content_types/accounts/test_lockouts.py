"""Guessing passwords at the admin's login locks the account and the address, and the street
office can see and undo it (等保 身份鉴别: 登录失败处理)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content_types.accounts.models import AuditAction, AuditEvent
from content_types.roles.models import Role
from tests.content_types.roles.factories import UserFactory
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "weizhi-test"
LOCKED = "登录已被暂时锁定"


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def attempt(client: Client, username: str, password: str):
    return client.post(reverse("wagtailadmin_login"), {"username": username, "password": password})


@pytest.fixture
def staff(street_tree, role_user):
    return {
        "office": role_user(Role.STREET_OFFICE, street_tree.street, "office"),
        "committee": role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1, "committee"),
    }


def test_wrong_passwords_lock_the_account_even_from_another_address(staff):
    guesser = from_address("10.1.1.1")
    limit = settings.AXES_FAILURE_LIMIT

    for _ in range(limit - 1):
        response = attempt(guesser, "committee", "guess")
        assert response.status_code == 200 and LOCKED not in response.text
    locked = attempt(guesser, "committee", "guess")

    assert locked.status_code == 429
    assert LOCKED in locked.text and "请联系街道微治办" in locked.text
    assert f"{settings.AXES_COOLOFF_TIME.seconds // 60} 分钟后自动解除" in locked.text
    # The right password no longer helps, from this address or any other.
    assert attempt(guesser, "committee", PASSWORD).status_code == 429
    assert not sign_in(from_address("10.2.2.2"), "committee", PASSWORD)
    assert AccessFailureLog.objects.filter(username="committee", locked_out=True).exists()


def test_wrong_passwords_from_one_address_lock_the_address_for_every_account(staff):
    guesser = from_address("10.1.1.1")
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(guesser, f"nobody{number}", "guess")

    assert not sign_in(guesser, "office", PASSWORD)
    assert sign_in(from_address("10.2.2.2"), "office", PASSWORD)


def test_a_success_before_the_limit_starts_the_count_afresh(staff):
    client = from_address("10.1.1.1")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "committee", "guess")
    assert sign_in(client, "committee", PASSWORD)
    client.logout()

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "committee", "guess")
    assert sign_in(client, "committee", PASSWORD)


def test_the_lock_ends_by_itself_after_the_cool_off(staff):
    client = from_address("10.1.1.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "committee", "guess")
    assert not sign_in(client, "committee", PASSWORD)

    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )

    assert sign_in(client, "committee", PASSWORD)


def test_the_street_office_sees_the_lock_and_undoes_it(staff):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(from_address("10.1.1.1"), "committee", "guess")
    office = from_address("10.9.9.9")
    assert sign_in(office, "office", PASSWORD)

    page = office.get(reverse("weizhi_lockouts"))
    assert page.status_code == 200
    assert "committee" in page.text and "10.1.1.1" in page.text
    assert "近 30 天的锁定记录" in page.text
    home = office.get(reverse("wagtailadmin_home")).text
    assert reverse("weizhi_lockouts") in home  # in the settings menu

    response = office.post(
        reverse("weizhi_lockouts_unlock"), {"kind": "username", "value": "committee"}
    )
    assert response.status_code == 302
    assert "已解锁账号“committee”" in office.get(reverse("weizhi_lockouts")).text
    assert sign_in(from_address("10.3.3.3"), "committee", PASSWORD)
    entry = AuditEvent.objects.get(action=AuditAction.UNLOCK)
    assert entry.user == staff["office"] and entry.description == "解锁账号“committee”"
    assert entry.details == {"kind": "username", "value": "committee", "removed": 1}


def test_only_the_street_office_reads_and_undoes_lockouts(staff):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(from_address("10.1.1.1"), "office", "guess")
    committee = from_address("10.9.9.9")
    assert sign_in(committee, "committee", PASSWORD)

    assert committee.get(reverse("weizhi_lockouts")).status_code in (302, 403)
    refused = committee.post(
        reverse("weizhi_lockouts_unlock"), {"kind": "username", "value": "office"}
    )
    assert refused.status_code in (302, 403)
    assert not sign_in(from_address("10.3.3.3"), "office", PASSWORD)
    assert reverse("weizhi_lockouts") not in committee.get(reverse("wagtailadmin_home")).text


def test_an_unlock_naming_nothing_changes_nothing(staff):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(from_address("10.1.1.1"), "committee", "guess")
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    admin = Client()
    admin.force_login(superuser)

    for data in ({}, {"kind": "group", "value": "committee"}, {"kind": "username", "value": " "}):
        admin.post(reverse("weizhi_lockouts_unlock"), data)

    assert "解锁请求不完整" in admin.get(reverse("weizhi_lockouts")).text
    assert not sign_in(from_address("10.3.3.3"), "committee", PASSWORD)
    assert not AuditEvent.objects.filter(action=AuditAction.UNLOCK).exists()
