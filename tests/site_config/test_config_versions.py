"""The configuration in the admin: versions from either door, plan, apply, diff and rollback."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from cms.celery import app
from content_types.accounts.models import AuditAction, AuditEvent, AuditResult
from content_types.structure.models import CompoundPage
from site_config.models import ConfigVersion
from site_config.tasks import delete_stale_config_drafts
from tests.content_types.notices.factories import NoticePageFactory

from .conftest import EXAMPLE, MINIMAL

if TYPE_CHECKING:
    from django.test import Client

pytestmark = pytest.mark.django_db

# ``users:`` precedes ``chains:`` in MINIMAL: put the street office among the users.
STREET = MINIMAL.replace(
    "chains:",
    """  - username: street
    name: 街道微治办
    password: weizhi-demo
    roles: [{role: street_office, scope: baiguan}]
chains:""",
)
NEW_COMPOUND = "      - {title: 新苑小区, slug: xinyuan, address: 凤鸣路 300 号}\n"
WITH_XINYUAN = STREET.replace("      - {title: 阳光水岸", NEW_COMPOUND + "      - {title: 阳光水岸")


@pytest.fixture
def applied(empty_site, write_config):
    """The street applied once from the command line, as version 1."""
    call_command("apply_config", str(write_config(STREET)))
    return ConfigVersion.objects.get()


def signed_in(client: Client, username: str) -> Client:
    client.force_login(get_user_model().objects.get(username=username))
    return client


def plan(client: Client, text: str, **extra: object) -> str:
    """Submit ``text`` as the main file; the address of its plan page."""
    response = client.post("/admin/site-config/edit/", {"file": "site.yaml", "text": text, **extra})
    assert response.status_code == 302, response.content.decode()
    return response["Location"]


def test_the_command_line_records_each_applied_version_once(empty_site, capsys) -> None:
    call_command("apply_config", str(EXAMPLE))
    call_command("apply_config", str(EXAMPLE))

    version = ConfigVersion.objects.get()
    assert version.origin == ConfigVersion.Origin.COMMAND_LINE
    assert version.main == "baiguan.yaml"
    # The include is kept beside the main file, under the name problems give it.
    assert set(version.files) == {
        "baiguan.yaml",
        "../../content_types/governance_tasks/data/annex1.yaml",
    }
    assert version.files["baiguan.yaml"] == EXAMPLE.read_text(encoding="utf-8")
    assert version.created > 0 and "新建 小区 jinxiu" in version.plan_report
    assert "已记录为版本" in capsys.readouterr().out
    events = AuditEvent.objects.filter(action=AuditAction.CONFIG_APPLY)
    assert [event.username for event in events] == ["命令行"]


def test_the_street_office_plans_applies_compares_and_rolls_back(applied, client) -> None:
    signed_in(client, "street")
    index = client.get("/admin/site-config/")
    assert index.status_code == 200
    assert f"版本 {applied.pk}" in index.text and "命令行" in index.text

    plan_url = plan(client, WITH_XINYUAN, note="新增新苑小区")
    page = client.get(plan_url)
    assert page.status_code == 200
    line = WITH_XINYUAN.splitlines().index(NEW_COMPOUND.rstrip("\n")) + 1
    assert re.search(rf"新建 小区 xinyuan\s*<span[^>]*>（site.yaml 第{line}行）", page.text)
    summary = re.search(r'<p id="plan-summary">\s*([^<]*)', page.text)
    assert summary and summary.group(1).startswith("新建 2，更新 1，移除 0"), summary
    draft = ConfigVersion.objects.get(pk=plan_url.rstrip("/").split("/")[-2])

    unconfirmed = client.post(f"/admin/site-config/versions/{draft.pk}/apply/", follow=True)
    assert "请先勾选" in unconfirmed.text
    assert not CompoundPage.objects.filter(slug="xinyuan").exists()

    client.post(f"/admin/site-config/versions/{draft.pk}/apply/", {"confirm": "1"})
    assert CompoundPage.objects.filter(slug="xinyuan").exists()
    draft.refresh_from_db()
    assert draft.applied_by.username == "street" and draft.origin == ConfigVersion.Origin.ADMIN
    assert draft == ConfigVersion.objects.current()

    diff = client.get(f"/admin/site-config/diff/?from={applied.pk}&to={draft.pk}")
    assert "<ins>+" + NEW_COMPOUND.rstrip("\n") + "</ins>" in diff.text.replace("&#x27;", "'")

    rollback = client.post(f"/admin/site-config/versions/{applied.pk}/rollback/")
    back = client.get(rollback["Location"])
    assert "移除 小区 xinyuan" in back.text and "原在 site.yaml" in back.text
    rolled = ConfigVersion.objects.get(rollback_of=applied)
    client.post(f"/admin/site-config/versions/{rolled.pk}/apply/", {"confirm": "1"})
    assert not CompoundPage.objects.filter(slug="xinyuan").exists()
    assert ConfigVersion.objects.current() == rolled
    assert rolled.files == applied.files

    audited = AuditEvent.objects.filter(username="street").values_list("action", flat=True)
    assert list(audited).count(AuditAction.CONFIG_APPLY) == 2
    assert AuditAction.CONFIG_PLAN in audited


def test_a_broken_file_shows_its_line_and_cannot_be_applied(applied, client) -> None:
    signed_in(client, "street")
    broken = STREET.replace("households: 612}", "households: 六百}")

    page = client.get(plan(client, broken))

    line = broken.splitlines().index(next(x for x in broken.splitlines() if "六百" in x)) + 1
    assert f"site.yaml 第{line}行" in page.text
    assert "配置有误，不能应用" in page.text and "apply-form" not in page.text
    draft = ConfigVersion.objects.filter(applied_at__isnull=True).get()
    response = client.post(f"/admin/site-config/versions/{draft.pk}/apply/", {"confirm": "1"})
    assert response.status_code == 302
    assert ConfigVersion.objects.current() == applied


def test_removing_a_compound_with_content_is_refused_unless_allowed(applied, client) -> None:
    signed_in(client, "street")
    NoticePageFactory(parent=CompoundPage.objects.get(slug="yangguang"), title="停水通知")
    without = STREET.replace(
        "      - {title: 阳光水岸, slug: yangguang, address: 凤鸣路 233 号}\n", ""
    )

    plan_url = plan(client, without)
    page = client.get(plan_url)
    draft = ConfigVersion.objects.filter(applied_at__isnull=True).get()

    assert "被拒绝：仍有内容或人员" in page.text and "apply-form" not in page.text
    client.post(f"/admin/site-config/versions/{draft.pk}/apply/", {"confirm": "1"})
    assert CompoundPage.objects.get(slug="yangguang").live
    allowed = client.get(plan_url + "?allow_delete=1")
    assert "apply-form" in allowed.text
    client.post(
        f"/admin/site-config/versions/{draft.pk}/apply/", {"confirm": "1", "allow_delete": "1"}
    )
    assert ConfigVersion.objects.current() == draft


def test_only_the_street_office_reaches_it(applied, client) -> None:
    signed_in(client, "committee")

    for url in ("/admin/site-config/", "/admin/site-config/edit/", "/admin/site-config/diff/"):
        assert client.get(url).status_code in (302, 403)
    refused = client.post(f"/admin/site-config/versions/{applied.pk}/rollback/")
    assert refused.status_code in (302, 403)
    assert "配置文件与版本" not in client.get("/admin/").text
    assert ConfigVersion.objects.count() == 1
    assert (
        AuditEvent.objects.filter(
            username="committee", action=AuditAction.ACCESS_DENIED, result=AuditResult.DENIED
        ).count()
        == 4
    )


@override_settings(WEIZHI_SITE_CONFIG_MAX_BYTES=2_000, DATA_UPLOAD_MAX_MEMORY_SIZE=50_000)
def test_oversized_uploads_and_texts_are_refused_before_any_work(applied, client) -> None:
    signed_in(client, "street")
    big = SimpleUploadedFile("site.yaml", b"#" * 3_000, content_type="application/x-yaml")

    upload = client.post("/admin/site-config/edit/", {"file": "site.yaml", "upload": big})
    text = client.post("/admin/site-config/edit/", {"file": "site.yaml", "text": "#" * 3_000})
    huge = client.post(
        "/admin/site-config/edit/", {"file": "site.yaml", "text": "#" * 60_000}, follow=True
    )

    assert "上传的文件过大（3000 字节），上限为 2000 字节" in upload.text
    assert "文件内容超过 2000 字节的上限" in text.text
    assert "提交的内容超过 50000 字节：请改为上传文件" in huge.text
    assert ConfigVersion.objects.count() == 1


def test_an_uploaded_file_replaces_the_chosen_one(applied, client) -> None:
    signed_in(client, "street")
    upload = SimpleUploadedFile(
        "new.yaml", WITH_XINYUAN.encode(), content_type="application/x-yaml"
    )

    response = client.post("/admin/site-config/edit/", {"file": "site.yaml", "upload": upload})

    page = client.get(response["Location"])
    assert "新建 小区 xinyuan" in page.text
    draft = ConfigVersion.objects.filter(applied_at__isnull=True).get()
    assert draft.files == {"site.yaml": WITH_XINYUAN}


def test_old_drafts_are_deleted_each_night_and_the_history_stays(applied, client) -> None:
    signed_in(client, "street")
    plan(client, WITH_XINYUAN)
    client.post(f"/admin/site-config/versions/{applied.pk}/rollback/")
    old, rollback = ConfigVersion.objects.filter(applied_at__isnull=True).order_by("pk")
    assert rollback.rollback_of == applied
    recent = ConfigVersion.objects.create(files=applied.files, main=applied.main, origin="admin")
    long_ago = timezone.now() - timedelta(days=settings.WEIZHI_CONFIG_DRAFT_DAYS + 1)
    ConfigVersion.objects.filter(pk__in=[applied.pk, old.pk, rollback.pk]).update(
        created_at=long_ago
    )

    assert delete_stale_config_drafts() == 1
    assert set(ConfigVersion.objects.all()) == {applied, rollback, recent}
    assert delete_stale_config_drafts() == 0
    nightly = settings.CELERY_BEAT_SCHEDULE["delete-stale-config-drafts"]
    assert nightly["task"] in app.tasks
