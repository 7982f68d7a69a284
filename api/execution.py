"""graphql-core's execution with a short path for plain leaf fields.

Why: a screen feed completes about 490 fields, and for most of them graphql-core builds a
``GraphQLResolveInfo``, reads the field's arguments, calls graphene's default resolver (a
``getattr``), checks twice for an awaitable and walks ``complete_value`` to the scalar's
``serialize`` — several times the cost of the ``getattr`` itself. For a field that has no
arguments, graphene's default resolver and a scalar or enum type, the answer is exactly
``serialize(getattr(source, attname))``, so that is what is done.

Anything else takes graphql-core's own path, unchanged: fields with their own resolver,
arguments or middleware, objects and lists, and every value that is None or fails to
serialize (so nulls, errors and their locations are reported exactly as before).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from graphene.types.resolver import attr_resolver, dict_or_attr_resolver
from graphql.execution import ExecutionContext
from graphql.execution.execute import get_field_def
from graphql.pyutils import Path, Undefined

from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLLeafType,
    GraphQLObjectType,
    get_nullable_type,
    is_leaf_type,
)

# Per field definition: (attribute name, leaf type) when it may take the short path, else None.
_PLANS: dict[int, tuple[GraphQLField, tuple[str, GraphQLLeafType] | None]] = {}


def _plan(field_def: GraphQLField) -> tuple[str, GraphQLLeafType] | None:
    found = _PLANS.get(id(field_def))
    if found is not None and found[0] is field_def:
        return found[1]
    plan = None
    resolve = field_def.resolve
    leaf = get_nullable_type(field_def.type)
    if (
        isinstance(resolve, partial)
        and resolve.func in (dict_or_attr_resolver, attr_resolver)
        and len(resolve.args) == 2
        and resolve.args[1] is None
        and not resolve.keywords
        and not field_def.args
        and is_leaf_type(leaf)
    ):
        plan = (resolve.args[0], leaf)
    _PLANS[id(field_def)] = (field_def, plan)
    return plan


class PlainLeafExecutionContext(ExecutionContext):
    """``ExecutionContext`` whose plain leaf fields skip the general machinery (see above)."""

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_nodes: list[FieldNode],
        path: Path,
    ) -> Any:
        if not self.middleware_manager and not isinstance(source, dict):
            field_def = get_field_def(self.schema, parent_type, field_nodes[0])
            plan = _plan(field_def) if field_def is not None else None
            if plan is not None:
                value = getattr(source, plan[0], None)
                if value is not None:
                    try:
                        serialized = plan[1].serialize(value)
                    except Exception:  # noqa: BLE001 - the general path reports it
                        serialized = None
                    if serialized is not None and serialized is not Undefined:
                        return serialized
        return super().execute_field(parent_type, source, field_nodes, path)
