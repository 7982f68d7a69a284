"""Workbooks for import tests, built with openpyxl as a user's Excel would save them.

Usage::

    data = units_workbook()                                   # the template's headers, 3 good rows
    data = units_workbook(rows=[unit_row(room="502", exclusive_area=-1)])
    data = units_workbook(headers=["楼栋", "室"])              # headers missing
    data = candidates_workbook(rows=[candidate_row(name="李四")])
    upload = xlsx_upload(data, "名册.xlsx")                    # for the admin form

Rows are lists in header order; ``unit_row`` and ``candidate_row`` take the cell values by name.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

UNIT_HEADERS = ["楼栋", "单元", "室", "专有面积", "业主姓名", "业主手机号"]
CANDIDATE_HEADERS = ["姓名", "中共党员", "专业特长", "考察情况"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def unit_row(
    building: Any = "1幢",
    entrance: Any = "1",
    room: Any = "101",
    exclusive_area: Any = 89.5,
    owner_name: Any = "张三",
    owner_phone: Any = "13800138000",
) -> list[Any]:
    return [building, entrance, room, exclusive_area, owner_name, owner_phone]


def unit_rows(count: int, building: str = "1幢") -> list[list[Any]]:
    """``count`` distinct good rows, one owner (phone) each."""
    return [
        unit_row(
            building=building,
            entrance=str(n // 100 + 1),
            room=str(101 + n % 100),
            exclusive_area=round(60 + (n % 50) * 1.25, 2),
            owner_name=f"业主{n}",
            owner_phone=f"139{n:08d}",
        )
        for n in range(count)
    ]


def units_workbook(
    rows: Iterable[Sequence[Any]] | None = None, headers: Sequence[Any] = UNIT_HEADERS
) -> bytes:
    return workbook(headers, unit_rows(3) if rows is None else rows)


def candidate_row(
    name: Any = "李四", party: Any = "是", specialty: Any = "财务", notes: Any = ""
) -> list[Any]:
    return [name, party, specialty, notes]


def candidates_workbook(
    rows: Iterable[Sequence[Any]] | None = None, headers: Sequence[Any] = CANDIDATE_HEADERS
) -> bytes:
    default = [candidate_row("李四"), candidate_row("王五", "否", "法律", "业主联名推荐")]
    return workbook(headers, default if rows is None else rows)


def xlsx_upload(data: bytes, name: str = "导入.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)
