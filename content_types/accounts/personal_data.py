"""Owners' personal information at rest (个人信息保护法 第五十一条: 加密、去标识化).

Names and phones are stored encrypted with ``cryptography``'s MultiFernet under the keys in
``WEIZHI_FIELD_ENCRYPTION_KEYS`` (newest first; the older ones still decrypt, so a key can be
rotated with ``manage.py rotate_personal_data_key``). A small field of our own rather than
django-fernet-encrypted-fields: that library derives its keys from ``SECRET_KEY`` (so rotating
the session secret would lose the data), and returns the ciphertext unnoticed when no key fits.
Here a value that no key decrypts stops the request loudly.

Encrypted values cannot be searched: lookups go through keyed digests (:func:`personal_digest`,
HMAC under ``WEIZHI_PERSONAL_DATA_DIGEST_KEY``), which cannot be reversed by trying every phone
number without that key.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("未设置 WEIZHI_FIELD_ENCRYPTION_KEYS，无法加密或解密个人信息。")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.WEIZHI_FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "个人信息无法解密：WEIZHI_FIELD_ENCRYPTION_KEYS 中没有加密它的密钥。"
        ) from error


def personal_digest(purpose: str, value: str) -> str:
    """A keyed, one-way digest of ``value`` for looking it up without storing it."""
    key = settings.WEIZHI_PERSONAL_DATA_DIGEST_KEY
    if not key:
        raise ImproperlyConfigured("未设置 WEIZHI_PERSONAL_DATA_DIGEST_KEY，无法生成个人信息摘要。")
    return hmac.new(key.encode(), f"{purpose}|{value}".encode(), hashlib.sha256).hexdigest()


def mask_phone(phone: str) -> str:
    """``138****1234``: enough to tell two owners apart on a list, not enough to call them."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if len(digits) < 7:
        return "****" if digits else ""
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


class EncryptedCharField(models.CharField):
    """A CharField whose column holds a Fernet token; ``max_length`` limits the plain value.

    Only ``isnull`` can be looked up: filtering on a ciphertext that changes at every write
    would silently find nothing, so any other lookup is an error.
    """

    def get_internal_type(self) -> str:
        return "TextField"

    def get_lookup(self, lookup_name: str) -> Any:
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def get_transform(self, lookup_name: str) -> Any:
        return None

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        value = super().get_db_prep_value(value, connection, prepared)
        return None if value is None else encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else decrypt(value)


def encrypted_fields(model: type[models.Model]) -> list[str]:
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedCharField)
    ]


def convert_columns(schema_editor: Any, table: str, columns: list[str], convert: Any) -> None:
    """For data migrations: rewrite ``columns`` of every row of ``table`` with ``convert``
    (``encrypt`` plain values once, ``decrypt`` them back), in SQL, as a model whose field is
    already encrypted could not read the plain values."""
    connection = schema_editor.connection
    name = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(map(name, columns))} FROM {name(table)}")  # noqa: S608
        rows = cursor.fetchall()
        assignments = ", ".join(f"{name(column)} = %s" for column in columns)
        cursor.executemany(
            f"UPDATE {name(table)} SET {assignments} WHERE id = %s",  # noqa: S608
            [[*(convert(value or "") for value in values), pk] for pk, *values in rows],
        )
