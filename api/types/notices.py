"""Notices (通知公告), with their body as clean HTML."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import graphene
from graphene_django import DjangoObjectType

from content_types.notices.models import NoticeCategory, NoticePage

from ..richtext import expand_many, stream_rich_text

NoticeCategoryEnum = graphene.Enum.from_enum(NoticeCategory, name="NoticeCategory")

BATCH_ATTRIBUTE = "_weizhi_notice_bodies"


def remember_for_bodies(context: Any, notices: Iterable[NoticePage]) -> list[NoticePage]:
    """Note the notices a list returns, so that their bodies are expanded in one pass."""
    notices = list(notices)
    batch = getattr(context, BATCH_ATTRIBUTE, None)
    if batch is None:
        batch = []
        setattr(context, BATCH_ATTRIBUTE, batch)
    batch.extend(notices)
    return notices


def _body_html(context: Any, notice: NoticePage) -> str:
    cached = getattr(notice, "_api_body_html", None)
    if cached is not None:
        return cached
    pending = [
        each
        for each in getattr(context, BATCH_ATTRIBUTE, None) or [notice]
        if getattr(each, "_api_body_html", None) is None
    ]
    if notice not in pending:
        pending.append(notice)
    for each, html in zip(
        pending,
        expand_many([stream_rich_text(each.body.raw_data) for each in pending]),
        strict=True,
    ):
        each._api_body_html = html
    return notice._api_body_html


class NoticeType(DjangoObjectType):
    category = NoticeCategoryEnum(required=True, description="类别")
    category_label = graphene.String(required=True, description="类别名称")
    published_at = graphene.DateTime(description="首次发布时间")
    expires_at = graphene.DateTime(description="失效时间；为空表示长期有效")
    body_html = graphene.String(
        required=True, description="正文的文字段落（HTML，内部链接已解析为网址）"
    )
    url = graphene.String(description="网站上的地址")

    class Meta:
        model = NoticePage
        name = "Notice"
        fields = ("id", "title", "slug", "summary", "pinned")
        description = "通知公告"

    @staticmethod
    def resolve_category(notice: NoticePage, info: Any) -> str:
        return notice.category

    @staticmethod
    def resolve_category_label(notice: NoticePage, info: Any) -> str:
        return notice.get_category_display()

    @staticmethod
    def resolve_published_at(notice: NoticePage, info: Any) -> Any:
        return notice.first_published_at

    @staticmethod
    def resolve_expires_at(notice: NoticePage, info: Any) -> Any:
        return notice.expire_at

    @staticmethod
    def resolve_body_html(notice: NoticePage, info: Any) -> str:
        return _body_html(info.context, notice)

    @staticmethod
    def resolve_url(notice: NoticePage, info: Any) -> str | None:
        return notice.get_url(request=None)
