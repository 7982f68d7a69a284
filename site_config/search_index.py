"""Search and reference indexing during an apply: each saved object once, when the apply ends.

Wagtail's search index updates on every ``post_save`` of an indexed model, and on
PostgreSQL every update also refreshes the title norm of each index entry still at the
default norm of 1.0. The default text search configuration reads a Chinese title as a
single term, so every entry keeps that norm and each page save rewrites the whole index
inside apply's transaction. Creating a street of 221 pages saves them 663 times (add, save
revision, publish) and spent about three quarters of the first apply there, growing with
the square of the page count. Wagtail's reference index is likewise rebuilt for an
object on each of its saves (a page three times, a committee once more than needed).

Inside ``indexing_deferred()`` those saves are only recorded; when the block ends, the
objects still in the database are indexed once each (search: one bulk call per model),
from their final state, still inside apply's transaction, so an apply that fails leaves
both indexes as they were. Outside the block the handlers defer to Wagtail's, unchanged.
Deletions are not deferred.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models.signals import post_save
from modelcluster.models import get_all_child_relations
from modelsearch import index
from modelsearch.backends import get_search_backends_with_name
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import update_reference_index_on_save
from wagtail.tasks import update_reference_index_task

if TYPE_CHECKING:
    from collections.abc import Iterator

logger = logging.getLogger(__name__)

Saved = dict[type[models.Model], dict[Any, None]]  # model → primary keys, in save order

# What the current deferred block saved, for the search index and for the reference
# index; None outside a block. A context variable, so a deferral in one thread or task
# never delays another's indexing.
_saved: ContextVar[tuple[Saved, Saved] | None] = ContextVar(
    "site_config_deferred_index", default=None
)
_install_lock = threading.Lock()
_installed = False


def _deferring_search_handler(instance: models.Model, **kwargs: Any) -> None:
    saved = _saved.get()
    if saved is None or kwargs.get("raw", False):
        post_save_signal_handler(instance, **kwargs)
        return
    saved[0].setdefault(type(instance), {})[instance.pk] = None


def _deferring_reference_handler(instance: models.Model, **kwargs: Any) -> None:
    saved = _saved.get()
    if saved is None or kwargs.get("raw", False):
        update_reference_index_on_save(instance, **kwargs)
        return
    saved[1].setdefault(type(instance), {})[instance.pk] = None


def _install() -> None:
    """Put the deferring handlers in the place of Wagtail's, model by model.

    Wagtail connects its handlers in ``ready()`` after this app's, so the swap happens
    on first use rather than at start-up. Outside a deferred block each handler calls
    Wagtail's, so the swap is invisible to every other caller.
    """
    global _installed
    with _install_lock:
        if _installed:
            return
        for model in index.get_indexed_models():
            if post_save.disconnect(post_save_signal_handler, sender=model):
                post_save.connect(_deferring_search_handler, sender=model)
        for model in ReferenceIndex.tracked_models:
            if post_save.disconnect(update_reference_index_on_save, sender=model):
                post_save.connect(_deferring_reference_handler, sender=model)
        _installed = True


@contextmanager
def indexing_deferred() -> Iterator[None]:
    """Index what the block saves once, at its end, instead of on every save."""
    _install()
    for_search: Saved = {}
    for_references: Saved = {}
    token = _saved.set((for_search, for_references))
    try:
        yield
    finally:
        _saved.reset(token)
    _index_search(for_search)
    _index_references(for_references)


def _index_search(saved: Saved) -> None:
    """What Wagtail's handler does for each object, with one index call per model."""
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for model, pks in saved.items():
        indexed_model: Any = model  # an index.Indexed model
        for obj in indexed_model.get_indexed_objects().filter(pk__in=pks).order_by("pk"):
            indexed = obj.get_indexed_instance()
            if indexed is not None:
                by_model.setdefault(type(indexed), []).append(indexed)
    for backend_name, backend in get_search_backends_with_name(with_auto_update=True):
        for model, objs in by_model.items():
            try:
                backend.add_bulk(model, objs)
            except Exception:
                logger.exception("Indexing %s in search backend %r failed", model, backend_name)
                if not backend.catch_indexing_errors:
                    raise


def _index_references(saved: Saved) -> None:
    """What Wagtail's reference index task does for each saved object, a few queries a model.

    ``ReferenceIndex.create_or_update_for_object`` reads one object's rows and writes the
    difference: about ten queries an object with the task's own look-ups, most of a district's
    indexing. Here each model's objects are read together with their child relations, and
    their existing rows in one query; the rows to add are written in one insert and the rows
    gone in one delete, by the same rules. A model indexed under its parent (a child model)
    still goes through Wagtail's task, which finds the parent.
    """
    for model, pks in saved.items():
        if not ReferenceIndex.is_indexed(model):
            existing = {
                str(pk)
                for pk in model._default_manager.filter(pk__in=pks).values_list("pk", flat=True)
            }
            for pk in pks:
                if str(pk) in existing:
                    update_reference_index_task.call(
                        model._meta.app_label, model._meta.model_name, str(pk)
                    )
            continue
        children = [relation.get_accessor_name() for relation in get_all_child_relations(model)]
        objects = list(model._default_manager.filter(pk__in=pks).prefetch_related(*children))
        if objects:
            _index_references_of(model, objects)


def _index_references_of(model: type[models.Model], objects: list[models.Model]) -> None:
    content_types = [
        ContentType.objects.get_for_model(each, for_concrete_model=False)
        for each in [model, *model._meta.get_parent_list()]
    ]
    content_type, base_content_type = content_types[0], content_types[-1]
    known = {each.pk for each in content_types}
    existing: dict[str, dict[tuple[Any, ...], tuple[int, int]]] = {}
    for pk, content_type_id, object_id, *reference in ReferenceIndex.objects.filter(
        base_content_type=base_content_type, object_id__in=[str(obj.pk) for obj in objects]
    ).values_list(
        "id",
        "content_type_id",
        "object_id",
        "to_content_type",
        "to_object_id",
        "model_path",
        "content_path",
    ):
        existing.setdefault(object_id, {})[tuple(reference)] = (content_type_id, pk)
    new_rows = []
    gone: list[int] = []
    for obj in objects:
        references = set(ReferenceIndex._extract_references_from_object(obj))  # noqa: SLF001
        held = existing.get(str(obj.pk), {})
        new_rows += [
            ReferenceIndex(
                content_type=content_type,
                base_content_type=base_content_type,
                object_id=obj.pk,
                to_content_type_id=to_content_type_id,
                to_object_id=to_object_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(  # noqa: SLF001
                    content_path
                ),
            )
            for to_content_type_id, to_object_id, model_path, content_path in references - set(held)
        ]
        # A row recorded under a more specific model than this one is not this one's to drop.
        gone += [
            pk
            for reference, (content_type_id, pk) in held.items()
            if reference not in references and content_type_id in known
        ]
    ReferenceIndex.objects.bulk_create(
        new_rows, ignore_conflicts=connection.features.supports_ignore_conflicts
    )
    if gone:
        ReferenceIndex.objects.filter(id__in=gone).delete()
