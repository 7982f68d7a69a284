"""The street's structure as a page tree: street → community → compound.

The tree is the permission boundary: a role is granted on a subtree, so the
place a page sits in decides who may see and edit it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from .public import public_children

if TYPE_CHECKING:
    from django.http import HttpRequest


class ListsPublicChildren(Page):
    """A page listing the public pages under it (``children`` in its template)."""

    class Meta:
        abstract = True

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["children"] = public_children(self).specific()
        return context


class StreetPage(ListsPublicChildren):
    """One street (街道), the root of one Wagtail site."""

    region = models.CharField("所属区县", max_length=100, blank=True, help_text="如：绍兴市上虞区")
    intro = RichTextField("简介", blank=True, features=["bold", "italic", "link", "ol", "ul"])

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["structure.CommunityPage"]

    content_panels = [*Page.content_panels, FieldPanel("region"), FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("region")]

    class Meta:
        verbose_name = "街道"
        verbose_name_plural = "街道"


class CommunityPage(ListsPublicChildren):
    """A community (社区) of the street, with its office's public contact."""

    address = models.CharField("社区地址", max_length=255, blank=True)
    office_phone = models.CharField(
        "社区办公电话",
        max_length=50,
        blank=True,
        help_text="公开展示的办公电话，不要填写个人手机号。",
    )
    intro = RichTextField("简介", blank=True, features=["bold", "italic", "link", "ol", "ul"])

    # Children name their own parents (compounds, community notices).
    parent_page_types = ["structure.StreetPage"]

    content_panels = [
        *Page.content_panels,
        FieldPanel("address"),
        FieldPanel("office_phone"),
        FieldPanel("intro"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("address")]

    class Meta:
        verbose_name = "社区"
        verbose_name_plural = "社区"

    @property
    def compounds(self) -> models.QuerySet[CompoundPage]:
        return CompoundPage.objects.child_of(self)


class CompoundPage(Page):
    """A residential compound (小区): the unit of self-governance and of scope."""

    address = models.CharField("小区地址", max_length=255)
    household_count = models.PositiveIntegerField("户数", default=0)
    total_exclusive_area = models.DecimalField(
        "专有部分总面积（平方米）",
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    commissioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="小区专员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commissioned_compounds",
        help_text="由社区选派的社工，一般由网格长或专职网格员担任。",
    )

    # Notices, disclosures and proposals name this page as their parent.
    parent_page_types = ["structure.CommunityPage"]

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("household_count"),
                FieldPanel("total_exclusive_area"),
            ],
            heading="基本情况",
        ),
        FieldPanel("commissioner"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("address")]

    class Meta:
        verbose_name = "小区"
        verbose_name_plural = "小区"

    @property
    def community(self) -> CommunityPage | None:
        parent = self.get_parent()
        return parent.specific if parent else None
