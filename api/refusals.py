"""How the endpoint says no: one GraphQL error in Chinese with a 4xx status, never a 500."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graphql import GraphQLError


class RequestRefused(Exception):
    """A request answered with one GraphQL error in Chinese and a 4xx status."""

    def __init__(self, message: str, status: int = 400, code: str = "BAD_REQUEST") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


# A text with U+0000 names nothing here, and PostgreSQL cannot even compare one.
NUL_REFUSED = "查询中的文本不能包含空字符（U+0000）。"


def contains_nul(value: Any) -> bool:
    """Whether a JSON value holds U+0000 in any string, keys included."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(key) or contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False


def variable_refusal(error: GraphQLError) -> RequestRefused:
    match = re.search(r"Variable '\$(\w+)'", error.message)
    name = f" ${match.group(1)}" if match else ""
    return RequestRefused(
        f"查询变量{name}缺失或取值不合要求，请按查询的定义提供。", code="BAD_VARIABLES"
    )
