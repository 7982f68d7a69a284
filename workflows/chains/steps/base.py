"""Where an item sits, and so who reviews it: the scope every step type resolves."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from wagtail.models import Page


def scope_anchor(obj: Any) -> Page | None:
    """The page whose ancestors decide who reviews ``obj``: a page itself, or a row's compound."""
    if isinstance(obj, Page):
        return obj
    compound = getattr(obj, "compound", None)
    return compound if isinstance(compound, Page) else None


def pages_within(scopes: QuerySet[Page]) -> QuerySet[Page]:
    """Every page at or below one of ``scopes``, as one query."""
    paths = list(scopes.values_list("path", flat=True))
    if not paths:
        return Page.objects.none()
    condition = models.Q()
    for path in paths:
        condition |= models.Q(path__startswith=path)
    return Page.objects.filter(condition)


def _ids_as_text(queryset: QuerySet) -> QuerySet:
    """``queryset``'s keys as text, to compare with ``WorkflowState.object_id`` in one query."""
    return queryset.annotate(object_id_text=Cast("pk", CharField())).values("object_id_text")


def _compound_workflow_models() -> list[tuple[type[models.Model], str]]:
    """Snippet models that belong to a compound and can go through a review chain.

    Each with the name of its foreign key to the compound.
    """
    from wagtail.models import WorkflowMixin

    from content_types.roles.permissions import compound_scoped_models, scope_policy_for

    return [
        (model, scope_policy_for(model).compound_field)
        for model in compound_scoped_models()
        if issubclass(model, WorkflowMixin)
    ]


def compound_of(obj: Any) -> Page | None:
    """The compound a page sits in (or a row belongs to): the scope of the three parties."""
    from content_types.structure.models import CompoundPage

    anchor = scope_anchor(obj)
    if anchor is None:
        return None
    if isinstance(anchor, CompoundPage):
        return anchor
    return CompoundPage.objects.ancestor_of(anchor, inclusive=True).first()
