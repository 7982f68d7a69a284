"""Two factors (等保 三级): a TOTP code after the password for enrolled accounts, enrolment
required of the roles that need it, recovery codes, and a reset by the street office."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from content_types.accounts.models import AuditAction, AuditEvent
from content_types.roles.models import Role
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

HOME = reverse("wagtailadmin_home")
ENROL = reverse("weizhi_two_factor_enrol")
VERIFY = reverse("weizhi_two_factor_verify")
STATUS = reverse("weizhi_two_factor_status")
PASSWORD = "weizhi-test"


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """What the phone shows now (or ``steps_ahead`` periods later: a code is used only once)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, drift=steps_ahead):06d}"


def enrol(client: Client) -> list[str]:
    page = client.get(ENROL)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user__username=client.username, confirmed=False)
    done = client.post(ENROL, {"code": code_for(device)})
    assert done.status_code == 200 and "两步验证已启用" in done.text
    return re.findall(r"<li>([a-z0-9]{8})</li>", done.text)


@pytest.fixture
def people(street_tree, role_user):
    return {
        "committee": role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1, "committee"),
        "office": role_user(Role.STREET_OFFICE, street_tree.street, "office"),
    }


def signed_in(username: str) -> Client:
    client = Client()
    client.username = username
    assert sign_in(client, username, PASSWORD)
    return client


def test_enrolment_shows_a_local_qr_code_and_ten_recovery_codes(people):
    client = signed_in("committee")
    page = client.get(ENROL).text
    assert "<svg" in page and "两步验证二维码" in page
    assert "otpauth" not in page.split("<svg")[0]  # the secret is shown, not a link elsewhere
    assert re.search(r'class="weizhi-totp-secret">[A-Z2-7 ]{32,}<', page)

    codes = enrol(client)

    assert len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=people["committee"]).confirmed
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.TWO_FACTOR_ENROL, user=people["committee"]
        ).count()
        == 1
    )
    assert client.get(HOME).status_code == 200


def test_a_wrong_first_code_enrols_nothing(people):
    client = signed_in("committee")
    client.get(ENROL)

    response = client.post(ENROL, {"code": "000000"})

    assert "验证码不正确或已过期" in response.text
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_an_enrolled_account_needs_its_code_after_the_password(people):
    codes = enrol(signed_in("committee"))
    device = TOTPDevice.objects.get(user=people["committee"])

    client = signed_in("committee")
    blocked = client.get(reverse("wagtailadmin_explore_root"))
    assert blocked.status_code == 302 and blocked.url == f"{VERIFY}?next=/admin/pages/"
    assert "验证码不正确" in client.post(VERIFY, {"code": "123456"}).text
    assert client.get(HOME).url.startswith(VERIFY)
    time.sleep(1.1)  # django-otp makes a wrong code wait a second before the next try

    assert client.post(VERIFY, {"code": code_for(device, 1)}).url == HOME
    assert client.get(HOME).status_code == 200

    # A recovery code works once, and says how many are left.
    other = signed_in("committee")
    response = other.post(VERIFY, {"code": codes[0]}, follow=True)
    assert "还剩 9 个" in response.text
    again = signed_in("committee")
    assert "验证码不正确" in again.post(VERIFY, {"code": codes[0]}).text
    assert StaticToken.objects.count() == 9


def test_the_verify_step_never_sends_elsewhere(people):
    enrol(signed_in("committee"))
    device = TOTPDevice.objects.get(user=people["committee"])
    client = signed_in("committee")

    response = client.post(f"{VERIFY}?next=https://evil.example/", {"code": code_for(device, 1)})

    assert response.url == HOME


def test_roles_that_require_a_second_factor_are_sent_to_enrol_first(people, settings):
    settings.WEIZHI_TWO_FACTOR_ENFORCED = True
    office = signed_in("office")

    response = office.get(reverse("wagtailadmin_explore_root"), follow=True)

    assert response.redirect_chain[0][0].startswith(ENROL)
    assert "您的角色须启用两步验证" in response.text
    assert office.get(HOME).url.startswith(ENROL)
    enrol(office)
    assert office.get(HOME).status_code == 200
    # A committee member is not required to.
    assert signed_in("committee").get(HOME).status_code == 200


def test_the_street_office_resets_a_lost_phone_and_nobody_else_can(people):
    enrol(signed_in("committee"))
    office = signed_in("office")
    assert "已启用" in office.get(STATUS).text

    committee = Client()
    committee.force_login(people["committee"])
    assert committee.get(STATUS).status_code in (302, 403)
    assert committee.post(
        reverse("weizhi_two_factor_reset", args=[people["office"].pk])
    ).status_code in (302, 403)

    response = office.post(reverse("weizhi_two_factor_reset", args=[people["committee"].pk]))

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=people["committee"]).exists()
    assert not StaticToken.objects.exists()
    entry = AuditEvent.objects.get(action=AuditAction.TWO_FACTOR_RESET)
    assert entry.user == people["office"] and entry.details == {"account": "committee"}
    assert signed_in("committee").get(HOME).status_code == 200
