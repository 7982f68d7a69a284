"""使用情况公开: an approved proposal's usage report falls due, is flagged when late, reminded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from content_types.expenditures.models import ExpenditureProposalPage
from tests.content_types.expenditures.factories import UsageReportPageFactory
from workflows.chains.models import Notification
from workflows.chains.tasks import remind_overdue_usage_reports

from .test_expenditure_chain import act, draft, home_html, login, submit

# The expenditure chains and the people of compounds a1 and b1 come from this folder's conftest.
pytestmark = pytest.mark.django_db


def usage_panel(username: str) -> str:
    html = home_html(username)
    if 'id="weizhi-usage-reports-section"' not in html:
        return ""
    return html.split('id="weizhi-usage-reports-section"')[1].split("</section>")[0]


@pytest.fixture
def approved(chains, people, street_tree):
    page = draft(street_tree.compound_a1, amount="30000.00", title="单元门禁更换")
    submit(login("drafter_a1"), page)
    act(login("chair_a1"), page, "approve")
    act(login("office_a"), page, "approve")
    page = ExpenditureProposalPage.objects.get(pk=page.pk)
    assert page.live
    return page


def set_due(page, days_from_today: int) -> None:
    due = timezone.localdate() + timedelta(days=days_from_today)
    ExpenditureProposalPage.objects.filter(pk=page.pk).update(usage_report_due=due)


def test_a_report_due_later_is_listed_but_not_flagged(approved):
    set_due(approved, 10)
    panel = usage_panel("chair_a1")
    assert "单元门禁更换" in panel and "须于" in panel
    assert "usage-overdue" not in panel
    assert remind_overdue_usage_reports() == 0


def test_a_late_report_is_flagged_for_its_compound_only(approved, people):
    set_due(approved, -3)
    for username in ("chair_a1", "commissioner_a1", "office_a"):
        panel = usage_panel(username)
        assert "单元门禁更换" in panel and "已逾期，使用情况尚未公开" in panel, username
    for username in ("chair_b1", "office_b", "firm_a1"):
        assert "单元门禁更换" not in home_html(username), username


def test_the_daily_job_reminds_the_compound_once_a_day(approved, people):
    set_due(approved, -3)
    assert remind_overdue_usage_reports() > 0
    reminded = set(
        Notification.objects.filter(event=Notification.Event.OVERDUE).values_list(
            "recipient__username", flat=True
        )
    )
    assert {"chair_a1", "commissioner_a1", "office_a", "party_a"} <= reminded
    assert not reminded & {"chair_b1", "office_b", "firm_b1", "firm_a1"}
    note = Notification.objects.filter(recipient=people["chair"], event="overdue").get()
    assert "单元门禁更换" in note.subject and "逾期 3 天" in note.body
    assert "单元门禁更换" in home_html("chair_a1").split('id="weizhi-notifications-section"')[1]
    # Run again the same day: nobody is told twice.
    assert remind_overdue_usage_reports() == 0


def test_publishing_the_report_clears_the_flag(approved):
    set_due(approved, -3)
    UsageReportPageFactory(parent=approved, title="门禁更换使用情况（草稿）", live=False)
    assert "单元门禁更换" in usage_panel("chair_a1")  # a draft report is not a published one
    UsageReportPageFactory(parent=approved, title="门禁更换使用情况")
    assert "单元门禁更换" not in usage_panel("chair_a1")
    assert remind_overdue_usage_reports() == 0


def test_beat_runs_the_reminder_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["remind-overdue-usage-reports"]
    assert entry["task"] == remind_overdue_usage_reports.name
