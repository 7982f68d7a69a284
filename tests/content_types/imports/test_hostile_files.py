"""Crafted and odd workbooks: refused whole before anything is unpacked, or read row by row.

A zip bomb is refused by the upload form from the archive's directory alone, in well under a
second, and leaves no job and no rows. The rows a workbook holds are counted as they are read:
a ``<dimension>`` that lies, or none at all, changes nothing, and blank rows between data rows
are skipped and reported. The request reads a workbook once, and only a small one.
"""

from __future__ import annotations

import time

import pytest

from content_types.imports import workbook
from content_types.imports.models import ImportJob, ImportStatus
from content_types.units.models import Unit

from .factories import (
    SHARED_STRINGS,
    UNITS_FORM,
    many_entries,
    shared_strings_bomb,
    understated,
    unit_row,
    unit_rows,
    units_workbook,
    upload,
    with_dimension,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def hostile_files() -> dict[str, bytes]:
    """Built once: each takes a fraction of a second to pack."""
    small_bomb = shared_strings_bomb(3_000_000)
    return {
        # The two files of the report: 126 KB unpacking to 51 MB, 249 KB to 102 MB.
        "126 KB of shared strings that unpack to 51 MB": small_bomb,
        "249 KB of shared strings that unpack to 102 MB": shared_strings_bomb(6_000_000),
        "an honest file larger than the limit": units_workbook(unit_rows(1000)),
        "5,000 zip entries": many_entries(5_000),
        "a part that says it unpacks to 1 KB": understated(small_bomb, SHARED_STRINGS, 1024),
    }


HOSTILE = {
    "126 KB of shared strings that unpack to 51 MB": "“xl/sharedStrings.xml”压缩比异常（",
    "249 KB of shared strings that unpack to 102 MB": "“xl/sharedStrings.xml”压缩比异常（",
    "an honest file larger than the limit": "文件解压后过大（0.3 MB，上限 0.2 MB）",
    "5,000 zip entries": "文件中的压缩条目过多（5009 个，上限 1000 个）",
    "a part that says it unpacks to 1 KB": "文件已损坏",
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_zip_bomb_is_refused_at_once_and_changes_nothing(
    case, hostile_files, committee_client, street_tree, settings
):
    settings.WEIZHI_IMPORT_MAX_UNCOMPRESSED_BYTES = 200 * 1024  # the honest file unpacks to 319 KB
    committee_client.get(UNITS_FORM)  # the form's templates compiled, as on a running site

    started = time.perf_counter()
    response = upload(committee_client, street_tree.compound_a1, hostile_files[case])
    seconds = time.perf_counter() - started

    assert response.status_code == 200
    assert HOSTILE[case] in response.text, response.text[-3000:]
    assert seconds < 1, f"refused after {seconds:.1f} s"
    assert not ImportJob.objects.exists()
    assert not Unit.objects.exists()


def imported(response, compound) -> int:
    assert ImportJob.objects.get().status == ImportStatus.SUCCEEDED, response.text
    return Unit.objects.filter(compound=compound).count()


def test_a_dimension_that_declares_two_rows_does_not_drop_the_other_998(
    committee_client, street_tree
):
    data = with_dimension(units_workbook(unit_rows(1000)), "A1:F2")

    response = upload(committee_client, street_tree.compound_a1, data)

    assert imported(response, street_tree.compound_a1) == 1000
    assert "共读取 1000 行数据，已导入 1000 条房屋与业主名册记录。" in response.text


def test_a_sheet_without_a_dimension_is_read_to_its_last_row(committee_client, street_tree):
    data = with_dimension(units_workbook(unit_rows(40)), None)

    response = upload(committee_client, street_tree.compound_a1, data)

    assert imported(response, street_tree.compound_a1) == 40
    assert "共读取 40 行数据" in response.text


def test_a_dimension_that_declares_a_million_rows_reads_the_three_there_are(
    committee_client, street_tree
):
    data = with_dimension(units_workbook(), "A1:F1048576")

    response = upload(committee_client, street_tree.compound_a1, data)

    assert imported(response, street_tree.compound_a1) == 3
    assert "共读取 3 行数据，已导入 3 条" in response.text


GAPS = [
    *unit_rows(2),
    [None] * 6,  # no <row> at all in the file
    ["  ", "", None, "", " ", ""],  # a row of spaces, as a cleared row can be
    [None] * 6,
    *unit_rows(3, building="2幢"),
    ["", "", "", "", "", ""],  # blank rows after the last data row are no gap
]


def test_blank_rows_between_data_rows_are_skipped_and_reported(committee_client, street_tree):
    response = upload(committee_client, street_tree.compound_a1, units_workbook(GAPS))

    assert imported(response, street_tree.compound_a1) == 5
    assert "共读取 5 行数据（另跳过 3 个空行），已导入 5 条" in response.text
    job_page = committee_client.get(f"/admin/imports/jobs/{ImportJob.objects.get().pk}/").text
    assert "共读取 5 行数据（另跳过 3 个空行），已导入 5 条记录。" in job_page


def test_a_problem_after_a_gap_names_the_row_as_excel_numbers_it(committee_client, street_tree):
    rows = [*GAPS[:5], unit_row(building="2幢", exclusive_area="八十")]

    response = upload(committee_client, street_tree.compound_a1, units_workbook(rows))

    assert "第 7 行 D 列（专有面积）：“八十”不是数字" in response.text
    assert "共读取 3 行数据（另跳过 3 个空行），文件中有 1 处问题，未导入任何数据" in response.text
    assert not Unit.objects.exists()


def test_more_data_rows_than_the_limit_are_refused_whole(committee_client, street_tree, settings):
    settings.WEIZHI_IMPORT_MAX_ROWS = 50

    response = upload(committee_client, street_tree.compound_a1, units_workbook(unit_rows(51)))

    assert "表格的数据超过 50 行（第 52 行已超出），请分成几个文件导入。" in response.text
    assert ImportJob.objects.get().status == ImportStatus.FAILED
    assert not Unit.objects.exists()


@pytest.fixture
def workbooks_opened(monkeypatch) -> list[int]:
    """Counts the workbooks openpyxl parses from here on."""
    opened: list[int] = []
    original = workbook.load_workbook

    def counting(*args, **kwargs):
        opened.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(workbook, "load_workbook", counting)
    return opened


def test_a_small_file_is_parsed_once(workbooks_opened, committee_client, street_tree):
    upload(committee_client, street_tree.compound_a1, units_workbook())

    assert Unit.objects.count() == 3
    assert len(workbooks_opened) == 1


def test_the_request_leaves_a_file_that_unpacks_to_much_to_the_worker(
    workbooks_opened,
    committee_client,
    street_tree,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.WEIZHI_IMPORT_INLINE_BYTES = 10_000  # the three-row file unpacks to 17 KB

    with django_capture_on_commit_callbacks() as sent_to_the_worker:
        upload(committee_client, street_tree.compound_a1, units_workbook())

    assert ImportJob.objects.get().status == ImportStatus.PENDING
    assert len(sent_to_the_worker) == 1
    assert workbooks_opened == []
