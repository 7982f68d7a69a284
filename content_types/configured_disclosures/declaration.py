"""A disclosure kind declared in the configuration file: its header fields, table and rules.

The same declaration checks the file (``site_config``), builds the admin's form, checks what
an editor types (each problem naming its row and column, in Chinese) and types the API's
cells, so a kind needs no code of its own. Cells are kept as JSON: text as text, integers as
numbers, decimals, money and percentages as exact decimal text, dates as ISO text, documents
and images by id.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models

from content_types.disclosures.models.base import percent

#: Text cells are short by design: a table is read on a screen and on paper.
MAX_TEXT = 500
#: A page's table may not grow without bound (the form, the API and the print all read it).
MAX_ROWS = 500
TWO_PLACES = Decimal("0.01")


class ColumnType(models.TextChoices):
    TEXT = "text", "文本"
    INTEGER = "integer", "整数"
    DECIMAL = "decimal", "小数"
    MONEY = "money", "金额（元）"
    PERCENT = "percent", "百分比"
    DATE = "date", "日期"
    CHOICE = "choice", "选项"
    DOCUMENT = "document", "文档"
    IMAGE = "image", "图片"


NUMERIC = frozenset({ColumnType.INTEGER, ColumnType.DECIMAL, ColumnType.MONEY, ColumnType.PERCENT})
FILES = frozenset({ColumnType.DOCUMENT, ColumnType.IMAGE})


class RuleType(models.TextChoices):
    TOTAL = "total", "合计等于"
    BOUNDS = "bounds", "取值范围"
    NOT_BEFORE = "not_before", "日期不早于"


class CellError(ValueError):
    """What is wrong with one typed value, in Chinese, without saying where."""


@dataclass(frozen=True)
class Column:
    """A header field or a table column."""

    code: str
    label: str
    type: str = ColumnType.TEXT
    required: bool = False
    options: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Column:
        return cls(
            code=data["code"],
            label=data["label"],
            type=data.get("type", ColumnType.TEXT),
            required=bool(data.get("required", False)),
            options=tuple(data.get("options", ())),
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "label": self.label, "type": self.type}
        if self.required:
            data["required"] = True
        if self.options:
            data["options"] = list(self.options)
        return data

    @property
    def type_label(self) -> str:
        return str(ColumnType(self.type).label)

    def parse(self, raw: Any) -> Any:
        """The stored form of ``raw`` (as typed or as stored), or ``CellError``."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if self.required:
                raise CellError("必须填写。")
            return None
        text = str(raw).strip()
        parser = _PARSERS[ColumnType(self.type)]
        return parser(self, text)

    def value(self, stored: Any) -> Any:
        """A stored cell as Python: Decimal, date or int where the type says so."""
        if stored is None:
            return None
        if self.type in {ColumnType.DECIMAL, ColumnType.MONEY, ColumnType.PERCENT}:
            return Decimal(stored)
        if self.type == ColumnType.DATE:
            return datetime.date.fromisoformat(stored)
        return stored

    def display(self, stored: Any) -> str:
        """A stored cell as people read it (files are shown by their owner)."""
        if stored is None:
            return ""
        if self.type == ColumnType.MONEY:
            return f"{Decimal(stored):,.2f}"
        if self.type == ColumnType.PERCENT:
            return f"{Decimal(stored)}%"
        if self.type == ColumnType.DATE:
            day = datetime.date.fromisoformat(stored)
            return f"{day.year}年{day.month}月{day.day}日"
        return str(stored)


def _text(column: Column, text: str) -> str:
    if len(text) > MAX_TEXT:
        raise CellError(f"不能超过 {MAX_TEXT} 个字。")
    return text


def _integer(column: Column, text: str) -> int:
    try:
        return int(text.replace(",", ""))
    except ValueError:
        raise CellError(f"应为整数，现为“{text[:20]}”。") from None


def _decimal(text: str, places: int | None = None, unit: str = "") -> Decimal:
    try:
        value = Decimal(text.replace(",", "").removesuffix(unit or "%"))
    except InvalidOperation:
        raise CellError(f"应为数字，现为“{text[:20]}”。") from None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        raise CellError("数值超出范围。")
    exponent = value.as_tuple().exponent
    if places is not None and isinstance(exponent, int) and -exponent > places:
        raise CellError(f"最多保留 {places} 位小数。")
    return value


def _decimal_cell(column: Column, text: str) -> str:
    return str(_decimal(text, 6))


def _money(column: Column, text: str) -> str:
    value = _decimal(text, 2, unit="元")
    if value < 0:
        raise CellError("金额不能为负数。")
    return str(value.quantize(TWO_PLACES))


def _percent(column: Column, text: str) -> str:
    return str(_decimal(text, 2).quantize(TWO_PLACES))


def _date(column: Column, text: str) -> str:
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise CellError(f"应为日期，如 2026-01-31，现为“{text[:20]}”。") from None


def _choice(column: Column, text: str) -> str:
    if text not in column.options:
        raise CellError(f"应为以下之一：{'、'.join(column.options)}。")
    return text


