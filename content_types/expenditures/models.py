"""Large expenditures (大额资金使用): the proposal owners decide on, and the later usage report.

These pages are the content of 四审两公开; the review chain that moves a proposal through the
four reviews is attached elsewhere. The matter type is stored in the voting rule engine's own
codes so that the owners' assembly vote applies the right Civil Code threshold to it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from content_types.disclosures.models import FiguresHoldInDrafts, Fund, money_field, row_errors
from content_types.structure.public import public_children
from core.amount_tiers import AmountTieredWorkflowMixin
from core.civil_code import Matter

if TYPE_CHECKING:
    from django.http import HttpRequest

OTHER_FUND = "other"
FUND_SOURCES = [*Fund.choices, (OTHER_FUND, "其他")]
MATTERS = [(matter.value, matter.label) for matter in Matter]


class ExpenditureProposalPage(AmountTieredWorkflowMixin, FiguresHoldInDrafts, Page):
    """大额资金使用申请 of one compound, with the quotes it rests on.

    Its chain comes from the chain rules by amount tier (四审两公开 above the
    threshold, the committee's short chain below it).
    """

    purpose = models.TextField("用途", help_text="资金用于什么项目、解决什么问题、涉及哪些部位。")
    amount = models.DecimalField(
        "申请金额（元）",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message="申请金额须大于 0 元。")],
    )
    fund_source = models.CharField("资金来源", max_length=32, choices=FUND_SOURCES)
    matter = models.CharField(
        "表决事项",
        max_length=32,
        choices=MATTERS,
        help_text="按《民法典》第二百七十八条归类；它决定业主大会的同意门槛。",
    )
    usage_report_due = models.DateField(
        "使用情况公开截止日期", help_text="资金使用后，须在此日期前公开使用情况。"
    )

    parent_page_types = ["structure.CompoundPage"]
    subpage_types = ["expenditures.UsageReportPage"]

    content_panels = [
        *Page.content_panels,
        FieldPanel("purpose"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("amount"), FieldPanel("fund_source")]),
                FieldPanel("matter"),
                FieldPanel("usage_report_due"),
            ],
            heading="资金与表决",
        ),
        InlinePanel("quotes", heading="报价", label="报价单"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("purpose"),
        index.FilterField("fund_source"),
        index.FilterField("matter"),
    ]

    class Meta:
        verbose_name = "大额资金使用申请"
        verbose_name_plural = "大额资金使用申请"

    @property
    def matter_rule(self) -> Matter:
        return Matter(self.matter)

    def clean(self) -> None:
        super().clean()
        if problems := row_errors(list(self.quotes.all()), "报价"):
            raise ValidationError(problems)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["quotes"] = list(self.quotes.select_related("document"))
        context["usage_reports"] = list(public_children(self, UsageReportPage))
        return context


class ProposalQuote(Orderable):
    page = ParentalKey(ExpenditureProposalPage, on_delete=models.CASCADE, related_name="quotes")
    supplier = models.CharField("报价单位", max_length=100)
    amount = money_field("报价金额（元）")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="报价单",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="上传或选择盖章的报价单扫描件。",
    )

    panels = [
        FieldRowPanel([FieldPanel("supplier"), FieldPanel("amount")]),
        FieldPanel("document"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "报价"
        verbose_name_plural = "报价"

    def __str__(self) -> str:
        return f"{self.supplier} {self.amount}"


class UsageReportPage(FiguresHoldInDrafts, Page):
    """使用情况公开: what the approved money was actually spent on, with invoices and photos."""

    amount_spent = money_field("实际使用金额（元）")
    description = models.TextField(
        "使用情况说明", help_text="完成了哪些工作、验收情况、结余或超支原因。"
    )

    parent_page_types = ["expenditures.ExpenditureProposalPage"]
    subpage_types: list[str] = []

    content_panels = [
        *Page.content_panels,
        FieldPanel("amount_spent"),
        FieldPanel("description"),
        InlinePanel("invoices", heading="发票", label="发票"),
        InlinePanel("photos", heading="现场照片", label="照片"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("description")]

    class Meta:
        verbose_name = "资金使用情况公开"
        verbose_name_plural = "资金使用情况公开"

    @property
    def proposal(self) -> ExpenditureProposalPage:
        return self.get_parent().specific

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        proposal = self.proposal
        context["proposal"] = proposal
        context["overspent"] = self.amount_spent > proposal.amount
        context["difference"] = abs(self.amount_spent - proposal.amount)
        context["invoices"] = list(self.invoices.select_related("document"))
        context["photos"] = list(
            self.photos.select_related("image").prefetch_related("image__renditions")
        )
        return context


class UsageInvoice(Orderable):
    page = ParentalKey(UsageReportPage, on_delete=models.CASCADE, related_name="invoices")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="发票",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("说明", max_length=255, blank=True, help_text="如：开票单位、金额。")

    panels = [FieldPanel("document"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = "发票"
        verbose_name_plural = "发票"


class UsagePhoto(Orderable):
    page = ParentalKey(UsageReportPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="照片",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    caption = models.CharField("说明", max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = "现场照片"
        verbose_name_plural = "现场照片"
