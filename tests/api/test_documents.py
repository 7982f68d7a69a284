"""The per-process cache of parsed and validated documents: bounded, and only what passed."""

from api import documents
from api.bounded_cache import BoundedCache
from api.limits import VALIDATION_RULES
from api.schema import schema


def check(text: str, config=(10, False)):
    return documents.checked_document(schema.graphql_schema, text, VALIDATION_RULES, config)


def test_only_documents_that_passed_are_kept():
    documents.clear()
    document, errors = check("{ streets { title } }")
    assert document is not None and errors == []
    assert check("{ streets { phone } }")[1]
    assert check("{ streets { ")[0] is None
    assert documents.cached_count() == 1

    again, errors = check("{ streets { title } }")
    assert again is document and errors == []


def test_other_settings_are_another_entry():
    documents.clear()
    first, _ = check("{ streets { title } }", config=(10, False))
    second, _ = check("{ streets { title } }", config=(3, False))
    assert first is not second
    assert documents.cached_count() == 2


def test_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(documents, "_documents", BoundedCache(3))
    for n in range(10):
        check(f"{{ streets {{ title }} a{n}: streets {{ slug }} }}")
    assert documents.cached_count() == 3


def test_long_texts_are_checked_but_not_kept(monkeypatch):
    documents.clear()
    monkeypatch.setattr(documents, "MAX_TEXT_CHARS", 10)
    document, errors = check("{ streets { title } }")
    assert document is not None and errors == []
    assert documents.cached_count() == 0
