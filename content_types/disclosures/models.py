"""Disclosures (公开公示): figures a compound must publish, kept as rows owners can check.

The figures are structured rather than prose so that totals and rates are computed, never typed,
and so that a statement that does not add up cannot be saved at all — not from the admin, not
from code, not even as a draft.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.http import HttpRequest
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from .forms import ROWS_MISMATCH, RowCheckedPageForm

Errors = defaultdict[str, list[ValidationError]]

ZERO = Decimal("0.00")
NOT_NEGATIVE = MinValueValidator(Decimal("0"), message="不能为负数。")
NUMERIC_FIELDS = (models.DecimalField, models.IntegerField)


def money_field(verbose_name: str, **kwargs: Any) -> models.DecimalField:
    """Yuan to the fen; a disclosure never has a negative amount, only a direction."""
    return models.DecimalField(
        verbose_name, max_digits=14, decimal_places=2, validators=[NOT_NEGATIVE], **kwargs
    )


def round_half_up(value: Fraction, places: int) -> Decimal:
    """Round an exact, non-negative ratio the way people do, with no float or 28-digit step."""
    scaled = value * 10**places
    quotient, remainder = divmod(scaled.numerator, scaled.denominator)
    if 2 * remainder >= scaled.denominator:
        quotient += 1
    return Decimal(quotient).scaleb(-places)


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole`` to two places; None when there is no base."""
    if not whole:
        return None
    return round_half_up(Fraction(part) / Fraction(whole) * 100, 2)


def yuan(amount: Decimal) -> str:
    return f"{amount:.2f} 元"


def row_errors(rows: Sequence[models.Model], label: str) -> list[ValidationError]:
    """The admin checks each row in its own form; pages built in code must meet the same bar."""
    problems: list[ValidationError] = []
    for number, row in enumerate(rows, start=1):
        messages = [
            f"“{field.verbose_name}”不能为负数。"
            for field in row._meta.concrete_fields
            if isinstance(field, NUMERIC_FIELDS)
            and (value := getattr(row, field.attname)) is not None
            and value < 0
        ]
        try:
            row.clean()
        except ValidationError as error:
            messages.extend(error.messages)
        problems.extend(
            ValidationError(f"{label}第 {number} 行：{message}") for message in messages
        )
    return problems


class Fund(models.TextChoices):
    SHARED_REVENUE = "shared_revenue", "共有收益"
    MAINTENANCE_FUND = "maintenance_fund", "专项维修资金"
    COMMITTEE_FUNDS = "committee_funds", "业委会运行经费"


class ReportingPeriod(models.Model):
    """The span a set of figures covers."""

    period_start = models.DateField("起始日期")
    period_end = models.DateField("截止日期")

    class Meta:
        abstract = True

    def add_period_errors(self, errors: Errors) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"].append(
                ValidationError(
                    f"截止日期 {self.period_end:%Y-%m-%d} 早于起始日期 "
                    f"{self.period_start:%Y-%m-%d}，请检查。"
                )
            )


class FiguresHoldInDrafts:
    """For pages of money: their numbers and dates must hold even in a draft.

    Wagtail checks only the title and slug of a draft, so that text can stay blank until
    publishing; a draft with an impossible figure would still be stored and shown to reviewers.
    """

    def save(self, clean: bool = True, **kwargs: Any) -> None:
        if clean and not self.live:
            figures = {
                field.name
                for field in self._meta.local_fields
                if isinstance(field, (*NUMERIC_FIELDS, models.DateField))
            }
            self.full_clean(
                exclude=[field.name for field in self._meta.fields if field.name not in figures],
                validate_unique=False,
                validate_constraints=False,
            )
        return super().save(clean=clean, **kwargs)


class DisclosurePage(FiguresHoldInDrafts, Page):
    """What every disclosure shares: it belongs to one compound and its figures must hold."""

    notes = models.TextField(
        "说明", blank=True, help_text="需要向业主说明的情况，如数据来源、异常原因。"
    )

    parent_page_types = ["structure.CompoundPage"]
    subpage_types: list[str] = []
    search_fields = [*Page.search_fields, index.SearchField("notes")]

    class Meta:
        abstract = True

    def figure_errors(self) -> Errors:
        """Problems with the figures, by field; each page type adds its own."""
        return defaultdict(list)

    def clean(self) -> None:
        super().clean()
        if errors := {field: found for field, found in self.figure_errors().items() if found}:
            raise ValidationError(errors)


# --------------------------------------------------------------------------- finance statements


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


# --------------------------------------------------------------------------- fee collection


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
        context["buildings"] = list(self.buildings.all())
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


# --------------------------------------------------------------------------- three lists


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


# --------------------------------------------------------------------------- property services


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
