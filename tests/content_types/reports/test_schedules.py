"""A schedule asks each compound under its scope for the period that has just ended: due until
its day, overdue after; submitted, acknowledged or returned as the community office reads it.

锦绣花园's owners' committee reports quarterly to 凤鸣社区 within 15 days of the quarter's end;
the first quarter of 2026 is due on 15 April.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import TestCase

from content_types.reports import services
from content_types.reports.dues import DueState, report_dues
from content_types.reports.models import Report, ReportStatus
from content_types.roles.models import Role
from content_types.structure.models import CompoundPage
from tests.conftest import build_street_tree, ensure_wagtail_root
from workflows.chains.models import Notification

from .factories import HEADINGS, ReportScheduleFactory, role_holders, written

IN_GRACE = datetime.date(2026, 4, 10)
DEADLINE = datetime.date(2026, 4, 15)
LATE = datetime.date(2026, 4, 20)

PEOPLE = (
    ("committee", Role.OWNERS_COMMITTEE, "compound_a1"),
    ("firm", Role.PROPERTY_FIRM, "compound_a1"),
    ("office_a", Role.COMMUNITY_OFFICE, "community_a"),
    ("office_b", Role.COMMUNITY_OFFICE, "community_b"),
    ("committee_a2", Role.OWNERS_COMMITTEE, "compound_a2"),
)


class ReportTestData(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.tree = build_street_tree(ensure_wagtail_root())
        cls.users = role_holders(cls.tree, PEOPLE)
        cls.schedule = ReportScheduleFactory(scope=cls.tree.community_a)

    def state_of(self, compound: CompoundPage, today: datetime.date) -> str:
        dues = report_dues(CompoundPage.objects.filter(pk=compound.pk), today)
        assert len(dues) == 1
        return dues[0].state


class DueTest(ReportTestData):
    def test_a_period_without_a_report_is_due_until_its_day_and_overdue_after(self) -> None:
        a1 = self.tree.compound_a1
        assert self.state_of(a1, IN_GRACE) == DueState.DUE
        assert self.state_of(a1, DEADLINE) == DueState.DUE
        assert self.state_of(a1, LATE) == DueState.OVERDUE
        due = report_dues(CompoundPage.objects.filter(pk=a1.pk), LATE)[0]
        assert due.period.label == "2026年第一季度"
        assert due.period.deadline == DEADLINE
        assert due.missing and due.state_label == "已逾期"

    def test_only_compounds_under_the_schedule_scope_owe_it(self) -> None:
        dues = report_dues(CompoundPage.objects.all(), IN_GRACE)
        assert {due.compound.title for due in dues} == {"锦绣花园", "阳光水岸"}

    def test_a_draft_does_not_count_as_reported(self) -> None:
        report = services.start(self.schedule, self.tree.compound_a1, self.users["committee"], LATE)
        assert report.status == ReportStatus.DRAFT
        assert self.state_of(self.tree.compound_a1, LATE) == DueState.OVERDUE

    def test_a_submitted_report_waits_for_the_community_and_is_acknowledged(self) -> None:
        report = written(self.schedule, self.tree.compound_a1, self.users["committee"], LATE)
        services.submit(report, self.users["committee"])
        assert self.state_of(self.tree.compound_a1, LATE) == DueState.SUBMITTED
        assert Report.objects.get(pk=report.pk).is_late  # submitted after 15 April
        told = Notification.objects.filter(recipient=self.users["office_a"])
        assert [n.subject for n in told] == [f"【工作报告】{report}已提交，请阅知"]
        assert not Notification.objects.filter(recipient=self.users["office_b"]).exists()

        services.acknowledge(report, self.users["office_a"], "已阅，请继续做好维修资金公示。")
        assert self.state_of(self.tree.compound_a1, LATE) == DueState.ACKNOWLEDGED
        report = Report.objects.get(pk=report.pk)
        assert report.reviewed_by == self.users["office_a"]
        told = Notification.objects.filter(recipient=self.users["committee"]).first()
        assert told is not None and "已阅知" in told.subject and "维修资金公示" in told.body

    def test_a_returned_report_is_back_with_its_writers_and_overdue_after_its_day(self) -> None:
        report = written(self.schedule, self.tree.compound_a1, self.users["committee"], IN_GRACE)
        services.submit(report, self.users["committee"])
        services.return_report(report, self.users["office_a"], "请补充维修资金支出明细。")
        assert self.state_of(self.tree.compound_a1, IN_GRACE) == DueState.RETURNED
        assert self.state_of(self.tree.compound_a1, LATE) == DueState.OVERDUE
        told = Notification.objects.get(recipient=self.users["committee"])
        assert "被退回修改" in told.subject and "维修资金支出明细" in told.body
        services.submit(report, self.users["committee"])  # resubmitted after the changes
        assert self.state_of(self.tree.compound_a1, IN_GRACE) == DueState.SUBMITTED

    def test_the_next_period_is_asked_for_once_the_quarter_ends(self) -> None:
        report = written(self.schedule, self.tree.compound_a1, self.users["committee"], IN_GRACE)
        services.submit(report, self.users["committee"])
        services.acknowledge(report, self.users["office_a"])
        july = datetime.date(2026, 7, 3)
        due = report_dues(CompoundPage.objects.filter(pk=self.tree.compound_a1.pk), july)[0]
        assert due.period.label == "2026年第二季度" and due.state == DueState.DUE


class StepsTest(ReportTestData):
    def test_a_report_is_begun_from_the_schedule_outline_once(self) -> None:
        committee = self.users["committee"]
        report = services.start(self.schedule, self.tree.compound_a1, committee, IN_GRACE)
        assert [s.heading for s in report.sections.all()] == HEADINGS
        assert report.title == "锦绣花园2026年第一季度业委会季度工作报告"
        assert report.due_on == DEADLINE
        again = services.start(self.schedule, self.tree.compound_a1, committee, IN_GRACE)
        assert again.pk == report.pk and Report.objects.count() == 1

    def test_only_the_schedule_role_of_the_compound_begins_and_submits(self) -> None:
        for username, compound in (
            ("firm", self.tree.compound_a1),
            ("committee_a2", self.tree.compound_a1),
            ("committee", self.tree.compound_b1),
        ):
            with pytest.raises(services.ReportRefused):
                services.start(self.schedule, compound, self.users[username], IN_GRACE)
        assert not Report.objects.exists()
        report = written(self.schedule, self.tree.compound_a1, self.users["committee"], IN_GRACE)
        with pytest.raises(services.ReportRefused, match="业委会撰写和提交"):
            services.submit(report, self.users["firm"])
        assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT

    def test_an_unwritten_part_stops_the_submission_and_names_it(self) -> None:
        committee = self.users["committee"]
        report = services.start(self.schedule, self.tree.compound_a1, committee, IN_GRACE)
        first = report.sections.first()
        first.body = "完成了电梯维修。"
        first.save()
        with pytest.raises(services.ReportRefused, match="“财务收支情况”、“存在问题及下步打算”"):
            services.submit(report, committee)
        assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT

    def test_only_the_community_office_reads_back_and_a_return_needs_comments(self) -> None:
        report = written(self.schedule, self.tree.compound_a1, self.users["committee"], IN_GRACE)
        with pytest.raises(services.ReportRefused, match="不能阅知"):
            services.acknowledge(report, self.users["committee"])  # not yet submitted
        services.submit(report, self.users["committee"])
        for username in ("committee", "firm", "office_b"):
            with pytest.raises(services.ReportRefused, match="社区微治办阅知"):
                services.acknowledge(report, self.users[username])
        with pytest.raises(services.ReportRefused, match="修改意见"):
            services.return_report(report, self.users["office_a"], "  ")
        assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
        services.acknowledge(report, self.users["office_a"])
        with pytest.raises(services.ReportRefused, match="已阅知"):
            services.return_report(report, self.users["office_a"], "再补充。")
