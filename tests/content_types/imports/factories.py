"""Workbooks for import tests, built with openpyxl as a user's Excel would save them.

Usage::

    data = units_workbook()                                   # the template's headers, 3 good rows
    data = units_workbook(rows=[unit_row(room="502", exclusive_area=-1)])
    data = units_workbook(headers=["楼栋", "室"])              # headers missing
    data = candidates_workbook(rows=[candidate_row(name="李四")])
    upload = xlsx_upload(data, "名册.xlsx")                    # for the admin form
    response = upload(client, compound, data)          # posted, and followed
    data = with_dimension(units_workbook(unit_rows(1000)), "A1:F2")  # a dimension that lies
    data = with_dimension(data, None)                         # no <dimension> at all
    data = shared_strings_bomb(3_000_000)                     # 126 KB that unpacks to 51 MB

Rows are lists in header order; ``unit_row`` and ``candidate_row`` take the cell values by name.
The hostile files are rewritten at the zip level, as a crafted upload would be.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from django.test import Client

    from content_types.structure.models import CompoundPage

UNIT_HEADERS = ["楼栋", "单元", "室", "专有面积", "业主姓名", "业主手机号"]
CANDIDATE_HEADERS = ["姓名", "中共党员", "专业特长", "考察情况"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNITS_FORM = "/admin/imports/units/new/"


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


def upload(client: Client, compound: CompoundPage, data: bytes, name: str = "名册.xlsx"):
    """The units import form posted with ``data``, followed to the page the user lands on."""
    return client.post(
        UNITS_FORM, {"compound": compound.pk, "file": xlsx_upload(data, name)}, follow=True
    )


SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"


def rewrite_parts(data: bytes, parts: dict[str, Callable[[bytes], bytes]]) -> bytes:
    """The workbook with each named part passed through its function; new names are added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    pending = dict(parts)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename in pending:
                body = pending.pop(info.filename)(body)
            target.writestr(info.filename, body)
        for name, make in pending.items():
            target.writestr(name, make(b""))
    return buffer.getvalue()


def with_dimension(data: bytes, ref: str | None) -> bytes:
    """The first sheet with its ``<dimension>`` changed to ``ref``, or removed for None."""
    element = b"" if ref is None else f'<dimension ref="{ref}"/>'.encode()

    def rewrite(sheet: bytes) -> bytes:
        rewritten, found = re.subn(rb"<dimension [^>]*/>", element, sheet)
        assert found == 1, "the sheet has no <dimension> to rewrite"
        return rewritten

    return rewrite_parts(data, {SHEET: rewrite})


def shared_strings_bomb(entries: int) -> bytes:
    """A small good workbook whose shared-strings part repeats one string ``entries`` times."""
    strings = b"<si><t>x</t></si>" * entries
    table = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'count="%d" uniqueCount="%d">%s</sst>' % (entries, entries, strings)
    )
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    return rewrite_parts(
        units_workbook(),
        {
            "[Content_Types].xml": lambda types: types.replace(b"</Types>", override),
            SHARED_STRINGS: lambda _: table,
        },
    )


def many_entries(count: int) -> bytes:
    """A good workbook followed by ``count`` empty zip entries."""
    return rewrite_parts(
        units_workbook(), {f"xl/media/empty{n}.bin": lambda _: b"" for n in range(count)}
    )


def understated(data: bytes, name: str, declared: int) -> bytes:
    """The archive with ``name``'s uncompressed size given as ``declared`` in both headers."""
    data = bytearray(data)
    encoded = name.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = data.find(signature)
        while data[start + name_at : start + name_at + len(encoded)] != encoded:
            start = data.find(signature, start + 1)
            assert start >= 0, f"{name} is not in the archive"
        struct.pack_into("<L", data, start + size_at, declared)
    return bytes(data)
