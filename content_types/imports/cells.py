"""How each kind of cell is read: a ``CellError`` says, in the user's words, why not."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from content_types.units.models import Unit

from .workbook import is_blank

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.db import models

_PHONE_CHARACTERS = re.compile(r"[\d\s\-+()（）]+")


_TRUE = {"是", "y", "yes", "true", "1", "党员", "中共党员"}


_FALSE = {"否", "n", "no", "false", "0", "非党员", "群众"}


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
    if is_blank(value):
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
        if is_blank(value):
            return default
        label = str(value).strip()
        if label not in by_label:
            allowed = "、".join(by_label)
            raise CellError(f"“{label}”不在可选范围内，请填写{allowed}之一。")
        return by_label[label]

    return parse
