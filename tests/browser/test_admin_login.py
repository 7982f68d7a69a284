"""A worker of the street signs in to the admin in a real browser, is greeted in Chinese, and
adds a second factor that the next sign-in asks for."""

import base64
import time

import pytest
from axes.utils import reset
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_otp.oath import totp
from playwright.sync_api import expect

from cms.management.commands.load_demo import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_committee_member_signs_in_and_sees_the_chinese_dashboard(
    live_server, page, wagtail_root
) -> None:
    call_command("load_demo", structure_only=True)
    # The file sets a password only for a user it creates: one an earlier test left behind
    # keeps its own, and an earlier test's failed sign-ins must not lock this one out.
    committee = get_user_model().objects.get(username="committee")
    committee.set_password(DEMO_PASSWORD)
    committee.save()
    reset(username="committee")

    page.goto(f"{live_server.url}/admin/login/")
    assert page.title() == "登录 - 微治"
    page.locator("#id_username").fill("committee")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.title() == "控制面板 - 微治"
    assert page.get_by_text("微治 · 小区微治理").is_visible()

    # The member adds a second factor from the account page: scans the QR code (here the
    # secret shown beside it goes into the authenticator), confirms with the phone's code and
    # is shown the recovery codes once.
    page.goto(f"{live_server.url}/admin/account/")
    page.get_by_role("tab", name="更多动作").click()
    page.get_by_role("link", name="两步验证").click()
    page.wait_for_url(f"{live_server.url}/admin/two-factor/enrol/")
    expect(page.locator(".weizhi-totp-qr svg")).to_be_visible()
    secret = page.locator(".weizhi-totp-secret").inner_text().replace(" ", "")
    page.get_by_label("验证码").fill(authenticator_code(secret))
    page.get_by_role("button", name="完成设置").click()
    expect(page.get_by_text("两步验证已启用")).to_be_visible()
    expect(page.locator(".weizhi-recovery-codes li")).to_have_count(10)

    # Signed out and in again, the password alone no longer opens the admin.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("committee")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/admin/two-factor/verify/**")
    page.get_by_label("验证码").fill("000000")
    # The page is drawn once, icons included (its icon sprite is not another sign-in step).
    expect(page.locator("main")).to_have_count(1)
    page.get_by_role("button", name="验证").click()
    expect(page.get_by_text("验证码不正确或已过期")).to_be_visible()
    time.sleep(1.1)  # django-otp makes a wrong code wait a second before the next try
    page.get_by_label("验证码").fill(authenticator_code(secret, steps_ahead=1))
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.title() == "控制面板 - 微治"


def authenticator_code(secret: str, steps_ahead: int = 0) -> str:
    """What a phone authenticator shows for ``secret`` now (or a period later: each code is
    accepted once)."""
    return f"{totp(base64.b32decode(secret), drift=steps_ahead):06d}"
