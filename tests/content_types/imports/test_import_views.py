"""Import jobs and their progress endpoint are seen within the importer's scope only."""

from __future__ import annotations

import pytest

from content_types.imports.models import ImportJob, ImportStatus
from content_types.imports.services import start_import
from content_types.roles.models import Role
from content_types.units.models import Unit
from tests.celery_worker import celery_broker

from .factories import candidates_workbook, unit_row, units_workbook, xlsx_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs(street_tree, role_user):
    importer = role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1, "committee_a1")
    party = role_user(Role.COMPOUND_PARTY, street_tree.compound_a1, "party_a1")
    units = start_import(
        "units", street_tree.compound_a1, importer, "锦绣花园名册.xlsx", units_workbook()
    )
    bad = start_import(
        "units",
        street_tree.compound_a1,
        importer,
        "有错.xlsx",
        units_workbook([unit_row(exclusive_area=-1)]),
    )
    candidates = start_import(
        "candidates", street_tree.compound_a1, party, "锦绣花园人选.xlsx", candidates_workbook()
    )
    return units, bad, candidates


def test_the_progress_endpoint_reports_a_finished_job(client, jobs):
    units, bad, _ = jobs
    client.force_login(units.created_by)

    done = client.get(f"/admin/imports/jobs/{units.pk}/progress/").json()
    failed = client.get(f"/admin/imports/jobs/{bad.pk}/progress/").json()

    assert (done["status"], done["percent"], done["created_rows"], done["finished"]) == (
        ImportStatus.SUCCEEDED,
        100,
        3,
        True,
    )
    assert (failed["status_label"], failed["problem_count"], failed["created_rows"]) == (
        "未导入",
        1,
        0,
    )


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.OWNERS_COMMITTEE, "compound_a2"),
        (Role.COMMUNITY_OFFICE, "community_b"),
        (Role.PROPERTY_FIRM, "compound_a1"),
    ],
)
def test_another_scopes_user_gets_404_for_job_and_progress(
    role, scope, jobs, client, street_tree, role_user
):
    client.force_login(role_user(role, getattr(street_tree, scope)))

    for job in jobs:
        assert client.get(f"/admin/imports/jobs/{job.pk}/").status_code == 404
        assert client.get(f"/admin/imports/jobs/{job.pk}/progress/").status_code == 404
    index = client.get("/admin/imports/")
    assert "锦绣花园名册.xlsx" not in index.text and "锦绣花园人选.xlsx" not in index.text


def test_each_job_is_seen_by_those_who_may_run_its_kind(jobs, client, street_tree, role_user):
    units, _, candidates = jobs
    client.force_login(units.created_by)  # the committee: units yes, candidates no

    assert client.get(f"/admin/imports/jobs/{units.pk}/").status_code == 200
    assert client.get(f"/admin/imports/jobs/{candidates.pk}/progress/").status_code == 404

    client.force_login(role_user(Role.COMMUNITY_OFFICE, street_tree.community_a))
    index = client.get("/admin/imports/").text
    assert "锦绣花园名册.xlsx" in index and "锦绣花园人选.xlsx" in index
    page = client.get(f"/admin/imports/jobs/{jobs[1].pk}/").text
    assert "第 2 行 D 列（专有面积）：不能为负数" in page


def test_the_uploaded_file_is_not_kept_after_the_import(jobs):
    assert {bytes(data) for data in ImportJob.objects.values_list("data", flat=True)} == {b""}


@pytest.fixture
def broker_down(monkeypatch):
    """The broker address answers nothing (a closed port), as when Redis is down."""
    with celery_broker("redis://127.0.0.1:9/0", monkeypatch):
        yield


def test_a_large_file_fails_cleanly_when_the_worker_cannot_be_reached(
    broker_down, client, street_tree, role_user, settings, django_capture_on_commit_callbacks
):
    settings.WEIZHI_IMPORT_INLINE_ROWS = 1
    client.force_login(role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/imports/units/new/",
            {"compound": street_tree.compound_a1.pk, "file": xlsx_upload(units_workbook())},
        )

    job = ImportJob.objects.get()
    assert response.url == f"/admin/imports/jobs/{job.pk}/"
    assert job.status == ImportStatus.FAILED and bytes(job.data) == b""
    page = client.get(response.url).text
    assert "后台任务服务暂时不可用，本次未导入任何数据，请稍后重试。" in page
    assert not Unit.objects.exists()
