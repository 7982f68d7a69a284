"""What each Excel import reads, how it checks every cell, and how it writes the rows.

An import is all-or-nothing: every row is checked first, and only a file without a single problem
is written, in one transaction. Each problem names the sheet row and column the way the user sees
them in Excel ("第 12 行 E 列（专有面积）：……"), so a committee clerk can fix the file and upload it
again. Columns are found by their header text, in any order; the template puts them in the order
the registers use.

An upload is a zip archive, so before anything is unpacked its directory is checked against the
``WEIZHI_IMPORT_MAX_*`` limits (a small file must not unpack to gigabytes), and its rows are
counted as they are read: nothing the file declares about itself, such as the sheet's
``<dimension>``, decides how many rows are imported. Blank rows between data rows are skipped and
counted apart, so a gap in the register is no error and the result says how many rows were read.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from wagtail.log_actions import log

from content_types.committees.models import CommitteeCandidate, Specialty, VettingStage
from content_types.roles.models import Role
from content_types.roles.permissions import scope_policy_for
from content_types.roles.scope import compounds_for, is_active_superuser, scope_roles_for
from content_types.structure.models import CompoundPage
from content_types.units.models import Unit, unit_label

User = AbstractBaseUser | AnonymousUser

# At most this many problems are kept and shown; the count says how many there were in all.
MAX_PROBLEMS_SHOWN = 200
WRITE_BATCH = 1000
PROGRESS_EVERY = 500
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

_PHONE_CHARACTERS = re.compile(r"[\d\s\-+()（）]+")
_TRUE = {"是", "y", "yes", "true", "1", "党员", "中共党员"}
_FALSE = {"否", "n", "no", "false", "0", "非党员", "群众"}


class FileProblem(Exception):
    """The upload cannot be read as a workbook at all: nothing in it was looked at."""


class HandOff(Exception):
    """The file has more rows than the caller set out to read: it is the worker's to import."""


