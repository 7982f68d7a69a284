"""Querysets compiled to SQL once per process, then run with the request's values.

Why: the screen feed runs the same dozen queries on every request, and for each of them Django
builds the queryset, resolves its lookups and compiles SQL — several times the cost of running
that SQL on indexed tables. A ``Statement`` builds its queryset once with marker values in place
of the request's (a scope's path, the clock, a slug), compiles it, and finds where the markers
landed among the parameters; later runs swap the request's values into those places and pass
the rows through the converters Django would apply, making model instances the way
``ModelIterable`` does (``select_related`` and annotations included).

Whatever changes the SQL itself rather than its parameters (how many hidden subtrees are
excluded, a LIMIT) is part of the statement's ``shape``, and each shape is compiled on its own.
A marker that does not reach the parameters (inlined in the SQL, or dropped) is refused at
compile time, so a value can never be silently ignored.

What it buys (``benchmarks/results/fast_paths.json``, PostgreSQL): ×1.8 requests per second on
the uncached screen feed; the persisted GET and its 304 are answered from the shared cache, where
it makes no difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]

from .fast_paths import left_out

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable

_MARKER_INT_BASE = 2_147_480_000  # inside the 32-bit range, so the ORM keeps the clause
_MARKER_EPOCH = datetime(1901, 1, 1, tzinfo=UTC)

# How a parameter takes its value: as the value itself, inside a text (as it is, or escaped for
# a LIKE pattern), or as a datetime.
_EXACT, _IN_TEXT, _LIKE, _DATETIME = "exact", "in-text", "like", "datetime"


def _marker(index: int, sample: Any) -> Any:
    if isinstance(sample, datetime):
        return _MARKER_EPOCH + timedelta(microseconds=index + 1)
    if isinstance(sample, int):
        return _MARKER_INT_BASE + index
    if isinstance(sample, str):
        # With "_" in it, a marker that went into a LIKE pattern is found in its escaped form.
        return f"weizhi_marker_{index}_"
    raise TypeError(f"no marker for {type(sample).__name__} values")


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str, str, str], ...]  # (param index, value name, how, marker text)
    converters: dict[int, Any]
    model_plan: tuple[Any, ...] | None


class Statement:
    """One queryset, a function of named values, compiled once per database and shape.

    ``build`` takes the shape and the values as keyword arguments and returns the queryset; it
    is called with markers, only when a shape is first run on a database.
    """

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self.build = build
        self._compiled: dict[tuple[Any, ...], _Compiled] = {}

    def _compile(self, using: str, shape: Hashable, values: dict[str, Any]) -> _Compiled:
        if any(isinstance(value, bool) for value in values.values()):
            raise TypeError("a bool changes the SQL: make it part of the statement's shape")
        key = (using, shape, tuple(sorted((name, type(value)) for name, value in values.items())))
        found = self._compiled.get(key)
        if found is not None:
            return found
        connection = connections[using]
        markers = {name: _marker(index, values[name]) for index, name in enumerate(sorted(values))}
        queryset = self.build(shape, **markers)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = []
        for position, param in enumerate(params):
            for name, marker in markers.items():
                if isinstance(marker, str) and isinstance(param, str):
                    escaped = connection.ops.prep_for_like_query(marker)
                    if escaped in param:
                        slots.append((position, name, _LIKE, escaped))
                    elif param == marker:
                        slots.append((position, name, _EXACT, ""))
                    elif marker in param:
                        slots.append((position, name, _IN_TEXT, marker))
                elif isinstance(marker, datetime):
                    if param == connection.ops.adapt_datetimefield_value(marker):
                        slots.append((position, name, _DATETIME, ""))
                elif isinstance(marker, int) and param == marker and not isinstance(param, bool):
                    slots.append((position, name, _EXACT, ""))
        missing = set(markers) - {slot[1] for slot in slots}
        if missing:
            raise ValueError(f"values not among the statement's parameters: {sorted(missing)}")
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        found = _Compiled(
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
            converters=compiler.get_converters(fields),
            model_plan=_model_plan(compiler, using) if compiler.klass_info else None,
        )
        self._compiled[key] = found
        return found

    def sql_with_params(
        self, shape: Hashable = (), using: str = "default", **values: Any
    ) -> tuple[str, list[Any]]:
        """The SQL and parameters a run with these values sends to the database."""
        compiled = self._compile(using, shape, values)
        return compiled.sql, self._params(compiled, using, values)

    def _params(self, compiled: _Compiled, using: str, values: dict[str, Any]) -> list[Any]:
        connection = connections[using]
        params = list(compiled.params)
        for position, name, how, marker in compiled.slots:
            value = values[name]
            if how == _LIKE:
                params[position] = params[position].replace(
                    marker, connection.ops.prep_for_like_query(value)
                )
            elif how == _IN_TEXT:
                params[position] = params[position].replace(marker, value)
            elif how == _DATETIME:
                params[position] = connection.ops.adapt_datetimefield_value(value)
            else:
                params[position] = value
        return params

    def _run(self, using: str, shape: Hashable, values: dict[str, Any]) -> tuple[_Compiled, list]:
        compiled = self._compile(using, shape, values)
        params = self._params(compiled, using, values)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = _convert(rows, compiled.converters, connection)
        return compiled, rows

    def rows(self, shape: Hashable = (), using: str = "default", **values: Any) -> list[tuple]:
        """The rows, as tuples of converted values (for a ``values_list`` queryset)."""
        if left_out("statements"):
            return [tuple(row) for row in self.build(shape, **values).using(using)]
        return [tuple(row) for row in self._run(using, shape, values)[1]]

    def objects(self, shape: Hashable = (), using: str = "default", **values: Any) -> list[Any]:
        """The rows as model instances, with their ``select_related`` objects and annotations."""
        if left_out("statements"):
            return list(self.build(shape, **values).using(using))
        compiled, rows = self._run(using, shape, values)
        if compiled.model_plan is None:
            raise TypeError("objects() needs a queryset of model instances")
        model, start, end, init_list, populators, annotations = compiled.model_plan
        found = []
        for row in rows:
            obj = model.from_db(using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            found.append(obj)
        return found


def _model_plan(compiler: Any, using: str) -> tuple[Any, ...]:
    """What ``ModelIterable`` reads off a compiler to make instances, read once."""
    klass_info = compiler.klass_info
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    init_list = [column[0].target.attname for column in compiler.select[start:end]]
    return (
        klass_info["model"],
        start,
        end,
        init_list,
        get_related_populators(klass_info, compiler.select, using),
        tuple(compiler.annotation_col_map.items()),
    )


def _convert(rows: list[tuple], converters: dict[int, Any], connection: Any) -> list[list]:
    converted = []
    for row in rows:
        values = list(row)
        for position, (functions, expression) in converters.items():
            value = values[position]
            for function in functions:
                value = function(value, expression, connection)
            values[position] = value
        converted.append(values)
    return converted


def set_prefetched(instances: list[Model], name: str, children: list[Model], key: str) -> None:
    """Give each instance its ``name`` children, as ``prefetch_related(name)`` would.

    ``key`` is the children's attribute holding their parent's pk; ``instance.name.all()``
    then reads the list given here without a query.
    """
    by_parent: dict[Any, list[Model]] = {instance.pk: [] for instance in instances}
    for child in children:
        by_parent.setdefault(getattr(child, key), []).append(child)
    for instance in instances:
        model = instance._meta.get_field(name).related_model
        related: QuerySet[Model] = QuerySet(model=model)  # type: ignore[arg-type]
        # Django's prefetch cache, filled as prefetch_related fills it.
        related._result_cache = by_parent[instance.pk]  # noqa: SLF001
        related._prefetch_done = True  # type: ignore[attr-defined]  # noqa: SLF001
        instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = related
