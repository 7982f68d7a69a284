"""The public endpoint's limits, and its errors in Chinese.

* Query depth: at most ``GRAPHQL_MAX_DEPTH`` levels of fields (fragments followed), so a
  query cannot nest lists into an expensive tree.
* Query cost: at most ``GRAPHQL_MAX_COST``, measured before anything runs with fragments
  expanded (see ``Measurer``), so many aliases or many pages cannot multiply the work.
* Request size: a body over ``GRAPHQL_MAX_BODY_BYTES`` is refused before it is read.
* Answer size: an answer over ``GRAPHQL_MAX_RESPONSE_BYTES`` is replaced by an error.
* Page size: see ``pagination`` (a list asked for more than the maximum is an error).
* Introspection: allowed only when ``GRAPHQL_INTROSPECTION`` is on (dev and tests; off by
  default in production). GraphiQL follows ``DEBUG``.

graphql-core words its errors in English; clients here are read by Chinese staff, so each
known message is put into Chinese (names of fields and types stay as they are).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from graphql.utilities.type_info import get_field_def

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInt,
    GraphQLSchema,
    GraphQLType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    specified_rules,
)

from .pagination import max_page_size, page_size
from .refusals import NUL_REFUSED, RequestRefused
from .views import ApiView

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


def max_depth() -> int:
    return int(getattr(settings, "GRAPHQL_MAX_DEPTH", 10))


def max_body_bytes() -> int:
    return int(getattr(settings, "GRAPHQL_MAX_BODY_BYTES", 64 * 1024))


def introspection_allowed() -> bool:
    return bool(getattr(settings, "GRAPHQL_INTROSPECTION", False))


def max_cost() -> int:
    return int(getattr(settings, "GRAPHQL_MAX_COST", 15_000))


def max_response_bytes() -> int:
    return int(getattr(settings, "GRAPHQL_MAX_RESPONSE_BYTES", 4 * 1024 * 1024))


# A list that takes no page size (the streets, a street's communities, a statement's lines,
# the annual task list) counts as this many items.
UNPAGED_LIST_ITEMS = 10
# Costs are counted up to here and no further: beyond the limit only "more" matters.
COST_CEILING = 10**12


def _capped(cost: int) -> int:
    return min(cost, COST_CEILING)


@dataclass(frozen=True)
class Measure:
    """A selection set measured once, wherever it is spread: its depth and its cost.

    ``fixed`` is the cost that does not depend on the field the set is selected on; ``lists``
    is, for each list field selected directly in the set, what one of its items costs: that
    field's page size (see ``Measurer.page_size``) multiplies it.
    """

    depth: int = 0
    fixed: int = 0
    lists: tuple[tuple[str, int], ...] = ()

    def cost(self, page_size: Callable[[str], int]) -> int:
        return _capped(self.fixed + sum(page_size(name) * items for name, items in self.lists))


NOTHING = Measure()


class Measurer:
    """Measures an operation with its fragments expanded, each fragment measured only once.

    Cost: every field counts 1, aliases and ``__typename`` too; what a list field selects
    counts once per item it may hold. The items of a list are set by the field above it: its
    argument named as the list (``screenFeed(notices:)``) or its ``first``; a literal counts
    as written (within the largest page), a variable as the largest page
    (``GRAPHQL_MAX_PAGE_SIZE``), an argument left out as its default or the default page
    size. A list without a page size counts ``UNPAGED_LIST_ITEMS``. Fragments are measured
    once and their lists multiplied where they are spread, so the work is linear in the text.
    """

    def __init__(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        self.schema = schema
        self.fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self.measured: dict[str, Measure] = {}
        self.largest_page = max_page_size()
        self.default_page = page_size(None)

    def operation(self, node: OperationDefinitionNode) -> tuple[int, int]:
        """The operation's depth and cost."""
        root = self.schema.get_root_type(node.operation)
        measure = self.selection_set(node.selection_set, root)
        return measure.depth, measure.cost(lambda name: UNPAGED_LIST_ITEMS)

    def fragment(self, name: str) -> Measure:
        found = self.measured.get(name)
        if found is None:
            self.measured[name] = NOTHING  # a cycle adds nothing; graphql-core reports it
            node = self.fragments.get(name)
            if node is not None:
                on = self.schema.get_type(node.type_condition.name.value)
                self.measured[name] = self.selection_set(node.selection_set, on)
            found = self.measured[name]
        return found

    def selection_set(self, node: SelectionSetNode | None, parent: GraphQLType | None) -> Measure:
        if node is None:
            return NOTHING
        depth = fixed = 0
        lists: dict[str, int] = {}
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                field = get_field_def(self.schema, parent, selection) if parent else None
                inner = self.selection_set(
                    selection.selection_set, get_named_type(field.type) if field else None
                )
                if not (selection.name.value.startswith("__") and selection.selection_set is None):
                    depth = max(depth, 1 + inner.depth)
                items = (
                    inner.cost(partial(self.page_size, selection, field))
                    if inner.lists
                    else inner.fixed
                )
                fixed = _capped(fixed + 1)
                if field is not None and is_list_type(get_nullable_type(field.type)):  # type: ignore[arg-type]
                    name = selection.name.value
                    lists[name] = _capped(lists.get(name, 0) + items)
                else:
                    fixed = _capped(fixed + items)
                continue
            if isinstance(selection, InlineFragmentNode):
                on = selection.type_condition
                part = self.selection_set(
                    selection.selection_set, self.schema.get_type(on.name.value) if on else parent
                )
            elif isinstance(selection, FragmentSpreadNode):
                part = self.fragment(selection.name.value)
            else:
                continue
            depth = max(depth, part.depth)
            fixed = _capped(fixed + part.fixed)
            for name, items in part.lists:
                lists[name] = _capped(lists.get(name, 0) + items)
        return Measure(depth, fixed, tuple(lists.items()))

    def page_size(self, node: FieldNode, field: GraphQLField | None, list_name: str) -> int:
        """How many items the field ``node`` gives its list ``list_name`` at most."""
        for name in (list_name, "first"):
            argument = field.args.get(name) if field else None
            if argument is not None and get_nullable_type(argument.type) is GraphQLInt:  # type: ignore[arg-type]
                value = next((arg.value for arg in node.arguments if arg.name.value == name), None)
                if isinstance(value, VariableNode):
                    return self.largest_page
                size = argument.default_value
                if isinstance(value, IntValueNode):
                    try:
                        size = int(value.value)
                    except ValueError:  # more digits than Python reads: not a page size
                        return self.largest_page
                if isinstance(size, int) and not isinstance(size, bool):
                    return min(max(size, 1), self.largest_page)
                return self.default_page
        return UNPAGED_LIST_ITEMS