@dataclass(frozen=True)
class Problem:
    """One problem in the file, at a sheet row and column where it has one."""

    message: str
    row: int | None = None
    column: str | None = None
    header: str | None = None

    def __str__(self) -> str:
        if self.row and self.column:
            return f"第 {self.row} 行 {self.column} 列（{self.header}）：{self.message}"
        if self.row:
            return f"第 {self.row} 行：{self.message}"
        return self.message

    def as_dict(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "row": self.row,
            "column": self.column,
            "header": self.header,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        return cls(**{key: data.get(key) for key in ("message", "row", "column", "header")})


class CellError(ValueError):
    """A cell's value is not acceptable; the message says why, in the user's words."""


@dataclass(frozen=True)
class Column:
    """One column of an import: its header in the template, and how its cells are read."""

    key: str
    header: str
    parse: Callable[[Any], Any]
    required: bool = True
    aliases: tuple[str, ...] = ()
    example: Any = ""
    help: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


@dataclass
class Outcome:
    """What an import did: the rows it created, or the problems that stopped it."""

    total_rows: int = 0
    created: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    blank_rows: int = 0

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_SHOWN:
            self.problems.append(problem)

    @property
    def succeeded(self) -> bool:
        return self.problem_count == 0


# --------------------------------------------------------------------------- reading the file


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


def open_sheet_rows(data: bytes) -> Iterator[tuple[Any, ...]]:
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
        if all(_blank(cell) for cell in row):
            gap += 1
            continue
        if len(body) == row_limit:
            raise FileProblem(
                f"表格的数据超过 {row_limit} 行（第 {number} 行已超出），请分成几个文件导入。"
            )
        body.append((number, row[:width]))
        skipped, gap = skipped + gap, 0
    return body, skipped


def _header(value: Any) -> str:
    """A header as typed, forgiving spaces and half-width brackets: ``专有面积 (平方米)``."""
    name = "" if value is None else str(value)
    return "".join(name.split()).replace("(", "（").replace(")", "）")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --------------------------------------------------------------------------- cell parsers


def text(max_length: int) -> Callable[[Any], str]:
    """Text as typed; whole numbers (Excel stores ``502`` as a number) read as their digits."""

    def parse(value: Any) -> str:
        if isinstance(value, bool):
            raise CellError("应填写文字，不能是“是/否”值。")
        if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
            raise CellError("应填写文字，不能是日期或时间。")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        result = str(value).strip()
        if len(result) > max_length:
            raise CellError(f"不能超过 {max_length} 个字（现有 {len(result)} 个）。")
        return result

    return parse


def area(value: Any) -> Decimal:
    """Square metres, more than zero, to the hundredth at most (as the registry records it)."""
    if isinstance(value, bool | datetime.date | datetime.time):
        raise CellError("应填写数字（平方米），如 89.50。")
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as error:
        raise CellError(f"“{value}”不是数字，请填写平方米数，如 89.50。") from error
    if not number.is_finite():
        raise CellError(f"“{value}”不是数字，请填写平方米数，如 89.50。")
    if number < 0:
        raise CellError(f"不能为负数（现为 {number}）。")
    if number == 0:
        raise CellError("必须大于 0。")
    if number != number.quantize(Decimal("0.01")):
        raise CellError(f"最多保留两位小数（现为 {number}）。")
    if number >= Decimal("100000000"):
        raise CellError(f"数值过大（现为 {number}），请核对单位是否为平方米。")
    return number.quantize(Decimal("0.01"))


def phone(value: Any) -> str:
    """A phone the voting page can check the last four digits of; stored as digits only."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise CellError("应填写手机号码，如 13800138000。")
    raw = str(value).strip()
    if not _PHONE_CHARACTERS.fullmatch(raw):
        raise CellError(f"“{raw}”不是有效的手机号码，只能包含数字。")
    unit = Unit(owner_phone=raw)
    try:
        unit.clean()
    except ValidationError as error:
        raise CellError(f"“{raw}”位数不对。{error.message_dict['owner_phone'][0]}") from error
    return unit.owner_phone


def yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if _blank(value):
        return False
    answer = str(value).strip().lower()
    if answer in _TRUE:
        return True
    if answer in _FALSE:
        return False
    raise CellError(f"“{value}”无法识别，请填写“是”或“否”。")


def choice(choices: type[models.TextChoices], default: str) -> Callable[[Any], str]:
    by_label = {str(label): value for value, label in choices.choices}

    def parse(value: Any) -> str:
        if _blank(value):
            return default
        label = str(value).strip()
        if label not in by_label:
            allowed = "、".join(by_label)
            raise CellError(f"“{label}”不在可选范围内，请填写{allowed}之一。")
        return by_label[label]

    return parse


# --------------------------------------------------------------------------- importers


class Importer:
    """One kind of import: its columns, who may run it where, and how rows are written."""

    kind: ClassVar[str]
    label: ClassVar[str]
    model: ClassVar[type[models.Model]]
    columns: ClassVar[tuple[Column, ...]]
    duplicate_column: ClassVar[str]

    def compounds_for(self, user: User) -> QuerySet[CompoundPage]:
        raise NotImplementedError

    def key(self, values: dict[str, Any]) -> tuple[str, ...]:
        raise NotImplementedError

    def describe(self, values: dict[str, Any]) -> str:
        raise NotImplementedError

    def existing_keys(self, compound: CompoundPage) -> set[tuple[str, ...]]:
        raise NotImplementedError

    def build(self, compound: CompoundPage, values: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def write(self, rows: list[models.Model], user: User | None) -> None:
        """Store checked rows; called inside the import's transaction."""
        self.model._default_manager.bulk_create(rows, batch_size=WRITE_BATCH)

    # -- the shared pipeline

    def template_workbook(self) -> bytes:
        """The .xlsx users fill in: the headers, one example row, and a note on each column."""
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = self.label
        for index, column in enumerate(self.columns, start=1):
            header = sheet.cell(row=1, column=index, value=column.header)
            header.font = Font(bold=True)
            sheet.cell(row=2, column=index, value=column.example)
            sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.help) + 4)
        notes = workbook.create_sheet("填写说明")
        notes.append(["列", "是否必填", "说明"])
        for column in self.columns:
            notes.append([column.header, "必填" if column.required else "可空", column.help])
        notes.append([])
        notes.append(["第 2 行是示例，导入前请删除或改为真实数据。只读取第一个工作表。"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def locate_columns(self, header_row: Sequence[Any], outcome: Outcome) -> dict[str, int]:
        """Map each column's key to its index in the sheet, reporting missing or repeated ones."""
        found: dict[str, int] = {}
        by_name = {_header(name): column for column in self.columns for name in column.names}
        for index, cell in enumerate(header_row):
            column = by_name.get(_header(cell))
            if column is None:
                continue
            if column.key in found:
                first = get_column_letter(found[column.key] + 1)
                outcome.add(
                    Problem(
                        f"表头“{column.header}”重复出现（另见 {first} 列），请只保留一列。",
                        row=1,
                        column=get_column_letter(index + 1),
                        header=column.header,
                    )
                )
                continue
            found[column.key] = index
        for column in self.columns:
            if column.key not in found:
                outcome.add(
                    Problem(f"缺少表头“{column.header}”，请使用导入模板，不要修改第 1 行。", row=1)
                )
        return found

    def run(
        self,
        compound: CompoundPage,
        data: bytes,
        progress: Callable[[int, int], None] | None = None,
        user: User | None = None,
        read_at_most: int | None = None,
    ) -> Outcome:
        """Check every row, then write all of them or none. Raises ``FileProblem`` if unreadable.

        With ``read_at_most``, raises ``HandOff`` as soon as the sheet proves to have more rows.
        """
        outcome = Outcome()
        with closing(open_sheet_rows(data)) as rows:
            header = next(rows, ())
            if all(_blank(cell) for cell in header):
                outcome.add(Problem("第 1 行没有表头：请使用导入模板填写。", row=1))
                return outcome
            positions = self.locate_columns(header, outcome)
            if not outcome.succeeded:
                return outcome
            body, outcome.blank_rows = read_body(rows, max(positions.values()) + 1, read_at_most)
        outcome.total_rows = len(body)
        if not body:
            outcome.add(Problem("表格中没有数据行：第 1 行为表头，请从第 2 行起填写。"))
            return outcome
        if progress:
            progress(0, len(body))
        existing = self.existing_keys(compound)
        seen: dict[tuple[str, ...], int] = {}
        built: list[models.Model] = []
        for done, (number, row) in enumerate(body, start=1):
            values = self.check_row(number, row, positions, outcome)
            if values is not None:
                self.check_duplicate(number, values, positions, seen, existing, outcome)
                if outcome.succeeded:
                    built.append(self.build(compound, values))
            if progress and (done % PROGRESS_EVERY == 0 or done == len(body)):
                progress(done, len(body))
        if not outcome.succeeded:
            return outcome
        try:
            with transaction.atomic():
                self.write(built, user)
        except IntegrityError:
            outcome.add(
                Problem(
                    f"写入时发现{compound.title}已有表格中的记录（可能有人同时录入），"
                    "本次未导入任何数据，请核对后重新导入。"
                )
            )
            return outcome
        outcome.created = len(built)
        return outcome

    def check_row(
        self, number: int, row: Sequence[Any], positions: dict[str, int], outcome: Outcome
    ) -> dict[str, Any] | None:
        values: dict[str, Any] = {}
        fine = True
        for column in self.columns:
            index = positions[column.key]
            value = row[index] if index < len(row) else None
            letter = get_column_letter(index + 1)
            if _blank(value) and column.required:
                outcome.add(Problem("不能为空。", number, letter, column.header))
                fine = False
                continue
            try:
                values[column.key] = column.parse("" if value is None else value)
            except CellError as error:
                outcome.add(Problem(str(error), number, letter, column.header))
                fine = False
        return values if fine else None

    def check_duplicate(
        self,
        number: int,
        values: dict[str, Any],
        positions: dict[str, int],
        seen: dict[tuple[str, ...], int],
        existing: set[tuple[str, ...]],
        outcome: Outcome,
    ) -> None:
        key = self.key(values)
        column = next(c for c in self.columns if c.key == self.duplicate_column)
        where = {
            "row": number,
            "column": get_column_letter(positions[column.key] + 1),
            "header": column.header,
        }
        if key in seen:
            outcome.add(Problem(f"{self.describe(values)}与第 {seen[key]} 行重复。", **where))
        elif key in existing:
            outcome.add(Problem(f"{self.describe(values)}已在系统中登记，不能重复导入。", **where))
        else:
            seen[key] = number


class UnitsImporter(Importer):
    """房屋与业主名册: one row per exclusive part, with its registered area and owner."""

    kind = "units"
    label = "房屋与业主名册"
    model = Unit
    duplicate_column = "room"
    columns = (
        Column("building", "楼栋", text(20), example="3幢", help="如：3幢、A座。"),
        Column("entrance", "单元", text(20), required=False, example="1", help="没有单元可留空。"),
        Column("room", "室", text(20), aliases=("房号", "室号"), example="502", help="如：502。"),
        Column(
            "exclusive_area",
            "专有面积",
            area,
            aliases=("专有部分面积", "专有部分面积（平方米）", "专有面积（平方米）"),
            example=89.5,
            help="平方米，以不动产登记簿为准，最多两位小数。",
        ),
        Column("owner_name", "业主姓名", text(100), example="张三", help="共有人可写多个姓名。"),
        Column(
            "owner_phone",
            "业主手机号",
            phone,
            aliases=("手机号", "联系电话"),
            example="13800138000",
            help="网络投票时核验后四位，不对外公开。",
        ),
    )

    def compounds_for(self, user: User) -> QuerySet[CompoundPage]:
        # The units register feeds the owners' assembly votes: kept by those who run them.
        return compounds_for(user, Role.VOTE_ORGANISERS)

    def key(self, values: dict[str, Any]) -> tuple[str, ...]:
        return (values["building"], values["entrance"], values["room"])

    def describe(self, values: dict[str, Any]) -> str:
        return unit_label(values["building"], values["entrance"], values["room"])

    def existing_keys(self, compound: CompoundPage) -> set[tuple[str, ...]]:
        return set(
            Unit.objects.filter(compound=compound).values_list("building", "entrance", "room")
        )

    def build(self, compound: CompoundPage, values: dict[str, Any]) -> Unit:
        # Bulk creation skips save(), which derives the owner key: derive it here.
        unit = Unit(compound=compound, **values)
        unit.derive_digests()
        return unit


class CandidatesImporter(Importer):
    """业委会人选储备库: prospective members; each enters at the first vetting stage."""

    kind = "candidates"
    label = "业委会人选储备库"
    model = CommitteeCandidate
    duplicate_column = "name"
    columns = (
        Column("name", "姓名", text(50), example="李四", help="同一小区内姓名不能重复。"),
        Column(
            "is_party_member",
            "中共党员",
            yes_no,
            required=False,
            aliases=("是否党员", "党员"),
            example="是",
            help="填“是”或“否”，留空视为否。",
        ),
        Column(
            "specialty",
            "专业特长",
            choice(Specialty, Specialty.OTHER),
            required=False,
            example="财务",
            help="财务、法律、工程或其他，留空视为其他。",
        ),
        Column(
            "notes",
            "考察情况",
            text(2000),
            required=False,
            aliases=("备注",),
            example="小区党支部推荐",
            help="可空。",
        ),
    )

    def compounds_for(self, user: User) -> QuerySet[CompoundPage]:
        return scope_policy_for(CommitteeCandidate).scopes_user_has_any_permission_for(
            user, ["add"]
        )

    def key(self, values: dict[str, Any]) -> tuple[str, ...]:
        return (values["name"],)

    def describe(self, values: dict[str, Any]) -> str:
        return f"人选“{values['name']}”"

    def existing_keys(self, compound: CompoundPage) -> set[tuple[str, ...]]:
        names = CommitteeCandidate.objects.filter(compound=compound).values_list("name", flat=True)
        return {(name,) for name in names}

    def build(self, compound: CompoundPage, values: dict[str, Any]) -> CommitteeCandidate:
        return CommitteeCandidate(
            compound=compound, vetting_stage=VettingStage.RECOMMENDED, **values
        )

    def write(self, rows: list[models.Model], user: User | None) -> None:
        """One by one, as the admin saves them: a first revision and a "created" log entry
        each, so the vetting chain and the history see imported candidates like typed ones.
        A pool holds tens of people, not thousands."""
        for candidate in rows:
            candidate.save()
            candidate.save_revision(user=user, clean=False)
            log(candidate, "wagtail.create", user=user)


IMPORTERS: dict[str, Importer] = {
    importer.kind: importer for importer in (UnitsImporter(), CandidatesImporter())
}


def may_import_somewhere(user: User) -> bool:
    """Whether ``user`` holds a role that may import into some compound, for the admin menu.

    Shown on every admin page, so it reads the roles the user holds over each compound, loaded
    once per request (``scope_roles_for``) for every menu that asks.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if is_active_superuser(user):
        return True
    roles = {*Role.VOTE_ORGANISERS, *scope_policy_for(CommitteeCandidate).roles_granting(["add"])}
    compound = CompoundPage._meta.model_name
    return any(kind == compound and held & roles for kind, held in scope_roles_for(user).values())


def importable_kinds(user: User) -> Iterable[Importer]:
    """The imports ``user`` may run into at least one compound."""
    return [importer for importer in IMPORTERS.values() if importer.compounds_for(user).exists()]
