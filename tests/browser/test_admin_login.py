"""A worker of the street signs in to the admin in a real browser and is greeted in Chinese."""

import pytest
from django.core.management import call_command

from cms.management.commands.load_demo import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_committee_member_signs_in_and_sees_the_chinese_dashboard(
    live_server, page, wagtail_root
) -> None:
    call_command("load_demo")

    page.goto(f"{live_server.url}/admin/login/")
    assert page.title() == "登录 - 微治"
    page.locator("#id_username").fill("committee")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.title() == "控制面板 - 微治"
    assert page.get_by_text("微治 · 小区微治理").is_visible()