class CostLimitRule(ValidationRule):
    """Refuse operations deeper than ``GRAPHQL_MAX_DEPTH`` or costlier than ``GRAPHQL_MAX_COST``.

    Both are measured before anything runs, fragments expanded, in one walk (``Measurer``).
    Not graphene's ``depth_limit_validator``: it walks each fragment anew wherever it is
    spread, so the fragment-doubling attack costs it exponential time before any refusal.
    """

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.measurer = Measurer(context.schema, context.document)

    def enter_operation_definition(self, node: OperationDefinitionNode, *args: Any) -> None:
        depth, cost = self.measurer.operation(node)
        limit = max_depth()
        if depth > limit:
            self.report_error(
                GraphQLError(
                    f"查询嵌套过深：{depth} 层，最多允许 {limit} 层。",
                    node,
                    extensions={"code": "QUERY_TOO_DEEP"},
                )
            )
        budget = max_cost()
        if cost > budget:
            shown = f"{cost}" if cost < COST_CEILING else f"{COST_CEILING} 以上"
            self.report_error(
                GraphQLError(
                    f"查询代价 {shown}，超过上限 {budget}：每个字段（含别名）计 1，"
                    "列表里的字段按每页条数（first）计多次。请减少字段、别名或条数，或分次查询。",
                    node,
                    extensions={"code": "QUERY_TOO_COSTLY"},
                )
            )


