"""Parsed and validated GraphQL documents, kept per process by their text.

Why: parsing and validating the screen feed's text cost more than a third of an uncached POST
(graphql-core walks the whole document for its rules), and neither depends on the request, its
variables or the data: only on the text, the schema and the validation rules with the settings
they read (``GRAPHQL_MAX_DEPTH``, ``GRAPHQL_INTROSPECTION``). So a document that *passed* is
kept under exactly that key and reused, as GraphQL servers commonly do; the query is still
executed against the database on every request.

A text that fails to parse or validate is never kept: a refused query (too deep, introspection
off, an unknown field) is checked again on every request and refused again, and a change of the
limits applies to the next request because the settings are part of the key.

The cache is a bounded LRU (``MAX_DOCUMENTS`` entries, texts up to ``MAX_TEXT_CHARS``), so a
client sending ever new texts cannot grow a worker's memory; it only misses the cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate

MAX_DOCUMENTS = 256
MAX_TEXT_CHARS = 16 * 1024

_documents: OrderedDict[tuple[Any, ...], DocumentNode] = OrderedDict()
_lock = threading.Lock()


def checked_document(
    schema: GraphQLSchema,
    text: str,
    rules: Sequence[Any] | None,
    config: Hashable = (),
    max_errors: int | None = None,
) -> tuple[DocumentNode | None, list[GraphQLError]]:
    """The parsed ``text`` and its validation errors (none when it may run).

    ``config``: the settings the rules read, so that a change of them is a new key.
    A syntax error gives ``(None, [error])``.
    """
    key = (schema, text, tuple(rules or ()), config, max_errors)
    with _lock:
        document = _documents.get(key)
        if document is not None:
            _documents.move_to_end(key)
            return document, []
    try:
        document = parse(text)
    except GraphQLError as error:
        return None, [error]
    except RecursionError as error:  # absurdly nested text: an error, never a 500
        return None, [GraphQLError("查询嵌套过深，无法解析。", original_error=error)]
    errors = validate(schema, document, list(rules) if rules else None, max_errors)
    if not errors and len(text) <= MAX_TEXT_CHARS:
        with _lock:
            _documents[key] = document
            while len(_documents) > MAX_DOCUMENTS:
                _documents.popitem(last=False)
    return document, errors


def clear() -> None:
    """Forget every kept document (tests; nothing else needs it)."""
    with _lock:
        _documents.clear()


def cached_count() -> int:
    with _lock:
        return len(_documents)
