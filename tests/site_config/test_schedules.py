"""Disclosure schedules from the file flag the compounds late with a disclosure."""

from __future__ import annotations

import datetime

import pytest

from content_types.structure.models import CompoundPage
from site_config.apply import apply_file
from site_config.models import DisclosureSchedule
from site_config.schedules import last_finished_period, overdue_compounds
from tests.content_types.disclosures.factories import FeeCollectionPageFactory

from .conftest import EXAMPLE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("months", "today", "period"),
    [
        (3, datetime.date(2024, 4, 20), (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))),
        (3, datetime.date(2024, 1, 5), (datetime.date(2023, 10, 1), datetime.date(2023, 12, 31))),
        (6, datetime.date(2024, 9, 1), (datetime.date(2024, 1, 1), datetime.date(2024, 6, 30))),
        (12, datetime.date(2024, 2, 29), (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))),
        (1, datetime.date(2024, 3, 1), (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))),
    ],
)
def test_the_last_finished_calendar_period(months, today, period) -> None:
    assert last_finished_period(months, today) == period


def test_a_quarterly_fee_disclosure_is_overdue_after_its_grace_days(empty_site) -> None:
    apply_file(EXAMPLE)
    schedule = DisclosureSchedule.objects.get(code="fee-collection")
    assert (schedule.period, schedule.grace_days) == ("quarter", 15)
    jinxiu = CompoundPage.objects.get(slug="jinxiu")
    FeeCollectionPageFactory(
        parent=jinxiu, period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 3, 31)
    )
    # An older period does not cover the quarter now due.
    FeeCollectionPageFactory(
        parent=CompoundPage.objects.get(slug="cuizhu"),
        period_start=datetime.date(2023, 10, 1),
        period_end=datetime.date(2023, 12, 31),
    )

    within_grace = overdue_compounds(schedule, datetime.date(2024, 4, 15))
    late = {page.slug for page in overdue_compounds(schedule, datetime.date(2024, 4, 16))}

    assert not within_grace.exists()
    assert late == {"yangguang", "longshan-gongyu", "cuizhu", "jiangbin-yipin", "binjiang"}
