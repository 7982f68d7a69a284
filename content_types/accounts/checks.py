"""Settings the law sets a floor for."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, register

MINIMUM_AUDIT_RETENTION_DAYS = 180  # 网络安全法 第二十一条: logs kept no less than six months


@register()
def audit_retention_check(**kwargs: Any) -> list[Error]:
    days = settings.WEIZHI_AUDIT_RETENTION_DAYS
    if days < MINIMUM_AUDIT_RETENTION_DAYS:
        return [
            Error(
                f"WEIZHI_AUDIT_RETENTION_DAYS 为 {days}：审计日志须保留至少 "
                f"{MINIMUM_AUDIT_RETENTION_DAYS} 天（网络安全法 第二十一条）。",
                id="weizhi.E001",
            )
        ]
    return []


@register()
def personal_data_keys_check(**kwargs: Any) -> list[Error]:
    """Without its keys the site can neither store nor read owners' names and phones: refuse to
    start rather than fail at the first unit saved."""
    errors = []
    keys = settings.WEIZHI_FIELD_ENCRYPTION_KEYS
    if not keys:
        errors.append(
            Error(
                "未设置 WEIZHI_FIELD_ENCRYPTION_KEYS：业主姓名和手机号须加密存储。",
                hint="用 python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())' 生成，妥善备份；密钥丢失即数据丢失。",
                id="weizhi.E002",
            )
        )
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            errors.append(
                Error(
                    f"WEIZHI_FIELD_ENCRYPTION_KEYS 的第 {position} 个密钥不是有效的 Fernet 密钥"
                    "（32 字节的 URL 安全 Base64）。",
                    id="weizhi.E003",
                )
            )
    if len(settings.WEIZHI_PERSONAL_DATA_DIGEST_KEY) < 32:
        errors.append(
            Error(
                "WEIZHI_PERSONAL_DATA_DIGEST_KEY 须为至少 32 个字符的随机密钥"
                "（用于按手机号查找业主而不保存明文）。",
                id="weizhi.E004",
            )
        )
    return errors
