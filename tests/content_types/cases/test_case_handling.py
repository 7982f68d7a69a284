"""A case filed in 锦绣花园 climbs level by level, each step by those who handle that level.

The compound's three parties (commissioner, committee, firm) act first, the community office
next, the street office last; a step by anyone else is refused with a reason and changes
nothing. Every step is on the case's timeline with who and when, and tells the next level.
"""

from __future__ import annotations

from datetime import timedelta

import wagtail_factories
from django.db import connection
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site
from wagtail_factories import SiteFactory

from content_types.accounts.models import AuditAction, AuditEvent
from content_types.cases import services
from content_types.cases.models import (
    Case,
    CaseCategory,
    CaseDeadline,
    CaseLevel,
    CaseStatus,
    ReporterKind,
    Satisfaction,
    StepAction,
)
from content_types.roles.media_scope import scope_collection
from content_types.roles.models import Role, RoleAssignment
from tests.conftest import build_street_tree, ensure_wagtail_root
from tests.content_types.roles.factories import UserFactory
from tests.form_data import form_data
from workflows.chains.models import Notification

from .factories import REPORTER_NAME, REPORTER_PHONE, file, street_working_groups

ADD = reverse("cases:add")

PEOPLE = (
    ("commissioner", Role.COMMISSIONER, "compound_a1"),
    ("committee", Role.OWNERS_COMMITTEE, "compound_a1"),
    ("firm", Role.PROPERTY_FIRM, "compound_a1"),
    ("office_a", Role.COMMUNITY_OFFICE, "community_a"),
    ("street", Role.STREET_OFFICE, "street"),
    ("committee_a2", Role.OWNERS_COMMITTEE, "compound_a2"),
    ("office_b", Role.COMMUNITY_OFFICE, "community_b"),
    ("party_a1", Role.COMPOUND_PARTY, "compound_a1"),
)


