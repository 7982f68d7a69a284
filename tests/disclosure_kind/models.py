"""电梯年检公示, a disclosure kind the tests register (``tests/api/test_disclosure_kinds.py``)."""

from __future__ import annotations

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable

from content_types.disclosures.models import DisclosurePage, ReportingPeriod


class InspectionReportPage(DisclosurePage, ReportingPeriod):  # noqa: DJ008 (Page's title)
    elevators_inspected = models.PositiveIntegerField("检验电梯数")

    # Not offered in the admin: the tests add these pages in code.
    parent_page_types: list[str] = []

    class Meta:
        verbose_name = "电梯年检公示"


class InspectionFinding(Orderable):
    page = ParentalKey(InspectionReportPage, on_delete=models.CASCADE, related_name="findings")
    elevator = models.CharField("电梯", max_length=50)
    passed = models.BooleanField("合格", default=True)

    class Meta(Orderable.Meta):
        verbose_name = "检验结果"

    def __str__(self) -> str:
        return self.elevator
