"""Signing in as a person does, through the admin's login form.

Django's ``Client.login`` calls ``authenticate`` without a request, which the lockout
backend (django-axes) refuses, so tests that check a password sign in here instead::

    assert sign_in(client, "committee", "weizhi-demo")
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse


def sign_in(client: Client, username: str, password: str) -> bool:
    """Post the login form; true when it signed the client in."""
    response = client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": password}
    )
    return response.status_code == 302 and "_auth_user_id" in client.session