class CaseTestData(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.tree = build_street_tree(ensure_wagtail_root())
        street_working_groups(cls.tree.street)
        cls.users = {}
        for username, role, scope in PEOPLE:
            cls.users[username] = UserFactory(username=username, first_name=username)
            RoleAssignment.objects.create(
                user=cls.users[username], role=role, scope=getattr(cls.tree, scope)
            )

    def client_of(self, username: str) -> Client:
        client = Client(REMOTE_ADDR="10.9.8.7")
        client.force_login(self.users[username])
        return client

    def step(self, username: str, case: Case, step: str, **fields: str) -> str:
        """Press a step's button on the case's page; the page shown after, as text."""
        prefix = {"accept": ""}.get(step, step)
        data = {"step": step, **{f"{prefix}-{name}": value for name, value in fields.items()}}
        url = reverse("cases:edit", args=[case.pk])
        return self.client_of(username).post(url, data, follow=True).text

    def fresh(self, case: Case) -> Case:
        return Case.objects.get(pk=case.pk)


class FilingTest(CaseTestData):
    def test_a_commissioner_files_a_case_from_the_admin_form(self) -> None:
        client = self.client_of("commissioner")
        data = form_data(client.get(ADD).text)
        data.update(
            scope=str(self.tree.compound_a1.pk),
            category=CaseCategory.HAZARD,
            title="地下车库消防通道被占用",
            place="地下车库 B 区",
            description="多辆车长期停放在消防通道上。",
            reporter_kind=ReporterKind.OWNER,
            reporter_name=REPORTER_NAME,
            reporter_phone="139-5750-1234",
        )
        response = client.post(ADD, data)

        case = Case.objects.get()
        assert response.status_code == 302, response.text
        assert response["Location"] == reverse("cases:edit", args=[case.pk])
        assert (case.level, case.status, case.filed_by) == (
            CaseLevel.COMPOUND,
            CaseStatus.PENDING,
            self.users["commissioner"],
        )
        assert case.reporter_phone == REPORTER_PHONE
        expected = case.filed_at + timedelta(days=3)
        assert abs(case.deadline_at - expected) < timedelta(seconds=5)
        [step] = case.steps.all()
        assert (step.action, step.actor) == (StepAction.FILED, self.users["commissioner"])
        # The reporter is stored encrypted, never as typed.
        with connection.cursor() as cursor:
            cursor.execute("SELECT reporter_name, reporter_phone FROM cases_case")
            stored = " ".join(cursor.fetchone())
        assert REPORTER_NAME not in stored and REPORTER_PHONE not in stored
        # The compound's other parties are told a case waits for them.
        told = set(
            Notification.objects.filter(event=Notification.Event.CASE).values_list(
                "recipient__username", flat=True
            )
        )
        assert told == {"committee", "firm"}

    def test_a_case_for_another_compound_or_without_a_name_is_refused(self) -> None:
        client = self.client_of("commissioner")
        data = form_data(client.get(ADD).text)
        data.update(
            scope=str(self.tree.compound_b1.pk),
            category=CaseCategory.DISPUTE,
            title="邻里噪声纠纷",
            place="5 幢",
            description="楼上装修噪声。",
            reporter_kind=ReporterKind.OWNER,
            reporter_name="",
        )
        html = client.post(ADD, data).text

        assert "只能选择您负责范围内的小区或社区。" in html
        data["scope"] = str(self.tree.compound_a1.pk)
        html = client.post(ADD, data).text
        assert "业主反映的事项请填写反映人姓名，以便回访。" in html
        assert not Case.objects.exists()

    def test_photos_and_documents_come_from_the_scopes_own_collection(self) -> None:
        client = self.client_of("commissioner")
        data = form_data(client.get(ADD).text)  # the form makes the case collections
        cases_collection = scope_collection(self.tree.compound_a1).get_children().get()
        assert cases_collection.name == "诉求与事件材料"
        home = wagtail_factories.DocumentFactory(title="现场记录", collection=cases_collection)
        open_file = wagtail_factories.DocumentFactory(
            title="公开通知", collection=scope_collection(self.tree.compound_a1)
        )
        other = wagtail_factories.DocumentFactory(
            title="龙山公寓内部材料", collection=scope_collection(self.tree.compound_b1)
        )
        data.update(
            scope=str(self.tree.compound_a1.pk),
            category=CaseCategory.OTHER,
            title="单元门口积水",
            place="1 幢 1 单元门口",
            description="雨后积水不退。",
            reporter_kind=ReporterKind.PATROL,
            **{"attachments-TOTAL_FORMS": "1", "attachments-0-ORDER": "1"},
        )
        for refused in (other, open_file):
            data["attachments-0-document"] = str(refused.pk)
            html = client.post(ADD, data).text
            assert f"材料“{refused.title}”不在“锦绣花园 › 诉求与事件材料”集合中" in html
        assert not Case.objects.exists()

        data["attachments-0-document"] = str(home.pk)
        assert client.post(ADD, data).status_code == 302
        assert [a.document for a in Case.objects.get().attachments.all()] == [home]
        # Served to the handlers over 锦绣花园 only, never to the public or another compound.
        url = home.file.url
        assert self.client_of("firm").get(url).status_code == 200
        assert self.client_of("office_a").get(url).status_code == 200
        assert self.client_of("committee_a2").get(url).status_code != 200
        assert Client().get(url).status_code != 200

    def test_a_compound_party_files_nothing(self) -> None:
        response = self.client_of("party_a1").get(ADD)
        assert response.status_code == 302  # Wagtail's refusal: no role that handles cases

    def test_a_deadline_set_by_the_configuration_is_used(self) -> None:
        CaseDeadline.objects.create(level=CaseLevel.COMPOUND, days=1)
        case = file(self.users["firm"], self.tree.compound_a1)
        assert abs(case.deadline_at - case.filed_at - timedelta(days=1)) < timedelta(seconds=5)

    def test_a_community_case_starts_at_the_community_office(self) -> None:
        case = file(self.users["office_a"], self.tree.community_a, reporter_kind="patrol")
        assert case.level == CaseLevel.COMMUNITY
        assert case.previous_level() is None


class StepsTest(CaseTestData):
    def test_every_step_by_its_level_and_the_timeline_shows_them_all(self) -> None:
        case = file(self.users["commissioner"], self.tree.compound_a1)

        html = self.step("office_a", case, "accept")
        assert "该操作当前不可用" in html  # the community does not act at the compound's level
        assert self.fresh(case).status == CaseStatus.PENDING

        self.step("firm", case, "accept")
        case = self.fresh(case)
        assert (case.status, case.assignee) == (CaseStatus.ACCEPTED, self.users["firm"])

        html = self.step("committee", case, "escalate", note="")
        assert "请检查填写的内容。" in html and self.fresh(case).level == CaseLevel.COMPOUND
        self.step("committee", case, "escalate", note="涉及消防，需社区协调。")
        case = self.fresh(case)
        assert (case.level, case.status, case.assignee) == (
            CaseLevel.COMMUNITY,
            CaseStatus.PENDING,
            None,
        )
        assert "该操作当前不可用" in self.step("firm", case, "resolve", resolution="已清理")

        self.step("office_a", case, "return", note="请物业先行清理，社区跟踪。")
        assert self.fresh(case).level == CaseLevel.COMPOUND

        self.step("commissioner", case, "escalate", note="物业清理后又出现。")
        self.step("office_a", case, "escalate", note="需执法督查。")
        case = self.fresh(case)
        assert (case.level, case.working_group) == (CaseLevel.STREET, "执法督查组")

        self.step("street", case, "assign", assignee=str(self.users["street"].pk), note="")
        self.step("street", case, "resolve", resolution="联合执法清理，张贴告知书。")
        html = self.step("street", case, "close", outcome="隐患已消除。", satisfaction="")
        assert "业主反映的事项，请回访后记录业主满意度。" in html
        assert self.fresh(case).status == CaseStatus.RESOLVED
        self.step("street", case, "close", outcome="隐患已消除。", satisfaction="satisfied")
        case = self.fresh(case)
        assert (case.status, case.satisfaction) == (CaseStatus.CLOSED, Satisfaction.SATISFIED)

        actions = list(case.steps.values_list("action", "actor__username", "to_level"))
        assert actions == [
            ("filed", "commissioner", "compound"),
            ("accepted", "firm", "compound"),
            ("escalated", "committee", "community"),
            ("returned", "office_a", "compound"),
            ("escalated", "commissioner", "community"),
            ("escalated", "office_a", "street"),
            ("assigned", "street", "street"),
            ("resolved", "street", "street"),
            ("closed", "street", "street"),
        ]
        timeline = self.client_of("committee").get(reverse("cases:edit", args=[case.pk])).text
        timeline = timeline.split('id="case-timeline"')[1].split("</section>")[0]
        for label in ("登记", "受理", "上报", "退回", "指派", "办结", "关闭"):
            assert f"<strong>{label}</strong>" in timeline, label
        assert "小区三方 → 社区微治办" in timeline and "社区微治办 → 街道微治办" in timeline
        assert "联合执法清理" in timeline and "业主满意度：满意" in timeline
        # Each move told the level it reached, and only within the scope.
        told = Notification.objects.filter(event=Notification.Event.CASE)
        assert told.filter(recipient=self.users["street"], subject__contains="执法督查组").exists()
        assert not told.filter(recipient__username__in=["office_b", "committee_a2"]).exists()

    def test_a_closed_case_is_published_only_without_personal_data(self) -> None:
        case = file(self.users["commissioner"], self.tree.compound_a1)
        services.resolve(case, self.users["firm"], "已清理楼道电池。")
        services.close(case, self.users["commissioner"], "隐患已消除。", Satisfaction.FAIRLY)

        page = self.client_of("commissioner").get(reverse("cases:edit", args=[case.pk])).text
        assert "安全隐患：3 幢楼道堆放电动车电池。" in page  # the offered anonymised summary
        for summary in (f"{REPORTER_NAME}反映楼道隐患，已消除。", "业主 139 5750 1234 反映隐患"):
            html = self.step("commissioner", case, "publish", summary=summary)
            assert "公开摘要不得含反映人姓名、电话或门牌号" in html
            assert self.fresh(case).published_at is None
        self.step("commissioner", case, "publish", summary="楼道堆放电池隐患，已清理。")
        case = self.fresh(case)
        assert case.public_summary == "楼道堆放电池隐患，已清理。"
        assert list(Case.objects.published()) == [case]

    def test_a_step_already_taken_by_someone_else_changes_nothing(self) -> None:
        case = file(self.users["commissioner"], self.tree.compound_a1)
        services.accept(case, self.users["firm"])
        try:
            services.accept(case, self.users["committee"])
        except services.CaseRefused as refused:
            assert str(refused) == "该事件当前状态为“处置中”，不能受理。"
        else:
            raise AssertionError("accepted twice")
        assert self.fresh(case).assignee == self.users["firm"]


class ReporterAndIsolationTest(CaseTestData):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.case = file(cls.users["commissioner"], cls.tree.compound_a1)
        cls.other = file(cls.users["committee_a2"], cls.tree.compound_a2, title="阳光水岸电梯困人")

    def detail(self, username: str, case: Case | None = None) -> str:
        url = reverse("cases:edit", args=[(case or self.case).pk])
        return self.client_of(username).get(url).text

    def test_the_reporter_is_shown_to_the_commissioner_and_offices_only(self) -> None:
        for username in ("commissioner", "office_a", "street"):
            html = self.detail(username)
            assert REPORTER_NAME in html and REPORTER_PHONE in html, username
        for username in ("committee", "firm"):
            html = self.detail(username)
            assert REPORTER_NAME not in html and REPORTER_PHONE not in html, username
            assert "反映人信息仅小区专员和微治办可见" in html

    def test_another_scopes_users_see_nothing_of_the_case(self) -> None:
        url = reverse("cases:edit", args=[self.case.pk])
        for username in ("committee_a2", "office_b"):
            client = self.client_of(username)
            assert client.get(url).status_code == 404, username
            found = client.get(reverse("cases:index"), {"q": "电动车"}).context["object_list"]
            assert self.case not in found, username
            listing = client.get(reverse("cases:index")).text
            assert self.case.number not in listing, username
            filtered = client.get(reverse("cases:index"), {"scope": self.tree.compound_a1.pk})
            assert self.case.number not in filtered.text, username
            assert client.post(url, {"step": "accept"}).status_code == 404
        assert self.fresh(self.case).status == CaseStatus.PENDING
        listing = self.client_of("committee_a2").get(reverse("cases:index")).text
        assert self.other.number in listing
        assert self.client_of("party_a1").get(reverse("cases:index")).status_code == 302
        refused = AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, details__path=url)
        assert refused.count() == 4  # the look and the step of each
        assert self.titles_of("office_a") == {self.case.title, self.other.title}

    def titles_of(self, username: str) -> set[str]:
        listing = self.client_of(username).get(reverse("cases:index"))
        return {case.title for case in listing.context["object_list"]}

    def test_the_export_is_recorded_and_hides_the_reporter_from_the_firm(self) -> None:
        for username, shows in (("firm", False), ("office_a", True)):
            response = self.client_of(username).get(reverse("cases:index"), {"export": "csv"})
            body = b"".join(response.streaming_content).decode("utf-8-sig")
            assert "3 幢楼道堆放电动车电池" in body and "安全隐患" in body
            assert (REPORTER_NAME in body) is shows, username
            assert REPORTER_PHONE not in body  # masked for everyone
            assert ("139****1234" in body) is shows, username
        assert "阳光水岸电梯困人" in body  # the community office's export covers its compounds
        events = AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_EXPORT)
        assert sorted(events.values_list("description", flat=True)) == [
            "导出诉求与事件（CSV，1 行）",
            "导出诉求与事件（CSV，2 行）",
        ]
        response = self.client_of("office_a").get(reverse("cases:index"), {"export": "xlsx"})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


