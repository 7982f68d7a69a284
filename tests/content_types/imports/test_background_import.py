"""A large file is imported by a real Celery worker while the admin shows its progress.

The request reads no more than it imports at once: a file found to be larger, or one that
unpacks to too much to read quickly, is counted and checked by the worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from content_types.imports.models import ImportJob, ImportStatus
from content_types.units.models import Unit
from tests.celery_worker import celery_worker, wait_for

from .factories import (
    SHARED_STRINGS,
    shared_strings_bomb,
    understated,
    unit_row,
    unit_rows,
    units_workbook,
    with_dimension,
    xlsx_upload,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROWS = 1200


@pytest.fixture
def worker_queue(settings) -> Iterator[str]:
    with celery_worker(settings.CELERY_BROKER_URL) as queue:
        settings.WEIZHI_IMPORT_QUEUE = queue
        settings.WEIZHI_IMPORT_INLINE_ROWS = 100
        yield queue


def upload_and_follow(client, compound, data: bytes) -> tuple[ImportJob, list[dict]]:
    """Upload through the admin, then poll the progress endpoint as the page does."""
    response = client.post(
        "/admin/imports/units/new/", {"compound": compound.pk, "file": xlsx_upload(data)}
    )
    job = ImportJob.objects.get()
    assert response.url == f"/admin/imports/jobs/{job.pk}/"
    page = client.get(response.url).text
    assert "<progress" in page and f"/admin/imports/jobs/{job.pk}/progress/" in page
    seen: list[dict] = []

    def finished() -> bool:
        seen.append(client.get(f"/admin/imports/jobs/{job.pk}/progress/").json())
        return seen[-1]["finished"]

    assert wait_for(finished, 120), f"the import did not finish: {seen[-1]}"
    job.refresh_from_db()
    return job, seen


def test_a_large_file_is_imported_in_the_background_with_progress(
    worker_queue, committee_client, street_tree
):
    data = units_workbook(unit_rows(ROWS))

    job, seen = upload_and_follow(committee_client, street_tree.compound_a1, data)

    assert job.status == ImportStatus.SUCCEEDED, job.problems
    assert Unit.objects.filter(compound=street_tree.compound_a1).count() == ROWS
    percents = [state["percent"] for state in seen]
    assert percents == sorted(percents) and percents[-1] == 100
    assert seen[-1]["created_rows"] == ROWS and seen[-1]["status_label"] == "导入成功"
    assert "已导入 1200 条记录" in committee_client.get(f"/admin/imports/jobs/{job.pk}/").text


def test_a_large_file_with_one_bad_row_leaves_nothing(worker_queue, committee_client, street_tree):
    rows = [*unit_rows(ROWS), unit_row(building="9幢", room="901", owner_phone="电话待补")]

    job, seen = upload_and_follow(committee_client, street_tree.compound_a1, units_workbook(rows))

    assert job.status == ImportStatus.FAILED
    assert [problem["row"] for problem in job.problems] == [ROWS + 2], job.problems
    assert seen[-1]["percent"] == 100 and seen[-1]["problem_count"] == 1
    assert not Unit.objects.exists()
    page = committee_client.get(f"/admin/imports/jobs/{job.pk}/").text
    assert f"第 {ROWS + 2} 行 F 列（业主手机号）：“电话待补”不是有效的手机号码" in page
    assert "未导入任何数据" in page


def test_a_large_file_whose_dimension_says_two_rows_is_read_whole_by_the_worker(
    worker_queue, committee_client, street_tree
):
    data = with_dimension(units_workbook(unit_rows(ROWS)), "A1:F2")

    job, seen = upload_and_follow(committee_client, street_tree.compound_a1, data)

    assert job.status == ImportStatus.SUCCEEDED, job.problems
    assert Unit.objects.filter(compound=street_tree.compound_a1).count() == ROWS
    assert seen[-1]["total_rows"] == ROWS
    page = committee_client.get(f"/admin/imports/jobs/{job.pk}/").text
    assert f"共读取 {ROWS} 行数据，已导入 {ROWS} 条记录。" in page


def test_the_worker_refuses_a_part_that_unpacks_to_more_than_it_declares(
    worker_queue, committee_client, street_tree, settings
):
    # Too large to read in the request, so only the worker unpacks it.
    settings.WEIZHI_IMPORT_INLINE_BYTES = 1
    data = understated(shared_strings_bomb(1_000_000), SHARED_STRINGS, 1024)

    job, _ = upload_and_follow(committee_client, street_tree.compound_a1, data)

    assert job.status == ImportStatus.FAILED
    assert not Unit.objects.exists()
    page = committee_client.get(f"/admin/imports/jobs/{job.pk}/").text
    assert "文件已损坏" in page and "未导入任何数据" in page
