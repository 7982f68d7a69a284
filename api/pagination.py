"""Cursor pagination with a maximum page size: asking for more is an error, never a silent cap.

Cursors are keyset cursors (the sort value and the id of the last item, base64-encoded JSON),
so a page does not shift when something is published while a client pages through a list.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from dataclasses import dataclass
from typing import Any

import graphene
from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime

from graphql import GraphQLError

DEFAULT_PAGE_SIZE = 20


def max_page_size() -> int:
    return int(getattr(settings, "GRAPHQL_MAX_PAGE_SIZE", 100))


def page_size(first: int | None, *, argument: str = "first") -> int:
    """The size asked for, refused in Chinese when it is out of bounds."""
    if first is None:
        return min(DEFAULT_PAGE_SIZE, max_page_size())
    limit = max_page_size()
    if first > limit:
        raise GraphQLError(
            f"每次最多返回 {limit} 条，{argument} 请求了 {first} 条；请减少数量并用 after 翻页。",
            extensions={"code": "PAGE_SIZE_EXCEEDED"},
        )
    if first < 1:
        raise GraphQLError(
            f"{argument} 须为 1 到 {limit} 之间的整数，收到 {first}。",
            extensions={"code": "BAD_PAGE_SIZE"},
        )
    return first


@dataclass(frozen=True)
class SortKey:
    """One way to order a list: a field, its direction, and the id as a tie-breaker."""

    field: str
    descending: bool

    @property
    def order_by(self) -> tuple[str, str]:
        sign = "-" if self.descending else ""
        return (f"{sign}{self.field}", f"{sign}pk")

    def after(self, value: Any, pk: int) -> Q:
        op = "lt" if self.descending else "gt"
        return Q(**{f"{self.field}__{op}": value}) | Q(**{self.field: value, f"pk__{op}": pk})


def _encode(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "dt" in value:
        return parse_datetime(value["dt"])
    if isinstance(value, dict) and "d" in value:
        return parse_date(value["d"])
    return value


# The largest id a cursor may carry: SQLite's and PostgreSQL's 64-bit integers.
MAX_CURSOR_ID = 2**63 - 1


def _cursor_text(value: Any, pk: int) -> str:
    raw = json.dumps([_encode(value), pk], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode()


def encode_cursor(item: Any, key: SortKey) -> str:
    return _cursor_text(getattr(item, key.field), item.pk)


def _fits(value: Any, field: models.Field) -> bool:
    """Whether ``value`` is of the kind ``field`` holds, as the database takes it."""
    if isinstance(field, models.DateTimeField):
        if not isinstance(value, datetime.datetime) or value.utcoffset() is None:
            return False
        value.astimezone(datetime.UTC)  # OverflowError beyond the calendar, as the database
        return True
    if isinstance(field, models.DateField):
        return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)
    if isinstance(field, models.CharField | models.TextField):
        return isinstance(value, str) and "\x00" not in value
    return False


def decode_cursor(cursor: str, field: models.Field) -> tuple[Any, int]:
    """The sort value and id in ``cursor``, when it is one the API could issue for ``field``.

    Anything else is ``BAD_CURSOR``: not base64 of the JSON ``[value, id]``, a value not of the
    field's kind, an id that is not a positive 64-bit integer, or any other spelling than the
    API's own (the value and id must encode back to ``cursor``). So nothing a client makes up
    reaches the database, and no Python or database message reaches the client.
    """
    try:
        value, pk = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")).decode())
        decoded = _decode(value)
        if not (
            type(pk) is int
            and 0 < pk <= MAX_CURSOR_ID
            and _fits(decoded, field)
            and _cursor_text(decoded, pk) == cursor
        ):
            raise ValueError
    except (ValueError, TypeError, UnicodeError, binascii.Error, OverflowError) as bad:
        raise GraphQLError(
            "翻页游标 after 无效：请使用上一页返回的 pageInfo.endCursor。",
            extensions={"code": "BAD_CURSOR"},
        ) from bad
    return decoded, pk


class PageInfo(graphene.ObjectType):
    has_next_page = graphene.Boolean(required=True, description="是否还有下一页")
    end_cursor = graphene.String(description="本页最后一项的游标，传给 after 取下一页")

    class Meta:
        description = "翻页信息"


@dataclass
class Slice:
    """One page of a list, and how to ask for the next."""

    queryset: QuerySet
    items: list[Any]
    page_info: dict[str, Any]

    @property
    def total_count(self) -> int:
        return self.queryset.count()


def paginate(queryset: QuerySet, key: SortKey, first: int | None, after: str | None) -> Slice:
    """Keyset pagination; one query for the page (one more for ``totalCount`` if asked)."""
    size = page_size(first)
    ordered = queryset.order_by(*key.order_by)
    page = ordered
    if after:
        field = queryset.model._meta.get_field(key.field)
        page = page.filter(key.after(*decode_cursor(after, field)))
    items = list(page[: size + 1])
    has_next = len(items) > size
    items = items[:size]
    end = encode_cursor(items[-1], key) if items else None
    return Slice(ordered, items, {"has_next_page": has_next, "end_cursor": end})


def connection(item_type: type[graphene.ObjectType], name: str, label: str) -> type:
    """A list type for ``item_type``: its items, the page info and the total."""

    def resolve_page_info(page: Slice, info: Any) -> dict[str, Any]:
        return page.page_info

    def resolve_total_count(page: Slice, info: Any) -> int:
        return page.total_count

    return type(
        name,
        (graphene.ObjectType,),
        {
            "items": graphene.List(graphene.NonNull(item_type), required=True),
            "page_info": graphene.Field(PageInfo, required=True),
            "total_count": graphene.Int(required=True, description="符合条件的总数"),
            "resolve_page_info": staticmethod(resolve_page_info),
            "resolve_total_count": staticmethod(resolve_total_count),
            "Meta": type("Meta", (), {"description": f"{label}（分页）"}),
        },
    )
