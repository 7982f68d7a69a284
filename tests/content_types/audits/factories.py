"""Factories for audits and their findings.

Usage::

    audit = AuditFactory(committee=committee)  # a 换届审计 of the committee's term, planned today
    AuditFindingFactory(audit=audit, amount=Decimal("12800.00"))  # an open finding
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from content_types.audits.models import Audit, AuditFinding, AuditKind


class AuditFactory(factory.django.DjangoModelFactory):
    compound = factory.LazyAttribute(lambda audit: audit.committee.compound)
    kind = AuditKind.TERM_END
    period_start = factory.LazyAttribute(lambda audit: audit.committee.term_start)
    period_end = factory.LazyAttribute(lambda audit: audit.committee.term_end)
    auditor = "街道财务审计中心"
    planned_on = factory.LazyFunction(timezone.localdate)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))

    class Meta:
        model = Audit


class AuditFindingFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"第{n}项：共有收益未按时公开")
    amount = Decimal("12800.00")
    requirement = "限期补充公开并说明原因。"

    class Meta:
        model = AuditFinding
