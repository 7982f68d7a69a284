"""The units register in the admin: phones masked in the listing and the export, a full number
shown one unit at a time to the roles that need it, each time recorded."""

from __future__ import annotations

from django.test import Client, TestCase, override_settings
from django.urls import reverse

from content_types.accounts.models import AuditAction, AuditEvent
from content_types.roles.models import Role, RoleAssignment
from tests.conftest import build_street_tree, ensure_wagtail_root
from tests.content_types.roles.factories import UserFactory

from .factories import UnitFactory

INDEX = reverse("weizhi_units:index")
PHONE = "13912345678"


class UnitRegisterAdminTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        tree = build_street_tree(ensure_wagtail_root())
        cls.unit = UnitFactory(
            compound=tree.compound_a1,
            building="3幢",
            room="502",
            owner_name="王五",
            owner_phone=PHONE,
        )
        UnitFactory(compound=tree.compound_a2, owner_name="赵六", owner_phone="13700000000")
        cls.users = {}
        for name, role, scope in (
            ("committee", Role.OWNERS_COMMITTEE, tree.compound_a1),
            ("firm", Role.PROPERTY_FIRM, tree.compound_a1),
        ):
            cls.users[name] = UserFactory(username=name)
            RoleAssignment.objects.create(user=cls.users[name], role=role, scope=scope)

    def client_of(self, name: str) -> Client:
        client = Client(REMOTE_ADDR="10.2.3.4")
        client.force_login(self.users[name])
        return client

    def test_the_listing_masks_phones_and_keeps_to_the_compound(self) -> None:
        html = self.client_of("committee").get(INDEX).text

        assert "王五" in html and "139****5678" in html
        assert PHONE not in html and "赵六" not in html
        assert reverse("weizhi_units:phone", args=[self.unit.pk]) in html

    def test_the_export_masks_phones_and_is_recorded(self) -> None:
        response = self.client_of("committee").get(INDEX, {"export": "csv"})
        body = b"".join(response.streaming_content).decode("utf-8-sig")

        assert "139****5678" in body and PHONE not in body
        [event] = AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_EXPORT)
        assert event.description == "导出房屋与业主名册（CSV，1 行）"

    def test_a_full_number_is_shown_on_request_and_recorded(self) -> None:
        client = self.client_of("committee")
        url = reverse("weizhi_units:phone", args=[self.unit.pk])

        assert PHONE not in client.get(url).text  # asking is not revealing
        assert not AuditEvent.objects.filter(action=AuditAction.PHONE_REVEAL).exists()
        assert PHONE in client.post(url).text

        [event] = AuditEvent.objects.filter(action=AuditAction.PHONE_REVEAL)
        assert (event.user, event.client_address) == (self.users["committee"], "10.2.3.4")
        assert event.details == {"unit": self.unit.pk}
        assert event.description == "查看锦绣花园3幢1单元502室业主的完整手机号"

    def test_roles_without_the_need_get_neither_register_nor_number(self) -> None:
        client = self.client_of("firm")
        url = reverse("weizhi_units:phone", args=[self.unit.pk])

        assert client.get(INDEX).status_code == 302  # Wagtail's refusal
        assert client.post(url).status_code == 404
        with override_settings(WEIZHI_FULL_PHONE_ROLES=["community_office"]):
            committee = self.client_of("committee")
            assert committee.post(url).status_code == 404
            assert url not in committee.get(INDEX).text
        assert not AuditEvent.objects.filter(action=AuditAction.PHONE_REVEAL).exists()
        refused = AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, details__path=url)
        assert refused.count() == 2
