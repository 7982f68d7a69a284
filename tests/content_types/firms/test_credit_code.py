"""The unified social credit code check (GB 32100-2015), against real codes and generated ones."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from content_types.firms.credit_code import validate_credit_code

# An independent statement of the standard, to generate codes the validator must accept.
VALUES = {char: value for value, char in enumerate("0123456789ABCDEFGHJKLMNPQRTUWXY")}
CHARS = {value: char for char, value in VALUES.items()}
WEIGHTS = [3**i % 31 for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, ...


def with_check_character(first_seventeen: str) -> str:
    remainder = sum(VALUES[c] * w for c, w in zip(first_seventeen, WEIGHTS, strict=True)) % 31
    return first_seventeen + CHARS[(31 - remainder) % 31]


def test_the_weights_are_the_standards():
    assert WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def test_real_published_codes_pass():
    # 华为技术有限公司 914403001922038216, checked by hand:
    #   9·1 + 1·3 + 4·9 + 4·27 + 0·19 + 3·26 + 0·16 + 0·17 + 1·20 + 9·29 + 2·25 + 2·13
    #   + 0·8 + 3·24 + 8·10 + 2·30 + 1·28 = 831; 831 mod 31 = 25; 31 − 25 = 6 → "6".
    validate_credit_code("914403001922038216")
    # 深圳市腾讯计算机系统有限公司 91440300708461136T:
    #   9 + 3 + 36 + 108 + 0 + 78 + 0 + 0 + 140 + 0 + 200 + 52 + 48 + 24 + 10 + 90 + 168
    #   = 966; 966 mod 31 = 5; 31 − 5 = 26 → the 26th character, "T".
    validate_credit_code("91440300708461136T")


def test_a_plausible_looking_code_with_the_wrong_check_character_is_refused():
    with pytest.raises(ValidationError) as refused:
        validate_credit_code("91330000MA27U0XX0X")  # the check character would be "9"

    assert refused.value.messages == ["统一社会信用代码校验位不符，请对照营业执照逐位核对。"]
    validate_credit_code("91330000MA27U0XX09")


@given(
    st.text(alphabet="159ABCDEFGY", min_size=1, max_size=1),
    st.text(alphabet="123459ABCDEFGHJKLMNPQRTUWXY", min_size=1, max_size=1),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=9, max_size=9),
    st.integers(min_value=1, max_value=30),
)
def test_generated_codes_pass_and_every_other_check_character_fails(
    authority, kind, division, organisation, shift
):
    code = with_check_character(authority + kind + division + organisation)
    validate_credit_code(code)
    validate_credit_code(code.lower())

    wrong = code[:17] + CHARS[(VALUES[code[17]] + shift) % 31]
    with pytest.raises(ValidationError):
        validate_credit_code(wrong)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91440300708461136", "统一社会信用代码应为18位，当前为17位。"),
        ("91440300708461136TX", "统一社会信用代码应为18位，当前为19位。"),
        ("9144030070846I136T", "含有不允许的字符：I"),
        ("91440300708461O36S", "含有不允许的字符：O、S"),
        ("91A40300708461136T", "第3至8位应为行政区划代码"),
    ],
)
def test_malformed_codes_are_refused_with_the_reason(code, message):
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(code)

    assert message in refused.value.messages[0]
