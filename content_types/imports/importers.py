"""What each Excel import reads, how it checks every cell, and how it writes the rows.

An import is all-or-nothing: every row is checked first, and only a file without a single problem
is written, in one transaction. Each problem names the sheet row and column the way the user sees
them in Excel ("第 12 行 E 列（专有面积）：……"), so a committee clerk can fix the file and upload it
again. Columns are found by their header text, in any order; the template puts them in the order
the registers use.

Reading the workbook within its limits is ``workbook``; reading each cell is ``cells``.
"""

from __future__ import annotations

import io
from contextlib import closing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, models, transaction
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from wagtail.log_actions import log

from content_types.committees.models import CommitteeCandidate, Specialty, VettingStage
from content_types.roles.models import Role
from content_types.roles.permissions import scope_policy_for
from content_types.roles.scope import compounds_for, is_active_superuser, scope_roles_for
from content_types.structure.models import CompoundPage
from content_types.units.models import Unit, unit_label

from .cells import CellError, Column, area, choice, phone, text, yes_no
from .workbook import header_name, is_blank, open_sheet_rows, read_body

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from django.db.models import QuerySet

User = AbstractBaseUser | AnonymousUser

# At most this many problems are kept and shown; the count says how many there were in all.
MAX_PROBLEMS_SHOWN = 200


WRITE_BATCH = 1000


PROGRESS_EVERY = 500


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
        return cls(data["message"], data.get("row"), data.get("column"), data.get("header"))


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
        by_name = {header_name(name): column for column in self.columns for name in column.names}
        for index, cell in enumerate(header_row):
            column = by_name.get(header_name(cell))
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
            if all(is_blank(cell) for cell in header):
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
            if is_blank(value) and column.required:
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
            candidate.save_revision(user=user, clean=False)  # type: ignore[attr-defined]
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
