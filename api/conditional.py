"""Conditional GET: the ``ETag`` of a persisted query's answer and the headers that cache it.

The tag covers the query id and text, the variables and the ``content_version`` of the scope
the query reads, so a repeat with ``If-None-Match`` gets ``304`` until something in that scope
is published, unpublished, expires or goes live.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpResponse

    from .persisted_queries import PersistedQuery


def cache_seconds() -> int:
    return int(getattr(settings, "WEIZHI_API_CACHE_SECONDS", 10))


def memo_seconds() -> float:
    """How long a process may remember what a poll needs without asking (``memo``)."""
    return float(getattr(settings, "WEIZHI_API_MEMO_SECONDS", 1.0))


def etag_for(query: PersistedQuery, variables: dict[str, Any], version: str) -> str:
    key = json.dumps(
        [query.id, query.digest, variables, version], sort_keys=True, ensure_ascii=False
    )
    return '"' + hashlib.blake2b(key.encode(), digest_size=16).hexdigest() + '"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    candidates = (tag.strip().removeprefix("W/") for tag in if_none_match.split(","))
    return etag in candidates


def cache_headers(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={cache_seconds()}, must-revalidate"
    response["Vary"] = "Authorization"
    return response
