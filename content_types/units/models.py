"""房屋与业主名册: the units register every owners' assembly vote is frozen from.

Each row is one exclusive part (专有部分) with its registered area and its owner. Two things the
law needs are kept explicit rather than guessed from names: the area (for the area measure) and
the owner's identity (for the head count, where one owner counts once however many units they
hold, 司法解释第九条).

``owner_key`` is that identity. Unless the register supplies one, it is derived from the owner's
normalised phone number: every unit registered under one phone counts as one owner, and the
co-owners of a unit, who give one contact phone, share it. Where that is wrong (an owner with
different phones on different units, or two owners sharing one phone), the import sets
``owner_key`` explicitly with :func:`derive_owner_key` from a better identity, such as
``"id:" + ID-card number``. The key is a keyed one-way digest (HMAC), so that neither lists
showing it nor a copy of the database give the phone away; it is still personal data and never
public. The owner's name and phone are stored encrypted (``accounts.personal_data``); the phone
is found again through ``owner_phone_digest``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from content_types.accounts.personal_data import EncryptedCharField, mask_phone, personal_digest
from content_types.structure.models import CompoundPage

_NON_DIGITS = re.compile(r"\D+")


def normalise_phone(raw: str) -> str:
    """Digits only, without the +86 country prefix, so one phone always reads the same."""
    digits = _NON_DIGITS.sub("", raw or "")
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


def derive_owner_key(identity: str) -> str:
    """A stable pseudonym for an owner's identity (a phone, or ``"id:" + ID number``)."""
    return f"ok-{personal_digest('weizhi-owner', identity.strip().upper())[:32]}"


def phone_digest(phone: str) -> str:
    """What a phone is looked up by (a data subject's request), never the phone itself."""
    return personal_digest("weizhi-phone", normalise_phone(phone))


class Unit(models.Model):
    """One exclusive part of a compound, its registered area and its owner."""

    compound = models.ForeignKey(
        CompoundPage, verbose_name="小区", on_delete=models.CASCADE, related_name="units"
    )
    building = models.CharField("楼栋", max_length=20, help_text="如：3幢、A座。")
    # The 单元 (entrance/stairwell); named so it does not read as the Unit itself.
    entrance = models.CharField("单元", max_length=20, blank=True, help_text="没有单元可留空。")
    room = models.CharField("室", max_length=20, help_text="如：502。")
    exclusive_area = models.DecimalField(
        "专有部分面积（平方米）",
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message="专有部分面积必须大于零。")],
        help_text="以不动产登记簿记载的面积为准；尚未登记的，以测绘机构的实测面积为准。",
    )
    owner_name = EncryptedCharField("业主姓名", max_length=100)
    owner_phone = EncryptedCharField(
        "业主手机号",
        max_length=30,
        help_text="业主个人信息，不对外公开；网络投票时用于核验身份（手机号后四位）。",
    )
    owner_key = models.CharField(
        "业主标识",
        max_length=64,
        blank=True,
        db_index=True,
        help_text=(
            "用于按人数计票：同一业主的多套房屋标识相同，共有人共用一个标识。"
            "留空时按业主手机号自动生成。"
        ),
    )
    owner_phone_digest = models.CharField(
        "业主手机号摘要", max_length=64, db_index=True, editable=False, default=""
    )

    class Meta:
        verbose_name = "房屋"
        verbose_name_plural = "房屋与业主名册"
        ordering = ["compound", "building", "entrance", "room"]
        constraints = [
            models.UniqueConstraint(
                fields=["compound", "building", "entrance", "room"],
                name="unique_unit_per_compound",
                violation_error_message="该小区已登记过这套房屋（楼栋、单元、室相同）。",
            )
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive_digests()
        super().save(*args, **kwargs)

    def derive_digests(self) -> None:
        """Set the keys the head count and phone lookups use; bulk creation must call it."""
        self.owner_key = self.counted_owner_key
        self.owner_phone_digest = phone_digest(self.owner_phone)

    @property
    def counted_owner_key(self) -> str:
        """The key the head count uses; rows bulk-loaded without one fall back to the phone."""
        return self.owner_key or derive_owner_key(normalise_phone(self.owner_phone))

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.owner_phone)

    @property
    def label(self) -> str:
        """The address owners use for their home, e.g. ``3幢1单元502室``."""
        return unit_label(self.building, self.entrance, self.room)

    def clean(self) -> None:
        digits = normalise_phone(self.owner_phone)
        if not 7 <= len(digits) <= 15:
            raise ValidationError(
                {"owner_phone": "请填写有效的业主手机号（网络投票需核验手机号后四位）。"}
            )
        self.owner_phone = digits
        self.owner_key = self.owner_key.strip()


def unit_label(building: str, entrance: str, room: str) -> str:
    """``3幢1单元502室`` whether the register wrote ``3`` or ``3幢``: a suffix is added after a
    trailing ASCII digit or letter only."""
    parts = ((building, "幢"), (entrance, "单元"), (room, "室"))
    return "".join(
        f"{value}{suffix}" if value and value[-1].isascii() else value
        for value, suffix in ((v.strip(), s) for v, s in parts)
    )
