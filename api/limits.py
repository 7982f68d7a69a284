"""The public endpoint's limits, and its errors in Chinese.

* Query depth: at most ``GRAPHQL_MAX_DEPTH`` levels of fields (fragments followed), so a
  query cannot nest lists into an expensive tree.
* Request size: a body over ``GRAPHQL_MAX_BODY_BYTES`` is refused before it is read.
* Page size: see ``pagination`` (a list asked for more than the maximum is an error).
* Introspection: allowed only when ``GRAPHQL_INTROSPECTION`` is on (dev and tests; off by
  default in production). GraphiQL follows ``DEBUG``.

graphql-core words its errors in English; clients here are read by Chinese staff, so each
known message is put into Chinese (names of fields and types stay as they are).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValidationRule,
    specified_rules,
)

from .views import NUL_REFUSED, ApiView, RequestRefused


def max_depth() -> int:
    return int(getattr(settings, "GRAPHQL_MAX_DEPTH", 10))


def max_body_bytes() -> int:
    return int(getattr(settings, "GRAPHQL_MAX_BODY_BYTES", 64 * 1024))


def introspection_allowed() -> bool:
    return bool(getattr(settings, "GRAPHQL_INTROSPECTION", False))


def _depth(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str] = frozenset(),
) -> int:
    if selection_set is None:
        return 0
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value.startswith("__") and selection.selection_set is None:
                continue
            deepest = max(deepest, 1 + _depth(selection.selection_set, fragments, seen))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, _depth(selection.selection_set, fragments, seen))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in seen or name not in fragments:
                continue  # cycles and unknown fragments are reported by graphql-core's rules
            deepest = max(deepest, _depth(fragments[name].selection_set, fragments, seen | {name}))
    return deepest


class DepthLimitRule(ValidationRule):
    """Refuse operations nested deeper than ``GRAPHQL_MAX_DEPTH``."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *args: Any) -> None:
        fragments = {
            definition.name.value: definition
            for definition in self.context.document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        depth = _depth(node.selection_set, fragments)
        limit = max_depth()
        if depth > limit:
            self.report_error(
                GraphQLError(
                    f"查询嵌套过深：{depth} 层，最多允许 {limit} 层。",
                    node,
                    extensions={"code": "QUERY_TOO_DEEP"},
                )
            )


class IntrospectionRule(ValidationRule):
    """Refuse ``__schema`` and ``__type`` unless ``GRAPHQL_INTROSPECTION`` is on."""

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
    """Refuse string literals holding U+0000 (see ``views.NUL_REFUSED``)."""

    def enter_string_value(self, node: StringValueNode, *args: Any) -> None:
        if "\x00" in node.value:
            self.report_error(GraphQLError(NUL_REFUSED, node))


VALIDATION_RULES = (*specified_rules, DepthLimitRule, IntrospectionRule, NulCharacterRule)

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


class PublicApiView(ApiView):
    """The endpoint with the limits above and every error message in Chinese."""

    validation_rules = VALIDATION_RULES

    def validation_config(self) -> tuple[Any, ...]:
        return (max_depth(), introspection_allowed())

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

    @staticmethod
    def format_error(error: Any) -> dict[str, Any]:
        formatted = ApiView.format_error(error)
        if isinstance(formatted, dict) and isinstance(formatted.get("message"), str):
            formatted["message"] = in_chinese(formatted["message"])
        return formatted
