"""物业费收缴公开晾晒: what was due and what came in, overall and per building."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page

from content_types.disclosures.forms import ROWS_MISMATCH, RowCheckedPageForm
from content_types.roles.issuers import IssuingBody

from .base import (
    DisclosurePage,
    Errors,
    ReportingPeriod,
    money_field,
    percent,
    row_errors,
    yuan,
)

if TYPE_CHECKING:
    from decimal import Decimal

    from django.http import HttpRequest


class CollectionFigures(models.Model):
    """How much of the property fee came in, for a compound or for one building."""

    households_total = models.PositiveIntegerField("应缴户数")
    households_paid = models.PositiveIntegerField("已缴户数")
    amount_due = money_field("应收金额（元）")
    amount_collected = money_field(
        "实收金额（元）",
        help_text="只填本期应收中已收到的金额，不得超过应收金额；往期欠费和预缴请在说明中另列。",
    )

    class Meta:
        abstract = True

    @property
    def rate_by_amount(self) -> Decimal | None:
        """收缴率（按金额）, in percent; None when nothing was due."""
        return percent(self.amount_collected, self.amount_due)

    @property
    def rate_by_households(self) -> Decimal | None:
        """收缴率（按户数）, in percent; None when no household owed anything."""
        return percent(self.households_paid, self.households_total)

    def add_collection_errors(self, errors: Errors) -> None:
        paid, total = self.households_paid, self.households_total
        if paid is not None and total is not None and paid > total:
            errors["households_paid"].append(
                ValidationError(f"已缴户数 {paid} 户超过应缴户数 {total} 户。")
            )
        collected, due = self.amount_collected, self.amount_due
        if collected is not None and due is not None and collected > due:
            errors["amount_collected"].append(
                ValidationError(
                    f"实收金额 {yuan(collected)}超过应收金额 {yuan(due)}；"
                    "往期欠费和预缴不计入本期收缴率，请在说明中另列。"
                )
            )


# Figures a compound states once and per building, with how to name them to owners.
COLLECTION_FIGURES = {
    "households_total": ("应缴户数", "户"),
    "households_paid": ("已缴户数", "户"),
    "amount_due": ("应收金额", "元"),
    "amount_collected": ("实收金额", "元"),
}


class FeeCollectionPage(DisclosurePage, ReportingPeriod, CollectionFigures):  # noqa: DJ008
    """物业费收缴公开晾晒: what was due and what came in, overall and per building."""

    issued_by = IssuingBody.PROPERTY_FIRM
    base_form_class = RowCheckedPageForm
    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")], heading="收缴期间"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("households_total"), FieldPanel("households_paid")]),
                FieldRowPanel([FieldPanel("amount_due"), FieldPanel("amount_collected")]),
            ],
            heading="全小区合计",
            help_text="收缴率由系统按金额和户数自动计算。填写了各楼栋明细时，合计须与明细之和一致。",
        ),
        InlinePanel("buildings", heading="各楼栋明细（可选）", label="楼栋"),
        FieldPanel("notes"),
    ]

    class Meta:
        verbose_name = "物业费收缴公开"
        verbose_name_plural = "物业费收缴公开"

    def figure_errors(self) -> Errors:
        errors = super().figure_errors()
        self.add_period_errors(errors)
        self.add_collection_errors(errors)
        buildings = list(self.buildings.all())
        if problems := row_errors(buildings, "楼栋明细"):
            errors[NON_FIELD_ERRORS].extend(problems)
            return errors
        if not buildings:
            return errors
        for name, (label, unit) in COLLECTION_FIGURES.items():
            stated = getattr(self, name)
            summed = sum((getattr(building, name) for building in buildings), 0)
            if stated is not None and summed != stated:
                errors[name].append(
                    ValidationError(
                        f"各楼栋{label}合计 {summed} {unit}，与全小区{label} {stated} {unit}不符。",
                        code=ROWS_MISMATCH,
                    )
                )
        return errors

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        buildings = list(self.buildings.all())
        context["buildings"] = buildings
        # What the chart draws and the table beside it lists: one row per building.
        context["rates"] = [
            {
                "building": row.building,
                "households": row.rate_by_households,
                "amount": row.rate_by_amount,
            }
            for row in buildings
        ]
        return context


class BuildingCollection(CollectionFigures, Orderable):
    page = ParentalKey(FeeCollectionPage, on_delete=models.CASCADE, related_name="buildings")
    building = models.CharField("楼栋", max_length=50, help_text="如：1幢、2幢1单元")

    panels = [
        FieldPanel("building"),
        FieldRowPanel([FieldPanel("households_total"), FieldPanel("households_paid")]),
        FieldRowPanel([FieldPanel("amount_due"), FieldPanel("amount_collected")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "楼栋收缴情况"
        verbose_name_plural = "楼栋收缴情况"

    def __str__(self) -> str:
        return self.building

    def clean(self) -> None:
        super().clean()
        errors: Errors = defaultdict(list)
        self.add_collection_errors(errors)
        if errors:
            raise ValidationError(dict(errors))
