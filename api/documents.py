"""Parsed and validated GraphQL documents, kept per process by their text.

Why: parsing and validating the screen feed's text cost more than a third of an uncached POST
(graphql-core walks the whole document for its rules), and neither depends on the request, its
variables or the data: only on the text, the schema and the validation rules with the settings
they read (``GRAPHQL_MAX_DEPTH``, ``GRAPHQL_MAX_COST``, ``GRAPHQL_INTROSPECTION``, …). So a
document that *passed* is kept under exactly that key and reused, as GraphQL servers commonly
do; the query is still executed against the database on every request.

A text that fails to parse or validate is never kept: a refused query (too deep, introspection
off, an unknown field) is checked again on every request and refused again, and a change of the
limits applies to the next request because the settings are part of the key.

The cache is a bounded LRU (``MAX_DOCUMENTS`` entries, texts up to ``MAX_TEXT_CHARS``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate

from .bounded_cache import BoundedCache

if TYPE_CHECKING:
    from collections.abc import Hashable, Sequence

MAX_DOCUMENTS = 256
MAX_TEXT_CHARS = 16 * 1024

_documents: BoundedCache[DocumentNode] = BoundedCache(MAX_DOCUMENTS)


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
    document = _documents.get(key)
    if document is not None:
        return document, []
    try:
        document = parse(text)
    except GraphQLError as error:
        return None, [error]
    except RecursionError as error:  # absurdly nested text: an error, never a 500
        return None, [GraphQLError("查询嵌套过深，无法解析。", original_error=error)]
    errors = validate(schema, document, list(rules) if rules else None, max_errors)
    if not errors and len(text) <= MAX_TEXT_CHARS:
        _documents.put(key, document)
    return document, errors


def clear() -> None:
    """Forget every kept document (tests; nothing else needs it)."""
    _documents.clear()


def cached_count() -> int:
    return len(_documents)
