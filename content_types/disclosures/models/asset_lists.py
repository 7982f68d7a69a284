"""三张清单: public resources, assets and funds, and what each earns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from .base import (
    NOT_NEGATIVE,
    ZERO,
    DisclosurePage,
    Errors,
    money_field,
    row_errors,
)

if TYPE_CHECKING:
    from django.http import HttpRequest


class AssetKind(models.TextChoices):
    PUBLIC_RESOURCE = "public_resource", "公共资源"
    ASSET = "asset", "资产"
    FUND = "fund", "资金"


class AssetListsPage(DisclosurePage):
    """三张清单: the compound's public resources, assets and funds, and what each earns."""

    as_of = models.DateField("清查日期", help_text="清单反映的是哪一天的情况。")

    content_panels = [
        *Page.content_panels,
        FieldPanel("as_of"),
        InlinePanel("items", heading="清单条目", label="条目"),
        FieldPanel("notes"),
    ]
    search_fields = [
        *DisclosurePage.search_fields,
        index.RelatedFields("items", [index.SearchField("name"), index.SearchField("location")]),
    ]

    class Meta:
        verbose_name = "三张清单"
        verbose_name_plural = "三张清单"

    def figure_errors(self) -> Errors:
        errors = super().figure_errors()
        errors[NON_FIELD_ERRORS].extend(row_errors(list(self.items.all()), "清单"))
        return errors

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        items = list(self.items.all())
        context["lists"] = [
            {
                "label": label,
                "items": rows,
                "annual_income": sum((row.annual_income for row in rows), ZERO),
            }
            for kind, label in AssetKind.choices
            if (rows := [item for item in items if item.kind == kind])
        ]
        context["annual_income_total"] = sum((item.annual_income for item in items), ZERO)
        return context


class AssetItem(Orderable):
    page = ParentalKey(AssetListsPage, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField("清单", max_length=32, choices=AssetKind.choices)
    name = models.CharField(
        "名称", max_length=100, help_text="如：地面停车位、电梯广告位、维修资金定期存款"
    )
    location = models.CharField("位置", max_length=255, blank=True)
    quantity = models.DecimalField(
        "数量或金额", max_digits=14, decimal_places=2, validators=[NOT_NEGATIVE]
    )
    unit = models.CharField("单位", max_length=20, help_text="如：个、平方米、元")
    usage = models.CharField(
        "使用情况", max_length=255, blank=True, help_text="如：出租给某公司、闲置"
    )
    annual_income = money_field(
        "年收益（元/年）", default=ZERO, help_text="每年带来的收入，没有收益填 0。"
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("location"), FieldPanel("quantity"), FieldPanel("unit")]),
        FieldRowPanel([FieldPanel("usage"), FieldPanel("annual_income")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "清单条目"
        verbose_name_plural = "清单条目"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.name}"
