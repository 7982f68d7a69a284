"""The short path for plain leaf fields answers exactly as graphql-core's own execution."""

from dataclasses import dataclass
from decimal import Decimal

import graphene
import pytest

from api.execution import PlainLeafExecutionContext, reads_source_only
from graphql import ExecutionContext, execute, parse


class Colour(graphene.Enum):
    RED = "red"
    BLUE = "blue"


@dataclass
class Row:
    name: str | None = "名称"
    count: object = 3
    amount: Decimal = Decimal("12.50")
    colour: str = "red"
    flag: bool = True

    def describe(self):
        return f"{self.name}×{self.count}"


class RowType(graphene.ObjectType):
    name = graphene.String()
    label = graphene.String(source="describe")
    doubled = graphene.Int()
    raises = graphene.Int()
    required_name = graphene.String(required=True, name="requiredName")
    count = graphene.Int()
    amount = graphene.Decimal()
    colour = Colour()
    flag = graphene.Boolean(required=True)
    shout = graphene.String()

    @staticmethod
    def resolve_required_name(row, info):
        return row.name

    @staticmethod
    def resolve_shout(row, info):
        return (row.name or "").upper()

    @staticmethod
    @reads_source_only
    def resolve_doubled(row, info):
        return row.count * 2 if isinstance(row.count, int) else None

    @staticmethod
    @reads_source_only
    def resolve_raises(row, info):
        raise ValueError("坏数据")


class StrictRowType(graphene.ObjectType):
    """Only ``Row``s are this type: anything else is an error, as graphql-core reports it."""

    name = graphene.String()

    @classmethod
    def is_type_of(cls, root, info):
        return isinstance(root, Row)


class Query(graphene.ObjectType):
    rows = graphene.List(graphene.NonNull(RowType))
    gaps = graphene.List(RowType)
    strict_rows = graphene.List(graphene.NonNull(StrictRowType))
    strict = graphene.Field(graphene.NonNull(graphene.String), resolver=lambda root, info: None)
    plain = graphene.String(required=True)

    @staticmethod
    def resolve_rows(root, info):
        return [Row(), Row(name=None, count="many", colour="blue"), Row(count=2**40)]

    @staticmethod
    def resolve_gaps(root, info):
        return [Row(), None, Row(name="第三")]

    @staticmethod
    def resolve_strict_rows(root, info):
        return [Row(), {"name": "字典"}]


SCHEMA = graphene.Schema(query=Query).graphql_schema


def run(context_class, text: str, middleware=None) -> tuple:
    result = execute(
        SCHEMA,
        parse(text),
        root_value=object(),
        execution_context_class=context_class,
        middleware=middleware,
    )
    errors = [(error.message, error.path) for error in result.errors or ()]
    return result.data, errors


@pytest.mark.parametrize(
    "text",
    [
        "{ rows { name count amount colour flag shout } }",
        "{ rows { label doubled } }",
        "{ rows { name raises } }",
        "{ gaps { name count } }",
        "{ strictRows { name } }",
        "{ rows { a: name b: name __typename } }",
        "{ rows { name requiredName } }",
        "{ rows { count } }",
        "{ rows { __typename name } }",
        "{ strict }",
        "{ plain }",
    ],
)
@pytest.mark.parametrize("middleware", [None, []])
def test_the_same_data_and_errors_as_graphql_core(text, middleware):
    assert run(PlainLeafExecutionContext, text, middleware) == run(ExecutionContext, text)


def test_middleware_still_sees_every_field():
    seen = []

    def note(next_, root, info, **arguments):
        seen.append(info.field_name)
        return next_(root, info, **arguments)

    data, _ = run(PlainLeafExecutionContext, "{ rows { name doubled } }", middleware=[note])

    assert data["rows"][0] == {"name": "名称", "doubled": 6}
    assert seen.count("name") == 3
    assert seen.count("doubled") == 3


def test_errors_keep_their_paths():
    data, errors = run(PlainLeafExecutionContext, "{ rows { count } }")

    assert data["rows"][0] == {"count": 3}
    assert data["rows"][1] == {"count": None}
    assert [path for _, path in errors] == [["rows", 1, "count"], ["rows", 2, "count"]]


class CountingContext(PlainLeafExecutionContext):
    fields_completed = 0

    def execute_field(self, *args):
        CountingContext.fields_completed += 1
        return super().execute_field(*args)


@pytest.mark.parametrize("middleware", [None, []])
def test_plain_rows_skip_the_general_path_also_with_an_empty_middleware_list(middleware):
    CountingContext.fields_completed = 0

    data, _ = run(CountingContext, "{ rows { name label } }", middleware)

    assert data["rows"][0] == {"name": "名称", "label": "名称×3"}
    assert CountingContext.fields_completed == 1  # ``rows`` only, not its 3 × 2 fields


def test_a_list_with_a_value_that_fails_falls_back_whole_and_reports_it():
    CountingContext.fields_completed = 0

    data, errors = run(CountingContext, "{ rows { name doubled } }")

    assert data["rows"][2] == {"name": "名称", "doubled": None}
    assert [path for _, path in errors] == [["rows", 2, "doubled"]]
    assert CountingContext.fields_completed == 1 + 2
