"""The committee of 锦绣花园 writes its quarterly report in the admin from the schedule's outline
and submits it; 凤鸣社区's office reads it and acknowledges it or returns it with comments. The
dashboard flags what is missing or overdue; another compound's users see none of it.
"""

from __future__ import annotations

from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content_types.accounts.models import AuditAction, AuditEvent
from content_types.reports import services
from content_types.reports.dues import current_period
from content_types.reports.models import Report, ReportStatus
from content_types.roles.models import Role
from tests.conftest import build_street_tree, ensure_wagtail_root
from tests.form_data import form_data

from .factories import ReportScheduleFactory, role_holders, written

PEOPLE = (
    ("committee", Role.OWNERS_COMMITTEE, "compound_a1"),
    ("firm", Role.PROPERTY_FIRM, "compound_a1"),
    ("office_a", Role.COMMUNITY_OFFICE, "community_a"),
    ("office_b", Role.COMMUNITY_OFFICE, "community_b"),
    ("committee_a2", Role.OWNERS_COMMITTEE, "compound_a2"),
    ("party_a1", Role.COMPOUND_PARTY, "compound_a1"),
)


def url(view: str, report: Report | None = None) -> str:
    name = Report.snippet_viewset.get_url_name(view)
    return reverse(name, args=[report.pk] if report else [])


class ReportAdminTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.tree = build_street_tree(ensure_wagtail_root())
        cls.users = role_holders(cls.tree, PEOPLE)
        # Due for longer than a quarter, so never overdue whatever today is.
        cls.schedule = ReportScheduleFactory(scope=cls.tree.street, grace_days=100)
        cls.firm_schedule = ReportScheduleFactory(
            code="firm-monthly",
            name="物业月度服务报告",
            role=Role.PROPERTY_FIRM,
            period="month",
            grace_days=0,  # overdue from the first day of the next month on
            headings=["服务情况", "收费情况"],
            scope=cls.tree.street,
        )
        cls.period = current_period(cls.schedule, timezone.localdate())

    def client_of(self, username: str) -> Client:
        client = Client(REMOTE_ADDR="10.9.8.7")
        client.force_login(self.users[username])
        return client

    def panel(self, username: str) -> str:
        html = self.client_of(username).get(reverse("wagtailadmin_home")).text
        assert 'id="reports-section"' in html, username
        return html.split('id="reports-section"')[1].split("</section>")[0]

    def test_the_committee_writes_from_the_outline_and_the_office_acknowledges(self) -> None:
        committee = self.client_of("committee")
        start = committee.get(url("add")).text
        assert "业委会季度工作报告" in start and self.period.label in start
        assert "物业月度服务报告" not in start  # the firm's, not the committee's
        response = committee.post(
            url("add"), {"schedule": self.schedule.pk, "compound": self.tree.compound_a1.pk}
        )
        report = Report.objects.get()
        assert response["Location"] == url("edit", report)
        edit = committee.get(url("edit", report)).text
        assert "财务收支情况" in edit and "存在问题及下步打算" in edit
        data = form_data(edit, "w-editor-form")
        for index in range(3):
            data[f"sections-{index}-body"] = f"第{index + 1}部分：本季度完成了电梯年检。"
        response = committee.post(url("edit", report), data)
        assert response.status_code == 302, response.text
        assert report.sections.filter(body__contains="电梯年检").count() == 3

        page = committee.post(url("act", report), {"step": "submit"}, follow=True).text
        assert "已提交社区微治办" in page
        assert committee.get(url("edit", report))["Location"] == url("inspect", report)

        office = self.client_of("office_a")
        assert "待阅知 <a" in self.panel("office_a")
        assert report.title in office.get(url("list"), {"waiting": "true"}).text
        page = office.get(url("inspect", report)).text
        assert "第1部分：本季度完成了电梯年检" in page and 'value="acknowledge"' in page
        page = office.post(url("act", report), {"step": "return", "comment": ""}, follow=True).text
        assert "退回报告请填写修改意见" in page
        office.post(url("act", report), {"step": "return", "comment": "请补充收支明细。"})
        assert Report.objects.get(pk=report.pk).status == ReportStatus.RETURNED
        assert "请补充收支明细" in committee.get(url("inspect", report)).text
        committee.post(url("act", report), {"step": "submit"})
        office.post(url("act", report), {"step": "acknowledge", "comment": "已阅。"})
        report = Report.objects.get(pk=report.pk)
        assert report.status == ReportStatus.ACKNOWLEDGED
        history = committee.get(url("history", report)).text
        for label in ("提交工作报告", "退回工作报告", "阅知工作报告"):
            assert label in history

    def test_the_dashboard_flags_missing_and_overdue_reports_in_its_scope(self) -> None:
        panel = self.panel("office_a")
        # Both compounds of 凤鸣社区 owe the firm's monthly report, already overdue.
        assert "已逾期 <strong>2</strong> 份" in panel and "待提交 2 份" in panel
        assert "锦绣花园" in panel and "阳光水岸" in panel and "龙山公寓" not in panel
        assert "物业月度服务报告" in panel and "（未提交）" in panel
        firm_panel = self.panel("firm")
        assert "已逾期 <strong>1</strong> 份" in firm_panel and "阳光水岸" not in firm_panel
        assert "业委会季度工作报告" not in firm_panel  # the committee's to write
        html = self.client_of("party_a1").get(reverse("wagtailadmin_home")).text
        assert 'id="reports-section"' not in html

    def test_another_compound_sees_nothing_and_cannot_act(self) -> None:
        report = written(self.schedule, self.tree.compound_a1, self.users["committee"])
        services.submit(report, self.users["committee"])
        for username in ("committee_a2", "office_b"):
            client = self.client_of(username)
            for view in ("inspect", "edit", "history", "delete"):
                assert client.get(url(view, report)).status_code == 404, (username, view)
            assert client.post(url("act", report), {"step": "acknowledge"}).status_code == 404
            listing = client.get(url("list"), {"q": "锦绣"}).text
            assert report.title not in listing, username
            response = client.post(
                url("add"), {"schedule": self.schedule.pk, "compound": self.tree.compound_a1.pk}
            )
            assert response["Location"] == url("add")  # refused with a message
        assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
        assert Report.objects.count() == 1
        refused = AuditEvent.objects.filter(
            action=AuditAction.ACCESS_DENIED, details__path=url("act", report)
        )
        assert refused.count() == 2

    def test_a_handed_in_report_is_never_deleted_nor_anothers_draft(self) -> None:
        handed_in = written(self.schedule, self.tree.compound_a1, self.users["committee"])
        services.submit(handed_in, self.users["committee"])
        draft = written(self.firm_schedule, self.tree.compound_a1, self.users["firm"])
        bulk = reverse("wagtail_bulk_action", args=["reports", "report", "delete"])
        for username, report in (
            ("committee", handed_in),
            ("office_a", handed_in),
            ("committee", draft),
        ):
            client = self.client_of(username)
            response = client.post(f"{bulk}?id={report.pk}", follow=True)
            assert "只有撰写人可以删除尚未提交的报告草稿" in response.text, username
            response = client.post(url("delete", report), follow=True)
            assert "目前不能由您修改或删除" in response.text, username
        assert Report.objects.count() == 2
        self.client_of("firm").post(url("delete", draft))
        assert list(Report.objects.all()) == [handed_in]

    def test_the_export_lists_the_reports_in_reach(self) -> None:
        written(self.schedule, self.tree.compound_a1, self.users["committee"])
        written(self.schedule, self.tree.compound_a2, self.users["committee_a2"])
        response = self.client_of("committee").get(url("list"), {"export": "csv"})
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "锦绣花园" in body and "阳光水岸" not in body and "草稿" in body
        response = self.client_of("office_a").get(url("list"), {"export": "xlsx"})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")

    def queries(self, client: Client, address: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured.captured_queries)

    def test_the_listing_and_the_dashboard_cost_the_same_for_more_reports(self) -> None:
        client = self.client_of("office_a")
        written(self.schedule, self.tree.compound_a1, self.users["committee"])
        home = reverse("wagtailadmin_home")
        self.queries(client, url("list"))  # warm the per-process caches
        self.queries(client, home)
        listing, dashboard = self.queries(client, url("list")), self.queries(client, home)
        written(self.schedule, self.tree.compound_a2, self.users["committee_a2"])
        written(self.firm_schedule, self.tree.compound_a1, self.users["firm"])
        assert self.queries(client, url("list")) == listing
        assert self.queries(client, home) == dashboard
