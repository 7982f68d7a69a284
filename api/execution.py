"""graphql-core's execution with a short path for objects whose fields are all plain leaves.

Why: a screen feed completes about 490 fields, and for most of them graphql-core builds a
``Path`` and a ``GraphQLResolveInfo``, reads the field's arguments, calls graphene's default
resolver (a ``getattr``), checks twice for an awaitable and walks ``complete_value`` to the
scalar's ``serialize`` — several times the cost of the ``getattr`` itself. For a field that has
no arguments, graphene's default resolver and a scalar or enum type, the answer is exactly
``serialize(getattr(source, attname))``; for a resolver marked ``@reads_source_only`` (it reads
nothing but its source: no ``info``, no arguments) it is ``serialize(resolver(source, None))``;
``__typename`` is the parent type's name. When every field selected on an object is such a
field, the object's answer is built in one loop, and a list of such objects in one loop too.

What it buys (``benchmarks/results/fast_paths.json``): ×1.31 requests per second on the
uncached screen feed, ×1.33 on the persisted GET.

Anything else takes graphql-core's own path, unchanged: objects with any field that has its own
resolver or arguments, nested objects and lists, any request with middleware, and every object
with a value that is None where the type forbids it or that fails to serialize (so errors and
their paths and locations are reported exactly as before).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from graphene.types.field import source_resolver
from graphene.types.resolver import attr_resolver, dict_or_attr_resolver
from graphene_django import DjangoObjectType
from graphql.execution import ExecutionContext
from graphql.execution.execute import get_field_def
from graphql.pyutils import Path, Undefined

from graphql import (
    FieldNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    TypeNameMetaFieldDef,
    get_nullable_type,
    is_non_null_type,
    is_object_type,
)

Resolver = TypeVar("Resolver", bound=Callable[..., Any])

# How one field of an object is answered: (response name, attribute to read or None, function
# of the source to call or None, serialize, nullable); neither attribute nor function for
# ``__typename``.
FieldPlan = tuple[str, str | None, Callable[[Any], Any] | None, Any, bool]
# Per field definition (kept beside it, so that its id is not reused): how its value is read.
_READS: dict[int, tuple[GraphQLField, tuple[str | None, Any, Any, bool] | None]] = {}


def reads_source_only(resolver: Resolver) -> Resolver:
    """Mark a leaf field's resolver as reading nothing but its source, never ``info``.

    Such a field may be answered without building its ``GraphQLResolveInfo`` (see above).
    """
    resolver.reads_only_its_source = True  # type: ignore[attr-defined]
    return resolver


def _source_value(resolve: Any) -> tuple[str | None, Callable[[Any], Any] | None] | None:
    """How to read the field's value from its source alone: (attribute, or else function).

    None when that is not known.
    """
    if isinstance(resolve, partial) and not resolve.keywords:
        if (
            resolve.func in (dict_or_attr_resolver, attr_resolver)
            and len(resolve.args) == 2
            and resolve.args[1] is None
        ):
            return resolve.args[0], None
        if resolve.func is source_resolver and len(resolve.args) == 1:
            return None, partial(source_resolver, resolve.args[0], info=None)
        return None
    if resolve is DjangoObjectType.resolve_id:
        return "pk", None
    if getattr(resolve, "reads_only_its_source", False):
        return None, lambda source: resolve(source, None)
    return None


def _reads(field_def: GraphQLField) -> tuple[str | None, Any, Any, bool] | None:
    found = _READS.get(id(field_def))
    if found is not None and found[0] is field_def:
        return found[1]
    reads = None
    leaf = get_nullable_type(field_def.type)  # type: ignore[arg-type]  # graphql-core's overloads
    if not field_def.args and isinstance(leaf, GraphQLScalarType | GraphQLEnumType):
        source_value = _source_value(field_def.resolve)
        if source_value is not None:
            nullable = not is_non_null_type(field_def.type)
            reads = (*source_value, leaf.serialize, nullable)
    _READS[id(field_def)] = (field_def, reads)
    return reads


def _field_plan(response_name: str, field_def: GraphQLField | None) -> FieldPlan | None:
    """How to answer a plain leaf field directly; None when it needs the general path."""
    if field_def is None:
        return None
    if field_def is TypeNameMetaFieldDef:
        return (response_name, None, None, None, False)
    reads = _reads(field_def)
    return None if reads is None else (response_name, *reads)


class PlainLeafExecutionContext(ExecutionContext):
    """``ExecutionContext`` that answers objects of plain leaf fields in one loop (see above)."""

    _object_plans: dict[tuple[str, int], tuple[dict[str, list[FieldNode]], Any]]

    def _plan_object(
        self, parent_type: GraphQLObjectType, fields: dict[str, list[FieldNode]]
    ) -> list[FieldPlan] | None:
        # graphql-core collects an object's subfields once per selection (``collect_subfields``
        # is cached), so every item of a list comes with the same ``fields``; it is kept beside
        # its plan so that its id cannot be reused while the plan is.
        plans = self.__dict__.setdefault("_object_plans", {})
        key = (parent_type.name, id(fields))
        found = plans.get(key)
        if found is not None:
            return found[1]
        planned = [
            _field_plan(response_name, get_field_def(self.schema, parent_type, field_nodes[0]))
            for response_name, field_nodes in fields.items()
        ]
        plan = None if None in planned else [field for field in planned if field is not None]
        plans[key] = (fields, plan)
        return plan

    def _plain(self) -> bool:
        middleware = self.middleware_manager
        return middleware is None or not middleware.middlewares

    def complete_list_value(
        self,
        return_type: GraphQLList,
        field_nodes: list[FieldNode],
        info: GraphQLResolveInfo,
        path: Path,
        result: Any,
    ) -> Any:
        item_type = get_nullable_type(return_type.of_type)
        if isinstance(result, list | tuple) and is_object_type(item_type) and self._plain():
            plan = self._plan_object(item_type, self.collect_subfields(item_type, field_nodes))
            if plan is not None:
                answers = _answer_all(item_type, result, plan, info)
                if answers is not None:
                    return answers
        return super().complete_list_value(return_type, field_nodes, info, path, result)

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        fields: dict[str, list[FieldNode]],
    ) -> Any:
        if self._plain() and not isinstance(source_value, dict):
            plan = self._plan_object(parent_type, fields)
            if plan is not None:
                answered = _answer(parent_type, source_value, plan)
                if answered is not None:
                    return answered
        return super().execute_fields(parent_type, source_value, path, fields)


def _answer_all(
    item_type: GraphQLObjectType, items: list | tuple, plan: list[FieldPlan], info: Any
) -> list[dict[str, Any]] | None:
    """The list's answer by ``plan``; None when any item needs the general path's report."""
    is_type_of = item_type.is_type_of
    answers = []
    for item in items:
        if item is None or isinstance(item, dict):
            return None
        if is_type_of is not None and is_type_of(item, info) is not True:
            return None
        answer = _answer(item_type, item, plan)
        if answer is None:
            return None
        answers.append(answer)
    return answers


def _answer(parent_type: GraphQLObjectType, source: Any, plan: list[FieldPlan]) -> Any:
    """The object's answer by ``plan``; None when any field needs the general path's report."""
    results: dict[str, Any] = {}
    try:
        for response_name, attribute, read, serialize, nullable in plan:
            if attribute is not None:
                value = getattr(source, attribute, None)
            elif read is not None:
                value = read(source)
            else:
                results[response_name] = parent_type.name
                continue
            if value is None:
                if not nullable:
                    return None
                results[response_name] = None
                continue
            serialized = serialize(value)
            if serialized is None or serialized is Undefined:
                return None
            results[response_name] = serialized
    except Exception:  # noqa: BLE001 - the general path reports it
        return None
    return results
