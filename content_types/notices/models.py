"""Notices (通知公告) of a community or a compound, for the website and the public screens.

A notice is valid for a time: Wagtail's own scheduled publishing (``go_live_at``) and expiry
(``expire_at``) carry that, so an expired notice is unpublished by the same job that publishes
scheduled pages, and screens need no date logic of their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from wagtail.admin.panels import (
    CommentPanel,
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from content_types.roles.issuers import IssuingBody

from .blocks import NoticeBodyBlock

if TYPE_CHECKING:
    from django.forms import ModelForm


class ValidityInContentTabs(TabbedInterface):
    """Tabs for pages whose go-live and expiry fields sit in the content tab.

    Editors of a compound rarely open Wagtail's scheduling dialog, so the validity dates are
    shown with the content instead; the status panel's link to the missing dialog goes too.
    """

    def get_form_class(self) -> type[ModelForm]:
        form_class = super().get_form_class()
        form_class.show_schedule_publishing_toggle = False
        return form_class


class NoticeCategory(models.TextChoices):
    NOTICE = "notice", "通知"
    ANNOUNCEMENT = "announcement", "公告"
    PUBLICITY = "publicity", "公示"
    EVENT = "event", "活动"


class NoticePage(Page):
    """One notice, announcement, publicity or event of a community or a compound."""

    category = models.CharField(
        "类别", max_length=16, choices=NoticeCategory.choices, default=NoticeCategory.NOTICE
    )
    summary = models.TextField(
        "摘要",
        max_length=200,
        blank=True,
        help_text="公开屏和列表只显示摘要，200 字以内；留空则只显示标题。",
    )
    body = StreamField(NoticeBodyBlock(), verbose_name="正文")
    pinned = models.BooleanField(
        "置顶", default=False, help_text="置顶的通知排在列表和公开屏最前。"
    )
    show_on_screens = models.BooleanField(
        "在公开屏展示", default=True, help_text="取消勾选则只在网站上公开，公开屏不显示。"
    )

    # Printed with the community's name when its author's role does not say (``roles.issuers``).
    issued_by = IssuingBody.COMMUNITY
    parent_page_types = ["structure.CommunityPage", "structure.CompoundPage"]
    subpage_types: list[str] = []

    content_panels = [
        *Page.content_panels,
        FieldRowPanel(
            [FieldPanel("category"), FieldPanel("pinned"), FieldPanel("show_on_screens")]
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel(
                    "go_live_at",
                    heading="生效时间",
                    help_text="审核通过发布后，到此时间才公开；留空则发布即公开。",
                ),
                FieldPanel(
                    "expire_at",
                    heading="失效时间",
                    help_text="到此时间自动下线，网站和公开屏都不再显示；留空则长期有效。",
                ),
            ],
            heading="有效期",
        ),
    ]
    edit_handler = ValidityInContentTabs(
        [
            ObjectList(content_panels, heading="内容"),
            ObjectList(Page.promote_panels, heading="推广"),
            ObjectList([CommentPanel()], heading="设置"),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("category"),
        index.FilterField("pinned"),
        index.FilterField("show_on_screens"),
    ]

    class Meta:
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"
