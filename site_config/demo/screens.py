"""Tokens for the demo's screens, so the addresses ``make run`` prints open a full screen at once.

A screen keeps only its token's digest, so a token shown once cannot be read back. The demo
issues each screen's token at its first load and keeps it in ``var/`` (outside the repository,
readable by its owner only), keyed by database; later loads reuse it while it still matches the
screen, so the printed address stays the same from one ``make run`` to the next. A screen revoked
in the admin stays revoked; one regenerated there gets a fresh demo token at the next load.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from wagtail.models import Page

from api.models import Screen, hash_token
from api.screen_views import screen_path
from content_types.structure.models import CommunityPage, CompoundPage

TOKENS_FILE = "demo-screen-tokens.json"  # noqa: S105 - a file name


@dataclass(frozen=True)
class ScreenAddress:
    screen: str
    shows: str  # the community or compound on show
    url: str


def tokens_path() -> Path:
    return Path(settings.VAR_DIR) / TOKENS_FILE


def _read() -> dict[str, dict[str, str]]:
    try:
        return json.loads(tokens_path().read_text())
    except (FileNotFoundError, ValueError):
        return {}


def _write(stored: dict[str, dict[str, str]]) -> None:
    path = tokens_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(stored, file, ensure_ascii=False, indent=2)


def screen_tokens(codes: list[str]) -> dict[str, str]:
    """The token of each demo screen (by config code) not revoked, issued where none is known."""
    stored = _read()
    database = str(connection.settings_dict["NAME"])
    known = stored.get(database, {})
    tokens: dict[str, str] = {}
    for screen in Screen.objects.active().filter(code__in=codes).order_by("code"):
        token = known.get(screen.code)
        if token is None or hash_token(token) != screen.token_hash:
            token = screen.issue_token()
            screen.save(update_fields=["token_hash", "token_issued_at", "revoked_at"])
        tokens[screen.code] = token
    if tokens != known:
        stored[database] = tokens
        _write(stored)
    return tokens


def addresses(codes: list[str], base_url: str) -> list[ScreenAddress]:
    """Each demo screen's full address: a community's own screen, then each of its compounds'
    (its token covers them), and a compound's."""
    tokens = screen_tokens(codes)
    found = []
    for screen in Screen.objects.filter(code__in=tokens).select_related("scope").order_by("code"):
        scopes = (
            Page.objects.descendant_of(screen.scope, inclusive=True)
            .live()
            .type(CommunityPage, CompoundPage)
        )
        for scope in scopes.order_by("path"):
            path = screen_path(scope)
            url = f"{base_url.rstrip('/')}{path}#token={tokens[screen.code]}"
            found.append(ScreenAddress(screen.name, scope.title, url))
    return found
