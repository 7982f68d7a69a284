"""物业公示: services, standards and fees, and how shared energy costs were split."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from content_types.disclosures.forms import RowCheckedPageForm
from content_types.roles.issuers import IssuingBody

from .base import (
    NOT_NEGATIVE,
    DisclosurePage,
    Errors,
    ReportingPeriod,
    money_field,
    round_half_up,
    row_errors,
)

if TYPE_CHECKING:
    from django.http import HttpRequest


class EnergyKind(models.TextChoices):
    ELECTRICITY = "electricity", "电"
    WATER = "water", "水"
    OTHER = "other", "其他"


class SplitBasis(models.TextChoices):
    AREA = "area", "按面积"
    HOUSEHOLD = "household", "按户"


class PropertyServicesPage(DisclosurePage):
    """物业公示: services, their standards and fees, and how shared energy costs were split."""

    effective_from = models.DateField("执行日期", help_text="以下服务内容和收费标准自何日起执行。")

    issued_by = IssuingBody.PROPERTY_FIRM
    base_form_class = RowCheckedPageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("effective_from"),
        InlinePanel("services", heading="服务内容、服务标准和收费标准", label="服务项目"),
        InlinePanel("energy_splits", heading="公共能耗分摊", label="分摊记录"),
        FieldPanel("notes"),
    ]
    search_fields = [
        *DisclosurePage.search_fields,
        index.RelatedFields("services", [index.SearchField("item")]),
    ]

    class Meta:
        verbose_name = "物业服务与公共能耗公示"
        verbose_name_plural = "物业服务与公共能耗公示"

    def figure_errors(self) -> Errors:
        errors = super().figure_errors()
        errors[NON_FIELD_ERRORS].extend(
            [
                *row_errors(list(self.services.all()), "服务项目"),
                *row_errors(list(self.energy_splits.all()), "能耗分摊"),
            ]
        )
        return errors

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["services"] = list(self.services.all())
        context["energy_splits"] = list(self.energy_splits.all())
        return context


class ServiceItem(Orderable):
    page = ParentalKey(PropertyServicesPage, on_delete=models.CASCADE, related_name="services")
    item = models.CharField("服务项目", max_length=100, help_text="如：保洁、秩序维护、绿化养护")
    standard = models.TextField("服务标准", help_text="如：楼道每日清扫一次，每周拖洗一次。")
    fee = models.DecimalField(
        "收费金额",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE],
        help_text="不单独收费的项目留空。",
    )
    fee_unit = models.CharField("计费单位", max_length=30, blank=True, help_text="如：元/平方米·月")

    panels = [
        FieldPanel("item"),
        FieldPanel("standard"),
        FieldRowPanel([FieldPanel("fee"), FieldPanel("fee_unit")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "服务项目"
        verbose_name_plural = "服务项目"

    def __str__(self) -> str:
        return self.item

    def clean(self) -> None:
        super().clean()
        if self.fee is not None and not self.fee_unit:
            raise ValidationError({"fee_unit": "填写了收费金额，请同时填写计费单位。"})


class EnergyCostSplit(ReportingPeriod, Orderable):
    page = ParentalKey(PropertyServicesPage, on_delete=models.CASCADE, related_name="energy_splits")
    kind = models.CharField("能耗类别", max_length=16, choices=EnergyKind.choices)
    total_cost = money_field("分摊总费用（元）")
    basis = models.CharField("分摊方式", max_length=16, choices=SplitBasis.choices)
    split_over = models.DecimalField(
        "分摊总面积或总户数",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message="须大于 0。")],
        help_text="按面积分摊填参与分摊的总面积（平方米），按户分摊填参与分摊的总户数。",
    )

    panels = [
        FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("total_cost")]),
        FieldRowPanel([FieldPanel("basis"), FieldPanel("split_over")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "公共能耗分摊"
        verbose_name_plural = "公共能耗分摊"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start}—{self.period_end}"

    @property
    def unit_label(self) -> str:
        return "元/平方米" if self.basis == SplitBasis.AREA else "元/户"

    @property
    def share(self) -> Decimal | None:
        """Each owner's part: per m² to 0.0001 yuan, where a fen would hide too much; per home to
        the fen."""
        if not self.split_over or self.total_cost is None:
            return None
        places = 4 if self.basis == SplitBasis.AREA else 2
        return round_half_up(Fraction(self.total_cost) / Fraction(self.split_over), places)

    def clean(self) -> None:
        super().clean()
        errors: Errors = defaultdict(list)
        self.add_period_errors(errors)
        if (
            self.basis == SplitBasis.HOUSEHOLD
            and self.split_over is not None
            and self.split_over != self.split_over.to_integral_value()
        ):
            errors["split_over"].append(ValidationError("按户分摊时，总户数须为整数。"))
        if errors:
            raise ValidationError(dict(errors))
