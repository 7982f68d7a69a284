"""Notices (通知公告), with their body as clean HTML."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import graphene
from graphene_django import DjangoObjectType
from wagtail.documents import get_document_model
from wagtail.models import CollectionViewRestriction

from content_types.notices.models import NoticeCategory, NoticePage

from ..richtext import expand_many, stream_rich_text
from ..rows import NoticeRow

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


class AttachmentType(graphene.ObjectType):
    title = graphene.String(required=True, description="显示名称")
    url = graphene.String(required=True, description="下载地址")

    class Meta:
        name = "Attachment"
        description = "通知附件"


def _attachments(context: Any, notice: NoticePage) -> list[dict[str, str]]:
    """The notice's downloadable files: the documents of all listed notices in one query.

    Documents in a collection under a view restriction are left out, as Wagtail would refuse
    to serve them to the public.
    """
    cached = getattr(notice, "_api_attachments", None)
    if cached is not None:
        return cached
    pending = [
        each
        for each in getattr(context, BATCH_ATTRIBUTE, None) or [notice]
        if getattr(each, "_api_attachments", None) is None
    ]
    if notice not in pending:
        pending.append(notice)
    blocks = {
        each.pk: [
            block["value"]
            for block in each.body.raw_data
            if block.get("type") == "attachment" and isinstance(block.get("value"), dict)
        ]
        for each in pending
    }
    ids = {value.get("document") for values in blocks.values() for value in values}
    ids.discard(None)
    documents = {}
    if ids:
        restricted = CollectionViewRestriction.objects.values_list("collection__path", flat=True)
        queryset = get_document_model().objects.filter(pk__in=ids)
        for path in restricted:
            queryset = queryset.exclude(collection__path__startswith=path)
        documents = queryset.in_bulk()
    for each in pending:
        each._api_attachments = [
            {
                "title": value.get("title") or documents[value["document"]].title,
                "url": documents[value["document"]].url,
            }
            for value in blocks[each.pk]
            if value.get("document") in documents
        ]
    return notice._api_attachments


class NoticeType(DjangoObjectType):
    category = NoticeCategoryEnum(required=True, description="类别")
    category_label = graphene.String(required=True, description="类别名称")
    published_at = graphene.DateTime(description="首次发布时间")
    expires_at = graphene.DateTime(description="失效时间；为空表示长期有效")
    body_html = graphene.String(
        required=True, description="正文的文字段落（HTML，内部链接已解析为网址）"
    )
    url = graphene.String(description="网站上的地址")
    attachments = graphene.List(
        graphene.NonNull(AttachmentType), required=True, description="附件（可公开下载的文件）"
    )

    class Meta:
        model = NoticePage
        name = "Notice"
        fields = ("id", "title", "slug", "summary", "pinned")
        description = "通知公告"

    @classmethod
    def is_type_of(cls, root: Any, info: Any) -> bool:
        return isinstance(root, NoticeRow) or super().is_type_of(root, info)

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
    def resolve_attachments(notice: NoticePage, info: Any) -> list[dict[str, str]]:
        return _attachments(info.context, notice)

    @staticmethod
    def resolve_url(notice: NoticePage, info: Any) -> str | None:
        return notice.get_url(request=None)