def _file(column: Column, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CellError(f"请选择{column.type_label}。") from None


_PARSERS = {
    ColumnType.TEXT: _text,
    ColumnType.INTEGER: _integer,
    ColumnType.DECIMAL: _decimal_cell,
    ColumnType.MONEY: _money,
    ColumnType.PERCENT: _percent,
    ColumnType.DATE: _date,
    ColumnType.CHOICE: _choice,
    ColumnType.DOCUMENT: _file,
    ColumnType.IMAGE: _file,
}


@dataclass(frozen=True)
class Rule:
    """``total``: the column's total equals the header field; ``bounds``: the column's (or the
    header field's) values lie within ``min``..``max``; ``not_before``: in each row the column's
    date is not before ``other``'s."""

    type: str
    column: str
    header: str = ""
    other: str = ""
    min: Decimal | None = None
    max: Decimal | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Rule:
        return cls(
            type=data["type"],
            column=data["column"],
            header=data.get("header", ""),
            other=data.get("other", ""),
            min=Decimal(data["min"]) if data.get("min") is not None else None,
            max=Decimal(data["max"]) if data.get("max") is not None else None,
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": self.type, "column": self.column}
        for name in ("header", "other"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        for name in ("min", "max"):
            if getattr(self, name) is not None:
                data[name] = str(getattr(self, name))
        return data


@dataclass(frozen=True)
class Computed:
    """A column computed in each row: ``numerator`` / ``denominator`` as a percentage."""

    code: str
    label: str
    numerator: str
    denominator: str

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Computed | None:
        return cls(**data) if data else None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "numerator": self.numerator,
            "denominator": self.denominator,
        }

    def compute(self, row: dict[str, Any]) -> str | None:
        part, whole = row.get(self.numerator), row.get(self.denominator)
        if part is None or whole is None:
            return None
        ratio = percent(Decimal(part), Decimal(whole))
        return None if ratio is None else str(ratio)


@dataclass(frozen=True)
class TableProblem:
    """One problem, at a header field (``row`` None) or a row (from 1) and column."""

    message: str
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        place = f"第 {self.row} 行" if self.row is not None else ""
        if self.column:
            place += f"“{self.column}”"
        return f"{place}：{self.message}" if place else self.message


@dataclass(frozen=True)
class Declaration:
    code: str
    name: str
    header: tuple[Column, ...] = ()
    columns: tuple[Column, ...] = ()
    rules: tuple[Rule, ...] = ()
    computed: Computed | None = None
    by_code: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_code.update({column.code: column for column in (*self.header, *self.columns)})

    @classmethod
    def from_json(
        cls,
        code: str,
        name: str,
        header: list[dict[str, Any]],
        columns: list[dict[str, Any]],
        rules: list[dict[str, Any]],
        computed: dict[str, Any] | None,
    ) -> Declaration:
        return cls(
            code=code,
            name=name,
            header=tuple(Column.from_json(item) for item in header),
            columns=tuple(Column.from_json(item) for item in columns),
            rules=tuple(Rule.from_json(item) for item in rules),
            computed=Computed.from_json(computed),
        )

    def check(
        self, header: dict[str, Any], rows: list[dict[str, Any]]
    ) -> tuple[dict[str, Any], list[dict[str, Any]], list[TableProblem]]:
        """The header and rows as stored, and every problem with them, each named by row and
        column; rows left wholly blank are dropped."""
        problems: list[TableProblem] = []
        if len(rows) > MAX_ROWS:
            return {}, [], [TableProblem(f"表格最多 {MAX_ROWS} 行，现有 {len(rows)} 行。")]
        clean_header = {}
        for column in self.header:
            try:
                clean_header[column.code] = column.parse(header.get(column.code))
            except CellError as error:
                problems.append(TableProblem(str(error), None, column.label))
        clean_rows: list[dict[str, Any]] = []
        for raw in rows:
            if all(raw.get(c.code) in (None, "") for c in self.columns):
                continue
            number = len(clean_rows) + 1
            row = {}
            for column in self.columns:
                try:
                    row[column.code] = column.parse(raw.get(column.code))
                except CellError as error:
                    problems.append(TableProblem(str(error), number, column.label))
                    row[column.code] = None
            if self.computed:
                row[self.computed.code] = self.computed.compute(row)
            clean_rows.append(row)
        if not problems:
            problems = self._rule_problems(clean_header, clean_rows)
        return clean_header, clean_rows, problems

    def _rule_problems(
        self, header: dict[str, Any], rows: list[dict[str, Any]]
    ) -> list[TableProblem]:
        problems = []
        for rule in self.rules:
            column = self.by_code[rule.column]
            if rule.type == RuleType.TOTAL:
                target = self.by_code[rule.header]
                total = sum((column.value(row[rule.column]) or 0 for row in rows), Decimal(0))
                expected = target.value(header.get(rule.header))
                if expected is not None and total != expected:
                    problems.append(
                        TableProblem(
                            f"各行“{column.label}”合计 {column.display(str(total))}，"
                            f"与“{target.label}”{target.display(str(expected))} 不符。",
                            None,
                            column.label,
                        )
                    )
            elif rule.type == RuleType.BOUNDS:
                values: list[tuple[int | None, Any]] = (
                    [(None, header.get(rule.column))]
                    if column in self.header
                    else [(n, row[rule.column]) for n, row in enumerate(rows, start=1)]
                )
                for number, stored in values:
                    value = column.value(stored)
                    if value is None:
                        continue
                    if (rule.min is not None and value < rule.min) or (
                        rule.max is not None and value > rule.max
                    ):
                        problems.append(
                            TableProblem(f"应在 {_bounds(rule)} 之间。", number, column.label)
                        )
            elif rule.type == RuleType.NOT_BEFORE:
                other = self.by_code[rule.other]
                for number, row in enumerate(rows, start=1):
                    day, earliest = column.value(row[rule.column]), other.value(row[rule.other])
                    if day is not None and earliest is not None and day < earliest:
                        problems.append(
                            TableProblem(
                                f"不能早于“{other.label}”（{other.display(row[rule.other])}）。",
                                number,
                                column.label,
                            )
                        )
        return problems


def _bounds(rule: Rule) -> str:
    low = "不限" if rule.min is None else str(rule.min)
    high = "不限" if rule.max is None else str(rule.max)
    return f"{low} 与 {high}"
