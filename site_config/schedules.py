"""Which compounds are late with a disclosure their schedule asks for.

Periods follow the calendar (months, quarters, half-years, years). A
disclosure for the last finished period is due ``grace_days`` after it ends;
once that day has passed, a compound with no live page of the schedule's type
covering the period (``period_end`` on or after the period's last day, or for
pages without a period, published after it ended) is overdue.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import Page

from content_types.structure.models import CompoundPage

from .models import DisclosureSchedule


def last_finished_period(months: int, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the latest calendar period of ``months`` ended before today."""
    index = (today.year * 12 + today.month - 1) // months * months - months
    start = datetime.date(index // 12, index % 12 + 1, 1)
    after = index + months
    end = datetime.date(after // 12, after % 12 + 1, 1) - datetime.timedelta(days=1)
    return start, end


def due_date(schedule: DisclosureSchedule, today: datetime.date) -> datetime.date:
    _, end = last_finished_period(schedule.period_months, today)
    return end + datetime.timedelta(days=schedule.grace_days)


def overdue_compounds(
    schedule: DisclosureSchedule, today: datetime.date | None = None
) -> QuerySet[CompoundPage]:
    """Live compounds under the schedule's scope without the disclosure now due (two queries)."""
    today = today or timezone.localdate()
    _, end = last_finished_period(schedule.period_months, today)
    compounds = CompoundPage.objects.live().descendant_of(schedule.scope, inclusive=True)
    if today <= end + datetime.timedelta(days=schedule.grace_days):
        return compounds.none()
    model = apps.get_model(schedule.page_type)
    fields = {field.name for field in model._meta.get_fields()}
    if "period_end" in fields:
        covering = Q(period_end__gte=end)
    else:
        covering = Q(first_published_at__date__gt=end)
    paths = (
        model.objects.live()
        .filter(covering, path__startswith=schedule.scope.path)
        .values_list("path", flat=True)
    )
    done = {path[: -Page.steplen] for path in paths}
    return compounds.exclude(path__in=done)
