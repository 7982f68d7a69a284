"""Notices (通知公告), with their body as clean HTML, their attachments and their pictures.

Each part of a body is loaded for every notice a request lists at once (``remember_for_bodies``),
in a fixed number of queries whatever their number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import graphene
from graphene_django import DjangoObjectType

from api import loaders
from api.richtext import expand_many, stream_rich_text
from api.rows import NoticeRow
from api.visibility import Visibility
from content_types.notices.images import (
    SCREEN_RENDITION,
    ImageBlockData,
    image_blocks,
    screen_rendition,
)
from content_types.notices.models import NoticeCategory, NoticePage

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

NoticeCategoryEnum = graphene.Enum.from_enum(NoticeCategory, name="NoticeCategory")

BATCH_ATTRIBUTE = "_weizhi_notice_bodies"


Listed = TypeVar("Listed", NoticePage, NoticeRow)


def remember_for_bodies(context: Any, notices: Iterable[Listed]) -> list[Listed]:
    """Note the notices a list returns, so that their bodies are expanded in one pass."""
    notices = list(notices)
    batch = getattr(context, BATCH_ATTRIBUTE, None)
    if batch is None:
        batch = []
        setattr(context, BATCH_ATTRIBUTE, batch)
    batch.extend(notices)
    return notices


def _batched(
    context: Any, notice: NoticePage, attribute: str, load: Callable[[Any, list[NoticePage]], None]
) -> Any:
    """``notice``'s value of ``attribute``, loaded by ``load`` for all listed notices at once.

    ``load`` takes the notices still without the value and sets it on each of them.
    """
    if getattr(notice, attribute, None) is None:
        pending = [
            each
            for each in getattr(context, BATCH_ATTRIBUTE, None) or [notice]
            if getattr(each, attribute, None) is None
        ]
        if notice not in pending:
            pending.append(notice)
        load(context, pending)
    return getattr(notice, attribute)


def _load_body_html(context: Any, notices: list[NoticePage]) -> None:
    for each, html in zip(
        notices,
        expand_many([stream_rich_text(each.body.raw_data) for each in notices]),
        strict=True,
    ):
        each.api_body_html = html


class AttachmentType(graphene.ObjectType):
    title = graphene.String(required=True, description="显示名称")
    url = graphene.String(required=True, description="下载地址")

    class Meta:
        name = "Attachment"
        description = "通知附件"


def _load_attachments(context: Any, notices: list[NoticePage]) -> None:
    """The notices' downloadable files: the documents of all of them in one query.

    Documents in a collection under a view restriction are left out, as Wagtail would refuse
    to serve them to the public.
    """
    blocks = {
        each.pk: [
            block["value"]
            for block in each.body.raw_data
            if block.get("type") == "attachment" and isinstance(block.get("value"), dict)
        ]
        for each in notices
    }
    documents = loaders.public_documents(
        Visibility.of(context),
        (value.get("document") for values in blocks.values() for value in values),
    )
    for each in notices:
        each.api_attachments = [
            {
                "title": value.get("title") or documents[value["document"]].title,
                "url": documents[value["document"]].url,
            }
            for value in blocks[each.pk]
            if value.get("document") in documents
        ]


class NoticeImageType(graphene.ObjectType):
    url = graphene.String(
        required=True,
        description=f"图片地址：缩放到 1920×1080 以内（{SCREEN_RENDITION}），不裁剪、不放大",
    )
    width = graphene.Int(required=True, description="该图片的宽度（像素）")
    height = graphene.Int(required=True, description="该图片的高度（像素）")
    alt = graphene.String(required=True, description="替代文字；装饰性图片为空")
    caption = graphene.String(required=True, description="图片说明；没有则为空")

    class Meta:
        name = "NoticeImage"
        description = "通知正文中的图片"


def _alt_text(block: ImageBlockData, image: Any) -> str:
    """The block's alt text; none for a decorative picture; else the image's (Wagtail's rule)."""
    if block.decorative:
        return ""
    return block.alt_text or image.default_alt_text


def _load_images(context: Any, notices: list[NoticePage]) -> None:
    """The notices' pictures, in body order: images and renditions of all of them in two queries.

    Pictures in a collection under a view restriction are left out, like attachments. Each
    comes as its ``SCREEN_RENDITION`` (see ``content_types.notices.images`` for why that size),
    made when the notice was published; one found missing is made now, once.
    """
    blocks = {each.pk: image_blocks(each.body.raw_data) for each in notices}
    images = loaders.public_images(
        Visibility.of(context), (block.image_id for found in blocks.values() for block in found)
    )
    renditions = {pk: screen_rendition(image) for pk, image in images.items()}
    for each in notices:
        each.api_images = [
            {
                "url": rendition.url,
                "width": rendition.width,
                "height": rendition.height,
                "alt": _alt_text(block, images[block.image_id]),
                "caption": block.caption,
            }
            for block in blocks[each.pk]
            if (rendition := renditions.get(block.image_id)) is not None
        ]


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
    images = graphene.List(
        graphene.NonNull(NoticeImageType),
        required=True,
        description="正文中的图片，按正文顺序（仅可公开的图片）",
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
        return _batched(info.context, notice, "api_body_html", _load_body_html)

    @staticmethod
    def resolve_attachments(notice: NoticePage, info: Any) -> list[dict[str, str]]:
        return _batched(info.context, notice, "api_attachments", _load_attachments)

    @staticmethod
    def resolve_images(notice: NoticePage, info: Any) -> list[dict[str, Any]]:
        return _batched(info.context, notice, "api_images", _load_images)

    @staticmethod
    def resolve_url(notice: NoticePage, info: Any) -> str | None:
        return notice.get_url(request=None)
