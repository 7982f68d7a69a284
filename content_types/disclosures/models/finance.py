"""收支公开: a fund's statement for one period, its lines adding up to the closing balance."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from content_types.disclosures.forms import ROWS_MISMATCH, RowCheckedPageForm

from .base import (
    ZERO,
    DisclosurePage,
    Errors,
    ReportingPeriod,
    money_field,
    row_errors,
    yuan,
)

if TYPE_CHECKING:
    from collections.abc import Iterable
    from decimal import Decimal

    from django.http import HttpRequest


class Fund(models.TextChoices):
    SHARED_REVENUE = "shared_revenue", "共有收益"
    MAINTENANCE_FUND = "maintenance_fund", "专项维修资金"
    COMMITTEE_FUNDS = "committee_funds", "业委会运行经费"


class Direction(models.TextChoices):
    INCOME = "income", "收入"
    EXPENDITURE = "expenditure", "支出"


def line_totals(lines: Iterable[FinanceLine]) -> tuple[Decimal, Decimal]:
    """Income and expenditure of a statement's lines."""
    income = expenditure = ZERO
    for line in lines:
        if line.direction == Direction.INCOME:
            income += line.amount
        else:
            expenditure += line.amount
    return income, expenditure


class FinanceStatementPage(DisclosurePage, ReportingPeriod):  # noqa: DJ008 (Page's title)
    """收支公开 of one fund for one period: 共有收益, 专项维修资金 or 业委会运行经费."""

    fund = models.CharField("资金类别", max_length=32, choices=Fund.choices)
    opening_balance = money_field("期初余额（元）")
    closing_balance = money_field(
        "期末余额（元）", help_text="须等于 期初余额 + 收入合计 − 支出合计，精确到分。"
    )

    base_form_class = RowCheckedPageForm
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("fund"),
                FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
            ],
            heading="资金与期间",
        ),
        FieldRowPanel(
            [FieldPanel("opening_balance"), FieldPanel("closing_balance")], heading="余额"
        ),
        InlinePanel("lines", heading="收支明细", label="收支"),
        FieldPanel("notes"),
    ]
    search_fields = [
        *DisclosurePage.search_fields,
        index.FilterField("fund"),
        index.RelatedFields("lines", [index.SearchField("category")]),
    ]

    class Meta:
        verbose_name = "资金收支公开"
        verbose_name_plural = "资金收支公开"

    def figure_errors(self) -> Errors:
        errors = super().figure_errors()
        self.add_period_errors(errors)
        lines = list(self.lines.all())
        if problems := row_errors(lines, "收支明细"):
            errors[NON_FIELD_ERRORS].extend(problems)
            return errors
        if self.opening_balance is None or self.closing_balance is None:
            return errors
        income, expenditure = line_totals(lines)
        computed = self.opening_balance + income - expenditure
        if computed != self.closing_balance:
            errors["closing_balance"].append(
                ValidationError(
                    f"期初余额 + 收入 − 支出 = {yuan(computed)}，与期末余额 "
                    f"{yuan(self.closing_balance)}不符，相差 "
                    f"{yuan(abs(computed - self.closing_balance))}。",
                    code=ROWS_MISMATCH,
                )
            )
        return errors

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        lines = list(self.lines.all())
        context["lines"] = lines
        context["income_total"], context["expenditure_total"] = line_totals(lines)
        return context


class FinanceLine(Orderable):
    page = ParentalKey(FinanceStatementPage, on_delete=models.CASCADE, related_name="lines")
    direction = models.CharField("收支", max_length=16, choices=Direction.choices)
    category = models.CharField(
        "科目", max_length=100, help_text="如：停车费、广告位租金、电梯维修"
    )
    description = models.CharField("摘要", max_length=255, blank=True)
    amount = money_field("金额（元）")

    panels = [
        FieldRowPanel([FieldPanel("direction"), FieldPanel("category"), FieldPanel("amount")]),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "收支明细"
        verbose_name_plural = "收支明细"

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.category} {self.amount}"
