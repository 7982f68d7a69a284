"""Reading an uploaded workbook within limits: its zip directory, its sheet, its data rows.

An upload is a zip archive, so before anything is unpacked its directory is checked against the
``WEIZHI_IMPORT_MAX_*`` limits (a small file must not unpack to gigabytes), and its rows are
counted as they are read: nothing the file declares about itself, such as the sheet's
``<dimension>``, decides how many rows are imported. Blank rows between data rows are skipped and
counted apart, so a gap in the register is no error and the result says how many rows were read.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import TYPE_CHECKING, Any

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator

# Zip parts smaller than this may compress as well as they like: they cannot unpack to much.
RATIO_GRACE_BYTES = 1024 * 1024


# How much of a part is unpacked at a time while checking it.
UNPACK_CHUNK_BYTES = 1024 * 1024


# Excel's last row: a row numbered beyond it was not written by Excel.
EXCEL_MAX_ROW = 1_048_576


# Each entry of a zip's central directory starts with this signature.
_DIRECTORY_ENTRY = b"PK\x01\x02"


_NOT_A_WORKBOOK = "文件已损坏或不是 Excel（.xlsx）文件，无法读取。"


# What openpyxl raises for a damaged file; SyntaxError is ElementTree's XML that does not parse.
_UNREADABLE = (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError)


class FileProblem(Exception):
    """The upload cannot be read as a workbook at all: nothing in it was looked at."""


class HandOff(Exception):
    """The file has more rows than the caller set out to read: it is the worker's to import."""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_archive(data: bytes) -> int:
    """Refuse an upload whose zip archive is out of bounds; return what it declares it unpacks to.

    Only the archive's directory is read, nothing is unpacked, so a crafted file (a "zip bomb")
    is refused in well under a second. The entries are counted by their signature before
    ``zipfile`` parses the directory, since a directory of a million entries is slow to parse.
    """
    entry_limit = settings.WEIZHI_IMPORT_MAX_ZIP_ENTRIES
    entries = data.count(_DIRECTORY_ENTRY)
    if entries > entry_limit:
        raise FileProblem(
            f"文件中的压缩条目过多（{entries} 个，上限 {entry_limit} 个），"
            "不是正常的 Excel 文件，未导入任何数据。"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise FileProblem(_NOT_A_WORKBOOK) from error
    if any(p.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for p in parts):
        raise FileProblem(_NOT_A_WORKBOOK)
    ratio_limit = settings.WEIZHI_IMPORT_MAX_COMPRESSION_RATIO
    for part in parts:
        if part.file_size > RATIO_GRACE_BYTES and part.file_size > ratio_limit * part.compress_size:
            ratio = part.file_size // max(part.compress_size, 1)
            raise FileProblem(
                f"文件中的“{part.filename}”压缩比异常（{ratio} 倍，上限 {ratio_limit} 倍），"
                "不是正常的 Excel 文件，未导入任何数据。"
            )
    unpacked = sum(part.file_size for part in parts)
    size_limit = settings.WEIZHI_IMPORT_MAX_UNCOMPRESSED_BYTES
    if unpacked > size_limit:
        raise FileProblem(
            f"文件解压后过大（{_megabytes(unpacked)}，上限 {_megabytes(size_limit)}），"
            "请删除无关的工作表和图片，或分成几个文件导入。未导入任何数据。"
        )
    return unpacked


def unpack_archive_bounded(data: bytes) -> None:
    """Unpack every part once, in chunks, refusing a part that yields more than it declares.

    ``check_archive`` believes the sizes in the directory; this makes them true before the
    workbook is parsed, whatever the zip library would do with a part that lies.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for part in archive.infolist():
                unpacked = 0
                with archive.open(part) as stream:
                    while chunk := stream.read(UNPACK_CHUNK_BYTES):
                        unpacked += len(chunk)
                        if unpacked > part.file_size:
                            raise FileProblem(
                                f"文件已损坏：其中的“{part.filename}”解压后比它声明的更大，"
                                "未导入任何数据。"
                            )
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, RuntimeError) as error:
        raise FileProblem(_NOT_A_WORKBOOK) from error


def open_sheet_rows(data: bytes) -> Generator[tuple[Any, ...], None, None]:
    """The first sheet's rows as values, to its last row; ``FileProblem`` for a bad file.

    openpyxl's read-only mode believes the sheet's ``<dimension>``: it stops at the last row
    declared there and pads up to it. The dimension is dropped, so the rows are read as they are.
    """
    check_archive(data)
    unpack_archive_bounded(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, *_UNREADABLE) as error:
        raise FileProblem(_NOT_A_WORKBOOK) from error
    try:
        if not workbook.worksheets:
            raise FileProblem("文件中没有工作表。")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        yield from sheet.iter_rows(values_only=True)
    except _UNREADABLE as error:
        raise FileProblem("文件已损坏，读取表格内容时出错。") from error
    finally:
        workbook.close()


def read_body(
    rows: Iterator[tuple[Any, ...]], width: int, read_at_most: int | None
) -> tuple[list[tuple[int, tuple[Any, ...]]], int]:
    """The data rows below the header, with their sheet row numbers, and the blank rows skipped.

    Rows are counted as they are read, up to ``WEIZHI_IMPORT_MAX_ROWS`` data rows. A blank row is
    skipped, and counted when data follows it (blank rows at the end are not gaps). Each row is
    cut to the ``width`` columns the import reads. Raises ``HandOff`` past ``read_at_most`` rows.
    """
    row_limit = settings.WEIZHI_IMPORT_MAX_ROWS
    body: list[tuple[int, tuple[Any, ...]]] = []
    skipped = gap = 0
    for number, row in enumerate(rows, start=2):
        if read_at_most is not None and number - 1 > read_at_most:
            raise HandOff
        if number > EXCEL_MAX_ROW:
            raise FileProblem(f"文件已损坏：工作表的行号超出 Excel 的上限 {EXCEL_MAX_ROW}。")
        if all(is_blank(cell) for cell in row):
            gap += 1
            continue
        if len(body) == row_limit:
            raise FileProblem(
                f"表格的数据超过 {row_limit} 行（第 {number} 行已超出），请分成几个文件导入。"
            )
        body.append((number, row[:width]))
        skipped, gap = skipped + gap, 0
    return body, skipped


def header_name(value: Any) -> str:
    """A header as typed, forgiving spaces and half-width brackets: ``专有面积 (平方米)``."""
    name = "" if value is None else str(value)
    return "".join(name.split()).replace("(", "（").replace(")", "）")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