class QueueAndPanelTest(CaseTestData):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        commissioner = cls.users["commissioner"]
        cls.fresh_case = file(commissioner, cls.tree.compound_a1, title="单元门禁损坏")
        cls.late = file(commissioner, cls.tree.compound_a1, title="化粪池满溢")
        Case.objects.filter(pk=cls.late.pk).update(deadline_at=timezone.now() - timedelta(hours=2))
        cls.up = file(commissioner, cls.tree.compound_a1, title="违章搭建阳光房")
        services.escalate(cls.up, commissioner, "需社区协调。")
        cls.done = file(commissioner, cls.tree.compound_a1, title="路灯不亮")
        services.resolve(cls.done, cls.users["firm"], "已更换灯泡。")
        for index in range(3):
            file(cls.users["committee_a2"], cls.tree.compound_a2, title=f"阳光水岸事件{index}")

    def titles(self, username: str, **query: str) -> list[str]:
        response = self.client_of(username).get(reverse("cases:index"), query)
        return [case.title for case in response.context["object_list"]]

    def test_each_role_queue_holds_what_waits_for_it_overdue_first(self) -> None:
        assert self.titles("firm", waiting="true") == ["化粪池满溢", "单元门禁损坏", "路灯不亮"]
        assert self.titles("office_a", waiting="true") == ["违章搭建阳光房"]
        assert self.titles("street", waiting="true") == []
        assert self.titles("office_a", overdue="true") == ["化粪池满溢"]
        assert self.titles("office_a", level="community") == ["违章搭建阳光房"]
        assert self.titles("office_a", status="resolved") == ["路灯不亮"]
        assert self.titles("office_a", category="hazard", scope=str(self.tree.compound_a2.pk)) == [
            "阳光水岸事件0",  # the nearest deadline first
            "阳光水岸事件1",
            "阳光水岸事件2",
        ]

    def test_the_listing_costs_the_same_for_more_cases(self) -> None:
        client = self.client_of("office_a")
        client.get(reverse("cases:index"))  # warm the per-process caches
        with self.assertNumQueries(14) as few:
            client.get(reverse("cases:index"))
        for index in range(20):
            file(self.users["firm"], self.tree.compound_a1, title=f"批量事件{index}")
        with self.assertNumQueries(len(few.captured_queries)):
            client.get(reverse("cases:index"))

    def test_the_dashboard_panel_counts_within_the_scope(self) -> None:
        html = self.client_of("office_a").get(reverse("wagtailadmin_home")).text
        panel = html.split('id="cases-section"')[1].split("</section>")[0]
        assert "待我处理 <a" in panel and "<strong>1</strong> 件" in panel
        assert "化粪池满溢" in panel and "单元门禁损坏" not in panel
        html = self.client_of("committee_a2").get(reverse("wagtailadmin_home")).text
        panel = html.split('id="cases-section"')[1].split("</section>")[0]
        assert "化粪池满溢" not in panel and "<strong>0</strong> 件" in panel
        html = self.client_of("party_a1").get(reverse("wagtailadmin_home")).text
        assert 'id="cases-section"' not in html


