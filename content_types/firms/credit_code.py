"""The unified social credit code (统一社会信用代码) of GB 32100-2015.

Eighteen characters: registering authority (1), organisation type (1),
administrative division (6 digits), organisation code (9), and a check
character computed over the first seventeen.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def normalise(code: str) -> str:
    return "".join(code.split()).upper()


def check_character(first_seventeen: str) -> str:
    """The 18th character for ``first_seventeen`` (which must use ``CHARSET`` only)."""
    total = sum(
        CHARSET.index(char) * weight for char, weight in zip(first_seventeen, WEIGHTS, strict=True)
    )
    return CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = normalise(value)
    if len(code) != LENGTH:
        raise ValidationError(
            "统一社会信用代码应为18位，当前为%(length)d位。",
            code="length",
            params={"length": len(code)},
        )
    invalid = sorted({char for char in code if char not in CHARSET})
    if invalid:
        raise ValidationError(
            "统一社会信用代码含有不允许的字符：%(chars)s（不使用I、O、Z、S、V）。",
            code="charset",
            params={"chars": "、".join(invalid)},
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            "统一社会信用代码第3至8位应为行政区划代码（6位数字）。", code="division"
        )
    # The expected character is not shown: copying it in would hide a typo elsewhere.
    if code[17] != check_character(code[:17]):
        raise ValidationError("统一社会信用代码校验位不符，请对照营业执照逐位核对。", code="check")
