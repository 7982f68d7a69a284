"""The persisted queries screens use: ``graphql/queries/<id>.graphql``, sent by id with GET.

A query's id is its file name without ``.graphql`` (``screenFeed``, ``contentVersion``), not a
hash: screens and their configuration stay readable, and a changed file keeps its id. Each
response's ETag includes a digest of the file's text, so changing a query still invalidates
what clients hold. Files are read and parsed once per process; a deploy restarts the workers.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from graphql import DocumentNode, OperationDefinitionNode, OperationType, parse

QUERY_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")


class PersistedQueryError(Exception):
    """A persisted query that cannot be used; the message is for the client, in Chinese."""


@dataclass(frozen=True)
class PersistedQuery:
    id: str
    text: str
    digest: str
    document: DocumentNode
    operation: OperationDefinitionNode


def queries_dir() -> Path:
    return Path(settings.BASE_DIR) / "graphql" / "queries"


@cache
def _load(query_id: str) -> PersistedQuery | None:
    path = queries_dir() / f"{query_id}.graphql"
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    document = parse(text)
    operations = [
        node for node in document.definitions if isinstance(node, OperationDefinitionNode)
    ]
    if len(operations) != 1 or operations[0].operation != OperationType.QUERY:
        raise PersistedQueryError(f"已登记的查询 {query_id} 必须只含一个 query 操作。")
    return PersistedQuery(
        id=query_id,
        text=text,
        digest=hashlib.sha256(text.encode()).hexdigest()[:16],
        document=document,
        operation=operations[0],
    )


def get_persisted_query(query_id: str) -> PersistedQuery:
    """The persisted query named ``query_id``; a Chinese ``PersistedQueryError`` otherwise."""
    if not QUERY_ID.match(query_id) or (found := _load(query_id)) is None:
        shown = query_id if len(query_id) <= 64 else query_id[:64] + "…"
        raise PersistedQueryError(f"未知的查询编号：{shown}。请使用已登记的查询。")
    return found


def persisted_query_ids() -> list[str]:
    return sorted(path.stem for path in queries_dir().glob("*.graphql"))
