"""Opening another compound's page or snippet is refused and the refusal is in the audit log,
with who, from where and what they tried; a mistyped address is not an intrusion."""

from __future__ import annotations

import datetime

from django.test import Client, TestCase
from django.urls import reverse

from content_types.accounts.models import AuditAction, AuditEvent, AuditResult
from content_types.committees.models import OwnersCommittee
from content_types.roles.models import Role, RoleAssignment
from tests.conftest import build_street_tree, ensure_wagtail_root
from tests.content_types.roles.factories import UserFactory
from tests.sign_in import sign_in

PASSWORD = "weizhi-test"


class RefusedAccessTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.tree = build_street_tree(ensure_wagtail_root())
        cls.user = UserFactory(username="committee_a1", password=PASSWORD)
        RoleAssignment.objects.create(
            user=cls.user, role=Role.OWNERS_COMMITTEE, scope=cls.tree.compound_a1
        )
        cls.other = OwnersCommittee.objects.create(
            compound=cls.tree.compound_a2,
            term_start=datetime.date(2024, 1, 1),
            term_end=datetime.date(2028, 12, 31),
        )

    def setUp(self) -> None:
        self.client = Client(REMOTE_ADDR="10.1.2.3")
        assert sign_in(self.client, "committee_a1", PASSWORD)

    def refusals(self) -> list[AuditEvent]:
        return list(AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED))

    def assert_refusal_recorded(self, path: str) -> None:
        [event] = self.refusals()
        assert (event.user, event.client_address, event.result) == (
            self.user,
            "10.1.2.3",
            AuditResult.DENIED,
        )
        assert event.details["path"] == path
        assert event.description == f"越权访问被拒绝：GET {path}"

    def test_another_compounds_page_editor(self) -> None:
        path = reverse("wagtailadmin_pages:edit", args=[self.tree.compound_a2.pk])

        response = self.client.get(path)

        assert response.status_code in (302, 403, 404)
        self.assert_refusal_recorded(path)

    def test_another_compounds_snippet_editor(self) -> None:
        path = reverse(OwnersCommittee.snippet_viewset.get_url_name("edit"), args=[self.other.pk])

        assert self.client.get(path).status_code == 404
        self.assert_refusal_recorded(path)

    def test_own_objects_and_missing_ones_are_not_refusals(self) -> None:
        own = reverse("wagtailadmin_pages:edit", args=[self.tree.compound_a1.pk])
        missing = reverse(OwnersCommittee.snippet_viewset.get_url_name("edit"), args=[999999])

        assert self.client.get(own).status_code == 200
        assert self.client.get(missing).status_code == 404
        assert self.refusals() == []
