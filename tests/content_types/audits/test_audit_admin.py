"""The offices follow audits in the admin: the dashboard shows each office its compounds' overdue
audits and no other community's; findings are closed with what was done, an audit is closed
only once every finding is, and its report comes from the compound's restricted collection.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model

from api.schema import schema
from content_types.audits.media import audit_collection
from content_types.audits.models import Audit, AuditKind, AuditStatus, FindingStatus
from content_types.roles.media_scope import scope_collection
from content_types.roles.models import CompoundScopedLogEntry, Role, RoleAssignment
from graphql import print_schema
from tests.conftest import build_street_tree, ensure_wagtail_root
from tests.content_types.committees.factories import OwnersCommitteeFactory
from tests.content_types.roles.factories import UserFactory
from tests.form_data import form_data

from .factories import AuditFactory, AuditFindingFactory

PEOPLE = (
    ("office_a", Role.COMMUNITY_OFFICE, "community_a"),
    ("office_b", Role.COMMUNITY_OFFICE, "community_b"),
    ("street", Role.STREET_OFFICE, "street"),
    ("commissioner", Role.COMMISSIONER, "compound_a1"),
)


def document(title: str, collection: object) -> object:
    doc = get_document_model()(title=title, collection=collection)
    doc.file.save("report.txt", ContentFile("审计报告正文".encode()), save=False)
    doc.save()
    return doc


class AuditAdminTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.tree = build_street_tree(ensure_wagtail_root())
        cls.users = {}
        for username, role, scope in PEOPLE:
            cls.users[username] = UserFactory(username=username)
            RoleAssignment.objects.create(
                user=cls.users[username], role=role, scope=getattr(cls.tree, scope)
            )
        today = timezone.localdate()
        committee = OwnersCommitteeFactory(compound=cls.tree.compound_a1)
        cls.late = AuditFactory(
            committee=committee,
            status=AuditStatus.IN_PROGRESS,
            planned_on=today - datetime.timedelta(days=70),
            due_on=today - datetime.timedelta(days=10),
        )
        cls.finding = AuditFindingFactory(
            audit=cls.late, title="电梯广告收益未公开", amount=Decimal("9800.00")
        )
        other = OwnersCommitteeFactory(compound=cls.tree.compound_b1)
        cls.elsewhere = AuditFactory(
            committee=other, due_on=today - datetime.timedelta(days=3), planned_on=today
        )
        cls.elsewhere.planned_on = today - datetime.timedelta(days=30)
        cls.elsewhere.save()

    def client_of(self, username: str) -> Client:
        client = Client()
        client.force_login(self.users[username])
        return client

    def edit_url(self, audit: Audit) -> str:
        return reverse(Audit.snippet_viewset.get_url_name("edit"), args=[audit.pk])

    def test_each_office_sees_its_own_overdue_audits_on_the_dashboard(self) -> None:
        home = reverse("wagtailadmin_home")
        mine = self.client_of("office_a").get(home).text
        assert "逾期审计" in mine and "锦绣花园换届审计" in mine
        assert "龙山公寓" not in mine
        street = self.client_of("street").get(home).text
        assert "锦绣花园换届审计" in street and "龙山公寓换届审计" in street
        # The compound's own people do not run audits: no panel, no listing.
        assert "审计（轮审、换届审计）" not in self.client_of("commissioner").get(home).text
        listing = reverse(Audit.snippet_viewset.get_url_name("list"))
        assert self.client_of("commissioner").get(listing).status_code in (302, 403)

    def test_an_audit_with_an_open_finding_cannot_be_closed_and_a_finding_needs_what_was_done(
        self,
    ) -> None:
        client = self.client_of("office_a")
        url = self.edit_url(self.late)
        data = form_data(client.get(url).text, "w-editor-form")
        report = document("锦绣花园换届审计报告", audit_collection(self.tree.compound_a1))
        data.update(
            status=AuditStatus.CLOSED,
            reported_on=str(timezone.localdate()),
            report=str(report.pk),
        )
        html = client.post(url, data).text
        assert "还有问题未整改销号，审计不能办结。" in html
        data["findings-0-status"] = FindingStatus.CLOSED
        html = client.post(url, data).text
        assert "销号前请填写整改情况。" in html
        assert Audit.objects.get(pk=self.late.pk).status == AuditStatus.IN_PROGRESS
        assert self.late.findings.get().status == FindingStatus.OPEN

        # A report from the compound's open collection is refused: it must stay restricted.
        data.update(
            {
                "findings-0-closed_on": str(timezone.localdate()),
                "findings-0-closure_note": "已于小区公告栏补充公开。",
                "report": str(document("草稿", scope_collection(self.tree.compound_a1)).pk),
            }
        )
        assert "仅街道、社区微治办可见" in client.post(url, data).text
        assert Audit.objects.get(pk=self.late.pk).status == AuditStatus.IN_PROGRESS

        data["report"] = str(report.pk)
        response = client.post(url, data)
        assert response.status_code == 302, response.text
        closed = Audit.objects.get(pk=self.late.pk)
        assert closed.status == AuditStatus.CLOSED and closed.report == report
        assert closed.findings.get().closure_note == "已于小区公告栏补充公开。"
        assert CompoundScopedLogEntry.objects.filter(
            object_id=str(closed.pk), action="wagtail.edit", user=self.users["office_a"]
        ).exists()

    def test_an_office_adds_a_special_audit_of_its_own_committees_only(self) -> None:
        client = self.client_of("office_a")
        add = reverse(Audit.snippet_viewset.get_url_name("add"))
        data = form_data(client.get(add).text, "w-editor-form")
        data.update(
            committee=str(self.elsewhere.committee_id),
            kind=AuditKind.SPECIAL,
            status=AuditStatus.PLANNED,
            period_start="2025-01-01",
            period_end="2025-12-31",
            auditor="绍兴某会计师事务所",
            auditor_kind="firm",
            planned_on=str(timezone.localdate()),
            due_on=str(timezone.localdate() + datetime.timedelta(days=30)),
        )
        assert "只能选择您负责范围内小区的业委会。" in client.post(add, data).text
        assert not Audit.objects.filter(kind=AuditKind.SPECIAL).exists()

        data["committee"] = str(self.late.committee_id)
        response = client.post(add, data)
        assert response.status_code == 302, response.text
        added = Audit.objects.get(kind=AuditKind.SPECIAL)
        assert added.compound == self.tree.compound_a1 and added.auditor == "绍兴某会计师事务所"

    def test_the_audit_papers_are_readable_by_the_offices_alone(self) -> None:
        collection = audit_collection(self.tree.compound_a1)
        [restriction] = collection.get_view_restrictions()
        readers = {
            user.username
            for user in self.users.values()
            if restriction.accept_request(SimpleNamespace(user=user, session={}))
        }
        assert readers == {"office_a", "street"}

    def test_the_api_exposes_no_audit(self) -> None:
        printed = print_schema(schema.graphql_schema)
        assert "Audit" not in printed and "audit" not in printed.lower()
