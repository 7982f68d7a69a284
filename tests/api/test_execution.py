"""The short path for plain leaf fields answers exactly as graphql-core's own execution."""

from dataclasses import dataclass
from decimal import Decimal

import graphene
import pytest

from api.execution import PlainLeafExecutionContext
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


class RowType(graphene.ObjectType):
    name = graphene.String()
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


class Query(graphene.ObjectType):
    rows = graphene.List(graphene.NonNull(RowType))
    strict = graphene.Field(graphene.NonNull(graphene.String), resolver=lambda root, info: None)
    plain = graphene.String(required=True)

    @staticmethod
    def resolve_rows(root, info):
        return [Row(), Row(name=None, count="many", colour="blue"), Row(count=2**40)]


SCHEMA = graphene.Schema(query=Query).graphql_schema


def run(context_class, text: str) -> tuple:
    result = execute(
        SCHEMA, parse(text), root_value=object(), execution_context_class=context_class
    )
    errors = [(error.message, error.path) for error in result.errors or ()]
    return result.data, errors


@pytest.mark.parametrize(
    "text",
    [
        "{ rows { name count amount colour flag shout } }",
        "{ rows { name requiredName } }",
        "{ rows { count } }",
        "{ rows { __typename name } }",
        "{ strict }",
        "{ plain }",
    ],
)
def test_the_same_data_and_errors_as_graphql_core(text):
    assert run(PlainLeafExecutionContext, text) == run(ExecutionContext, text)


def test_errors_keep_their_paths():
    data, errors = run(PlainLeafExecutionContext, "{ rows { count } }")

    assert data["rows"][0] == {"count": 3}
    assert data["rows"][1] == {"count": None}
    assert [path for _, path in errors] == [["rows", 1, "count"], ["rows", 2, "count"]]
