"""Settings the law sets a floor for."""

from __future__ import annotations

from typing import Any

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
