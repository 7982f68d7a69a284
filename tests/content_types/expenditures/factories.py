"""Factories for expenditure proposals and their usage reports.

Usage::

    proposal = ExpenditureProposalPageFactory(parent=compound)      # one quote with a document
    ExpenditureProposalPageFactory(parent=compound, quotes=[], live=False)
    report = UsageReportPageFactory(parent=proposal, amount_spent=Decimal("48000.00"))
    UsageReportPageFactory(
        parent=proposal,
        invoices=[UsageInvoiceFactory.build()],
        photos=[UsagePhotoFactory.build()],
    )

Rows are passed built, not saved: the page saves them with itself. Their documents and images
are created (saved) at once, since a row cannot point at an unsaved file.
"""

from datetime import date
from decimal import Decimal

import factory
import wagtail_factories

from content_types.disclosures.models import Fund
from content_types.expenditures.models import (
    ExpenditureProposalPage,
    ProposalQuote,
    UsageInvoice,
    UsagePhoto,
    UsageReportPage,
)
from core.civil_code import Matter


class ProposalQuoteFactory(factory.django.DjangoModelFactory):
    supplier = factory.Sequence(lambda n: f"第{n}电梯工程有限公司")
    amount = Decimal("49800.00")
    document = factory.LazyFunction(lambda: wagtail_factories.DocumentFactory(title="报价单"))

    class Meta:
        model = ProposalQuote


class ExpenditureProposalPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"大额资金使用申请（第{n}号）")
    slug = factory.Sequence(lambda n: f"proposal-{n}")
    purpose = "更换3幢两部电梯的曳引钢丝绳和制动器。"
    amount = Decimal("50000.00")
    fund_source = Fund.MAINTENANCE_FUND
    matter = Matter.USE_MAINTENANCE_FUND
    usage_report_due = date(2024, 12, 31)
    quotes = factory.LazyFunction(lambda: [ProposalQuoteFactory.build()])

    class Meta:
        model = ExpenditureProposalPage


class UsageInvoiceFactory(factory.django.DjangoModelFactory):
    document = factory.LazyFunction(lambda: wagtail_factories.DocumentFactory(title="发票"))
    note = "增值税普通发票"

    class Meta:
        model = UsageInvoice


class UsagePhotoFactory(factory.django.DjangoModelFactory):
    image = factory.LazyFunction(lambda: wagtail_factories.ImageFactory(title="施工照片"))
    caption = "更换后的曳引钢丝绳"

    class Meta:
        model = UsagePhoto


class UsageReportPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"资金使用情况公开（第{n}号）")
    slug = factory.Sequence(lambda n: f"usage-{n}")
    amount_spent = Decimal("49800.00")
    description = "两部电梯已完成更换并通过特种设备检验。"
    invoices = factory.LazyFunction(list)
    photos = factory.LazyFunction(list)

    class Meta:
        model = UsageReportPage