class IntrospectionRule(ValidationRule):
    """Refuse ``__schema`` and ``__type`` unless ``GRAPHQL_INTROSPECTION`` is on.

    Not graphene's ``DisableIntrospection``: it refuses ``__typename`` too, which clients
    need for unions, and answers in English.
    """

    def enter_field(self, node: FieldNode, *args: Any) -> None:
        if node.name.value in {"__schema", "__type"} and not introspection_allowed():
            self.report_error(
                GraphQLError(
                    "本服务器已关闭 GraphQL 内省查询；接口定义见 graphql/schema.graphql。",
                    node,
                    extensions={"code": "INTROSPECTION_DISABLED"},
                )
            )


# graphql-core's own rules are replaced, not extended, when rules are given: keep them.
class NulCharacterRule(ValidationRule):
    """Refuse string literals holding U+0000 (see ``refusals.NUL_REFUSED``)."""

    def enter_string_value(self, node: StringValueNode, *args: Any) -> None:
        if "\x00" in node.value:
            self.report_error(GraphQLError(NUL_REFUSED, node))


VALIDATION_RULES = (*specified_rules, CostLimitRule, IntrospectionRule, NulCharacterRule)

Translation = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
TRANSLATIONS: list[Translation] = [
    (
        re.compile(r"^Syntax Error: (.*)$", re.S),
        lambda m: f"查询语法错误：{m.group(1)}",
    ),
    (
        re.compile(r"^Cannot query field '([^']+)' on type '([^']+)'"),
        lambda m: f"类型 {m.group(2)} 没有字段 {m.group(1)}，请对照 graphql/schema.graphql。",
    ),
    (
        re.compile(r"^Unknown argument '([^']+)' on field '([^']+)'"),
        lambda m: f"字段 {m.group(2)} 没有参数 {m.group(1)}。",
    ),
    (
        re.compile(r"^Field '([^']+)' argument '([^']+)' of type '([^']+)' is required"),
        lambda m: f"字段 {m.group(1)} 缺少必填参数 {m.group(2)}（类型 {m.group(3)}）。",
    ),
    (
        re.compile(r"^Variable '\$([^']+)' of required type '([^']+)' was not provided"),
        lambda m: f"缺少查询变量 ${m.group(1)}（类型 {m.group(2)}）。",
    ),
    (
        re.compile(r"^Variable '\$([^']+)' got invalid value (.*?); (.*)$", re.S),
        lambda m: f"查询变量 ${m.group(1)} 的值 {m.group(2)} 不合要求：{m.group(3)}",
    ),
    (
        re.compile(r"^Variable '\$([^']+)' of type '([^']+)' used in position expecting"),
        lambda m: f"查询变量 ${m.group(1)} 的类型 {m.group(2)} 与所用位置不符。",
    ),
    (
        re.compile(r"^Variable '\$([^']+)' is not defined"),
        lambda m: f"查询变量 ${m.group(1)} 未在操作中声明。",
    ),
    (
        re.compile(r"^Variable '\$([^']+)' is never used"),
        lambda m: f"查询变量 ${m.group(1)} 已声明但未使用。",
    ),
    (
        re.compile(r"^Unknown type '([^']+)'"),
        lambda m: f"未知的类型 {m.group(1)}。",
    ),
    (
        re.compile(r"^Unknown fragment '([^']+)'"),
        lambda m: f"未知的片段 {m.group(1)}。",
    ),
    (
        re.compile(r"^(?:Int|Float|String|Boolean|ID|Enum|Date\w*) cannot represent"),
        lambda m: f"参数的值类型不对：{m.string}",
    ),
    (
        re.compile(r"^Value '([^']*)' does not exist in '([^']+)' enum"),
        lambda m: f"{m.group(2)} 没有取值 {m.group(1)}。",
    ),
    (
        re.compile(r"^Field '([^']+)' of type '([^']+)' must have a selection of subfields"),
        lambda m: f"字段 {m.group(1)}（类型 {m.group(2)}）须列出要返回的子字段。",
    ),
    (
        re.compile(r"^Field '([^']+)' must not have a selection since type"),
        lambda m: f"字段 {m.group(1)} 是标量，不能再选择子字段。",
    ),
    (
        re.compile(r"^Too many validation errors"),
        lambda m: "查询中的错误过多，已停止检查：请先改正前面的错误。",
    ),
    (
        re.compile(r"^Validation aborted"),
        lambda m: "查询嵌套过深（含片段展开后的层数），无法检查。",
    ),
    (
        re.compile(r"^Unknown operation named '([^']+)'"),
        lambda m: f"查询中没有名为 {m.group(1)} 的操作。",
    ),
    (
        re.compile(r"^Must provide operation name if query contains multiple operations"),
        lambda m: "查询包含多个操作，请用 operationName 指定要执行的一个。",
    ),
    (
        re.compile(r"^Must provide query string"),
        lambda m: "请求中没有查询：请在 query 中提供 GraphQL 查询文本。",
    ),
    (
        re.compile(r"^Can only perform a (\w+) operation from a POST request"),
        lambda m: f"{m.group(1)} 操作只能用 POST 请求发送。",
    ),
]

