"""Signing in and out of the Wagtail admin as a demo login, the way a person does it."""

from __future__ import annotations

from cms.management.commands.load_demo import DEMO_PASSWORD


def sign_in(page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/admin/")


def sign_out(page, base_url: str, full_name: str) -> None:
    """Log out through the account menu, which is labelled with the user's full name."""
    page.get_by_role("button", name=full_name).click()
    page.get_by_role("button", name="注销").click()
    page.wait_for_url(f"{base_url}/admin/login/**")
