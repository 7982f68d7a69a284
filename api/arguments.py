"""The arguments every list query shares: its scope, its page and its order."""

from __future__ import annotations

from typing import Any, Literal, overload

import graphene

from content_types.structure.models import CommunityPage, CompoundPage
from graphql import GraphQLError

from .pagination import SortKey
from .scope import Scope, find_scope

SCOPE_HELP = "slug 或 id"


class Ordering(graphene.Enum):
    """列表的排序方式"""

    NEWEST = "newest"
    OLDEST = "oldest"
    TITLE = "title"

    @property
    def description(self) -> str:
        return {"newest": "最新在前", "oldest": "最早在前", "title": "按标题"}[self.value]


# graphene's enum members, as plain values (what arguments arrive as).
ORDERING_VALUES: dict[str, str] = {
    member.name: member.value
    for member in Ordering._meta.enum  # noqa: SLF001 - graphene's API
}


def sort_key(ordering: Any, date_field: str = "first_published_at") -> SortKey:
    ordering = getattr(ordering, "value", ordering)
    if ordering == ORDERING_VALUES["TITLE"]:
        return SortKey("title", descending=False)
    return SortKey(date_field, descending=ordering != ORDERING_VALUES["OLDEST"])


@overload
def scope_of(
    info: Any,
    compound: str | None = None,
    community: str | None = None,
    *,
    required: Literal[True] = True,
) -> Scope: ...
@overload
def scope_of(
    info: Any, compound: str | None = None, community: str | None = None, *, required: bool
) -> Scope | None: ...
def scope_of(
    info: Any, compound: str | None = None, community: str | None = None, *, required: bool = True
) -> Scope | None:
    """The scope a list query names: exactly one of a compound or a community."""
    if compound and community:
        raise GraphQLError("请只指定 compound 或 community 其中之一。")
    if community:
        return find_scope(info.context, community, CommunityPage)
    if compound or required:
        return find_scope(info.context, compound, CompoundPage)
    return None


def scope_arguments() -> dict[str, graphene.Argument]:
    return {
        "compound": graphene.String(description=f"小区的{SCOPE_HELP}"),
        "community": graphene.String(description=f"社区的{SCOPE_HELP}"),
    }


def list_arguments() -> dict[str, Any]:
    return {
        "first": graphene.Int(description="每页条数，默认 20，最多见 GRAPHQL_MAX_PAGE_SIZE"),
        "after": graphene.String(description="上一页的 pageInfo.endCursor"),
        "order_by": graphene.Argument(Ordering, default_value=ORDERING_VALUES["NEWEST"]),
        "date_from": graphene.Date(description="开始日期（含）"),
        "date_to": graphene.Date(description="结束日期（含）"),
    }
