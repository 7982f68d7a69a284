"""The community or compound each root field of an operation reads, before it runs.

Worked out from the document and the variables alone, so that the screen check and the
``ETag``'s content version need no execution.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q
from graphql.execution.values import get_argument_values, get_variable_values
from wagtail.models import Page

from content_types.structure.models import CommunityPage, CompoundPage
from core.ids import id_from_text
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from . import shared_cache
from .models import scope_page
from .statements import Statement

if TYPE_CHECKING:
    from collections.abc import Iterator

# Arguments that name the community or compound a root field reads, and the pages they name.
SCOPE_ARGUMENTS: dict[str, tuple[type[Page], ...]] = {
    "compound": (CompoundPage,),
    "community": (CommunityPage,),
    "scope": (CommunityPage, CompoundPage),
    "slug": (CommunityPage, CompoundPage),
}
SCOPE_ID_ARGUMENTS: tuple[str, ...] = ("id", "compoundId", "communityId", "scopeId")


def _root_fields(
    selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _root_fields(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                yield from _root_fields(fragment.selection_set, fragments)


class RootField:
    """One root field of an operation with the pages its scope arguments name.

    ``pages`` is None when the field names no scope (it may read anything public).
    """

    def __init__(self, name: str, pages: list[Page] | None) -> None:
        self.name = name
        self.pages = pages


# Each root field: its name and its argument values; None for fields the schema does not
# resolve from arguments (``__typename``, introspection, unknown names).
RootArguments = list[tuple[str, dict[str, Any] | None]]


def root_arguments_of(
    schema: Any,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: dict[str, Any],
) -> RootArguments:
    """The operation's root fields and their argument values: no database, no request.

    Raises ``GraphQLError`` when the variables do not fit the operation.
    """
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables)
    if isinstance(coerced, list):
        raise coerced[0]
    fragments = {
        node.name.value: node
        for node in document.definitions
        if isinstance(node, FragmentDefinitionNode)
    }
    query_type = schema.query_type
    found: RootArguments = []
    for node in _root_fields(operation.selection_set, fragments):
        name = node.name.value
        field_def = query_type.fields.get(name)
        if name.startswith("__") or field_def is None:
            found.append((name, None))
        else:
            found.append((name, get_argument_values(field_def, node, coerced)))
    return found


def root_fields_from(arguments: RootArguments) -> list[RootField]:
    """Each root field with the scope pages its arguments name (see ``_pages_named``)."""
    return [
        RootField(name, _pages_named(values))
        if values is not None
        else RootField(name, None if name != "__typename" else [])
        for name, values in arguments
    ]


def root_fields_of(
    schema: Any,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: dict[str, Any],
) -> list[RootField]:
    """The operation's root fields and the scope pages they name (one query per scoped field).

    Raises ``GraphQLError`` when the variables do not fit the operation.
    """
    return root_fields_from(root_arguments_of(schema, document, operation, variables))


def _pages_named(arguments: dict[str, Any]) -> list[Page] | None:
    """Pages named by slug (``SCOPE_ARGUMENTS``) or by id (``SCOPE_ID_ARGUMENTS``), in one query.

    A slug is unique only among siblings, and a digit string may be a slug or an id, so an
    argument may name several pages: all are returned, and a screen must cover every one.
    """
    named: list[tuple[tuple[type[Page], ...], str | None, int | None]] = []
    for argument, models in SCOPE_ARGUMENTS.items():
        value = arguments.get(argument)
        if isinstance(value, str) and value.strip():
            value = value.strip()
            # The schema takes a slug, or else an id, in the same argument.
            named.append((models, value, id_from_text(value)))
    for argument in SCOPE_ID_ARGUMENTS:
        value = arguments.get(argument)
        pk = id_from_text(value) if value is not None else None
        if pk is not None:
            named.append(((CommunityPage, CompoundPage), None, pk))
    if not named:
        return None
    return shared_cache.pages_named(tuple(named), lambda: _pages_by_arguments(named))


def _pages_by_arguments(
    named: list[tuple[tuple[type[Page], ...], str | None, int | None]],
) -> list[Page]:
    if len(named) == 1:
        return _pages_by_statement(*named[0])
    condition = Q()
    for models, slug, pk in named:
        condition |= _of_types(models) & (Q(slug=slug or None) | Q(pk=pk))
    return list(Page.objects.filter(condition).only("id", "path", "depth", "title"))


def _of_types(models: tuple[type[Page], ...]) -> Q:
    # By app label and model name, not by content type id, so a compiled statement holds.
    condition = Q()
    for model in models:
        condition |= Q(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
        )
    return condition


# The page a persisted query names is looked up on every request: building its statement costs
# more than running it, so it is compiled once per database and page types.
_SCOPE_PAGES = Statement(
    lambda models, slug, pk: (
        Page.objects.filter(_of_types(models), Q(slug=slug) | Q(pk=pk))
        .order_by("path")
        .values_list("id", "path", "depth", "title")
    )
)


def _pages_by_statement(
    models: tuple[type[Page], ...], slug: str | None, pk: int | None
) -> list[Page]:
    rows = _SCOPE_PAGES.rows(models, slug=slug or "", pk=pk if pk is not None else -1)
    return [scope_page(*row) for row in rows]


def version_scope(fields: list[RootField]) -> Page | None:
    """The one page every root field reads within; None (the whole site) when there is none."""
    pages: dict[int, Page] = {}
    for field in fields:
        if field.pages is None:
            return None
        pages.update((page.pk, page) for page in field.pages)
    return next(iter(pages.values())) if len(pages) == 1 else None