class PublicPageTest(CaseTestData):
    def test_the_compound_page_shows_published_summaries_and_nothing_else(self) -> None:
        Site.clear_site_root_paths_cache()
        SiteFactory(hostname="testserver", port=80, root_page=self.tree.street)
        commissioner, firm = self.users["commissioner"], self.users["firm"]
        shown = file(commissioner, self.tree.compound_a1, title="楼道电池起火苗头")
        kept = file(commissioner, self.tree.compound_a1, title="未公开的事件")
        for case in (shown, kept):
            services.resolve(case, firm, "已清理。")
            services.close(case, commissioner, "已消除。", Satisfaction.SATISFIED)
        services.publish(shown, commissioner, "楼道违规充电隐患，已清理并加装充电桩。")
        elsewhere = file(self.users["committee_a2"], self.tree.compound_a2)
        services.resolve(elsewhere, self.users["committee_a2"], "已处理。")
        services.close(elsewhere, self.users["committee_a2"], "已处理。", Satisfaction.FAIRLY)
        services.publish(elsewhere, self.users["committee_a2"], "阳光水岸的公开摘要。")

        html = Client().get(self.tree.compound_a1.url).text
        Site.clear_site_root_paths_cache()

        section = html.split('id="published-cases"')[1].split("</section>")[0]
        assert "安全隐患：楼道违规充电隐患，已清理并加装充电桩。" in section
        for hidden in ("楼道电池起火苗头", "未公开的事件", "阳光水岸的公开摘要", REPORTER_NAME):
            assert hidden not in html, hidden
        assert "3 幢 2 单元楼道" not in html and "139" not in section
