"""What the password rules need to remember of each account (等保 身份鉴别)."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class PasswordState(models.Model):
    """When the account's password was last changed by its holder, and whether it must be.

    A first password set by someone else (the site configuration) must be changed at the
    first sign-in; with ``WEIZHI_PASSWORD_MAX_AGE_DAYS`` set, so must an old one.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="password_state",
    )
    must_change = models.BooleanField("须修改密码", default=False)
    changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "密码状态"
        verbose_name_plural = "密码状态"

    def __str__(self) -> str:
        return f"{self.user}"

    @property
    def expired(self) -> bool:
        days = settings.WEIZHI_PASSWORD_MAX_AGE_DAYS
        return bool(days) and (
            self.changed_at is None or timezone.now() - self.changed_at > timedelta(days=days)
        )


class UserSession(models.Model):
    """A session a user signed in with, so that it can be ended when their roles change.

    Sessions do not say whose they are; Django ends them itself on a password change
    (the session holds a hash of the password), but not when a role is taken away.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="+",
    )
    session_key = models.CharField("会话", max_length=64, unique=True)
    signed_in_at = models.DateTimeField("登录时间", auto_now_add=True)

    class Meta:
        verbose_name = "登录会话"
        verbose_name_plural = "登录会话"

    def __str__(self) -> str:
        return f"{self.user} @ {self.signed_in_at:%Y-%m-%d %H:%M}"


def end_sessions_of(user_id: int) -> int:
    """Sign ``user_id`` out everywhere; how many sessions were ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = UserSession.objects.filter(user_id=user_id)
    keys = list(sessions.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    sessions.delete()
    return len(keys)


def password_change_required(user: Any) -> str:
    """Why ``user`` must change their password before anything else, or "" when they need not."""
    state = PasswordState.objects.filter(user=user).first()
    if state is None:
        return ""
    if state.must_change and settings.WEIZHI_PASSWORD_CHANGE_AT_FIRST_SIGN_IN:
        return "首次登录请先修改初始密码。"
    if state.expired:
        return f"密码已使用超过 {settings.WEIZHI_PASSWORD_MAX_AGE_DAYS} 天，请修改密码。"
    return ""


def require_change_of_first_password(users: list[Any]) -> None:
    """Mark the first password of each of ``users`` (set by someone else) as to be changed."""
    PasswordState.objects.bulk_create(
        [PasswordState(user=user, must_change=True) for user in users if user.has_usable_password()]
    )


class AuditAction(models.TextChoices):
    SIGN_IN = "sign_in", "登录"
    SIGN_IN_FAILED = "sign_in_failed", "登录失败"
    LOCKOUT = "lockout", "登录锁定"
    UNLOCK = "unlock", "解除登录锁定"
    SIGN_OUT = "sign_out", "退出登录"
    TWO_FACTOR_ENROL = "two_factor_enrol", "启用两步验证"
    TWO_FACTOR_RESET = "two_factor_reset", "重置两步验证"
    PASSWORD_CHANGE = "password_change", "修改密码"
    ROLE_GRANT = "role_grant", "授予角色"
    ROLE_REMOVE = "role_remove", "撤销角色"
    PERSONAL_DATA_EXPORT = "personal_data_export", "导出个人信息"
    PERSONAL_DATA_REQUEST = "personal_data_request", "个人信息查询"
    PHONE_REVEAL = "phone_reveal", "查看完整手机号"
    ACCESS_DENIED = "access_denied", "越权访问被拒绝"
    CONFIG_PLAN = "config_plan", "站点配置计划"
    CONFIG_APPLY = "config_apply", "应用站点配置"


class AuditResult(models.TextChoices):
    SUCCESS = "success", "成功"
    FAILURE = "failure", "失败"
    DENIED = "denied", "拒绝"


class AppendOnlyError(Exception):
    """An attempt to change or remove a saved audit event."""


class AuditEvent(models.Model):
    """One security-relevant event (等保 2.0 安全审计), written once by ``audit.record`` and never
    changed: only the retention task (``tasks.purge_audit_events``) removes old ones.

    The username is kept as text so the event still says who it was after the account is
    deleted; the scope page lets a community office read its own community's events.
    """

    time = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    client_address = models.GenericIPAddressField("客户端地址", null=True, blank=True)
    action = models.CharField("事件", max_length=32, choices=AuditAction.choices)
    result = models.CharField("结果", max_length=16, choices=AuditResult.choices)
    description = models.CharField("说明", max_length=255, blank=True)
    scope = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="范围",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    details = models.JSONField("详情", default=dict, blank=True)

    # A record of who did what, not content that uses its scope page: kept out of Wagtail's
    # reference index (a page's usage), which would cost writes for every event.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-time", "-pk"]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.username} {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("审计日志只能追加，不能删除；过期记录由保留期任务清除。")


def default_two_factor_roles() -> list[str]:
    return list(settings.WEIZHI_TWO_FACTOR_ROLES)


class SecurityPolicy(models.Model):
    """The security rules the site configuration sets (its ``security:`` section); one row.

    Until a configuration sets them, ``WEIZHI_TWO_FACTOR_ROLES`` holds: the street and
    community offices. Superusers always need a second factor (``WEIZHI_TWO_FACTOR_SUPERUSERS``).
    """

    two_factor_roles = models.JSONField("须两步验证的角色", default=default_two_factor_roles)

    class Meta:
        verbose_name = "安全策略"
        verbose_name_plural = "安全策略"

    def __str__(self) -> str:
        return "安全策略"

    @classmethod
    def current(cls) -> SecurityPolicy:
        return cls.objects.order_by("pk").first() or cls()
