"""Signing in and changing one's password as a person does, through the admin's forms.

Django's ``Client.login`` calls ``authenticate`` without a request, which the lockout
backend (django-axes) refuses, so tests that check a password sign in here instead::

    assert sign_in(client, "committee", "weizhi-demo")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from tests.form_data import form_data

if TYPE_CHECKING:
    from django.test import Client

ACCOUNT = reverse("wagtailadmin_account")


def sign_in(client: Client, username: str, password: str) -> bool:
    """Post the login form; true when it signed the client in."""
    response = client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": password}
    )
    return response.status_code == 302 and "_auth_user_id" in client.session


def change_password(client: Client, old: str, new: str, confirm: str | None = None):
    data = form_data(client.get(ACCOUNT).text)
    data.update(
        {
            "password-old_password": old,
            "password-new_password1": new,
            "password-new_password2": new if confirm is None else confirm,
        }
    )
    return client.post(ACCOUNT, data)