HAN = re.compile(r"[\u4e00-\u9fff]")


def in_chinese(message: str) -> str:
    """graphql-core's English message in Chinese; messages already in Chinese stay."""
    if HAN.search(message):
        return message
    for pattern, render in TRANSLATIONS:
        match = pattern.search(message)
        if match:
            return render(match)
    return f"查询有误：{message}"


def oversized(body: str | bytes | None) -> RequestRefused | None:
    """The refusal of an answer over ``GRAPHQL_MAX_RESPONSE_BYTES``; None when it fits.

    Checked on the encoded answer, which is at hand anyway: the cost limit keeps the work
    small, this keeps what one request sends small too (long texts, many aliases).
    """
    if body is None:
        return None
    size = len(body.encode() if isinstance(body, str) and not body.isascii() else body)
    limit = max_response_bytes()
    if size <= limit:
        return None
    return RequestRefused(
        f"查询结果过大：{size} 字节，最多 {limit} 字节。请减少字段或每页条数（first），"
        "或分页、分次查询。",
        code="RESPONSE_TOO_LARGE",
    )


class PublicApiView(ApiView):
    """The endpoint with the limits above and every error message in Chinese."""

    validation_rules = VALIDATION_RULES

    def validation_config(self) -> tuple[Any, ...]:
        return (max_depth(), max_cost(), max_page_size(), introspection_allowed())

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = max_body_bytes()
        if declared > limit:
            return self.refusal(
                request,
                RequestRefused(
                    f"请求体过大：{declared} 字节，最多 {limit} 字节。请精简查询，"
                    "或使用已登记的查询编号。",
                    status=413,
                    code="REQUEST_TOO_LARGE",
                ),
            )
        return super().dispatch(request, *args, **kwargs)

    def get_response(
        self, request: HttpRequest, data: Any, show_graphiql: bool = False
    ) -> tuple[str | None, int]:
        body, status = super().get_response(request, data, show_graphiql)
        refused = oversized(body)
        if refused is not None:
            return self.refusal_body(request, refused), refused.status
        return body, status

    def result_response(self, request: HttpRequest, result: ExecutionResult) -> HttpResponse:
        response = super().result_response(request, result)
        refused = oversized(response.content)
        return response if refused is None else self.refusal(request, refused)

    @staticmethod
    def format_error(error: Any) -> dict[str, Any]:
        formatted = ApiView.format_error(error)
        if isinstance(formatted, dict) and isinstance(formatted.get("message"), str):
            formatted["message"] = in_chinese(formatted["message"])
        return formatted
