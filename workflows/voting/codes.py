"""Voting codes and the second factor, kept only as keyed digests.

A code is 12 characters from an alphabet without look-alikes (about 60 bits), so a keyed digest
is enough: it cannot be reversed without the secret key, and it can be looked up directly. The
second factor (the last four digits of the owner's registered phone) is digested per vote and
owner, so the frozen roll holds no phone digits at all. Digests are checked against
``SECRET_KEY`` and its fallbacks, so rotating the key does not lock owners out mid-vote.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

from content_types.units.models import normalise_phone

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
_SEPARATORS = re.compile(r"[\s\-—_]+")


def new_code() -> str:
    """A fresh code, grouped in fours so it can be read out and typed on a phone."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(raw: str) -> str:
    return _SEPARATORS.sub("", raw or "").upper()


def _secrets() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _digests(salt: str, value: str) -> list[str]:
    return [
        salted_hmac(salt, value, secret=secret, algorithm="sha256").hexdigest()
        for secret in _secrets()
    ]


def code_digests(code: str, kind: str = "voting") -> list[str]:
    """Digests of ``code`` under the current key first, then under each fallback key.

    ``kind`` names what the code opens (a vote, a satisfaction survey), so a code of one kind
    never digests to one of another."""
    return _digests(f"weizhi.{kind}.code", normalise_code(code))


def phone_tail(phone: str) -> str:
    return normalise_phone(phone)[-4:]


def phone_tail_digests(vote_id: int, owner_key: str, tail: str, kind: str = "voting") -> list[str]:
    """The second factor, digested per ballot (a vote, a survey: ``kind``) and owner."""
    return _digests(f"weizhi.{kind}.phone-tail", f"{vote_id}|{owner_key}|{tail.strip()}")
