"""Password rules of 等保 三级 that Django's own validators lack, in Chinese."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.utils import timezone

from .audit import current_request, record, unwrapped
from .models import AuditAction, PasswordState

CLASSES = (
    ("小写字母", str.islower),
    ("大写字母", str.isupper),
    ("数字", str.isdigit),
    ("符号", lambda char: not char.isalnum()),
)


class LengthValidator(MinimumLengthValidator):
    """Django's, with its message in Chinese (Django's own catalogue leaves it in English)."""

    def get_error_message(self) -> str:
        return f"密码长度太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"


class CharacterClassesValidator:
    """At least ``min_classes`` of lowercase, uppercase, digits and symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        used = {name for name, test in CLASSES for char in password if test(char)}
        if len(used) < self.min_classes:
            raise ValidationError(
                f"密码须包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"密码须包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类。"


class UsernameNotInPasswordValidator:
    """The username may not appear in the password, in any letter case."""

    def validate(self, password: str, user: Any = None) -> None:
        username = (getattr(user, "get_username", lambda: "")() or "").strip().lower()
        if username and username in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_contains_username")

    def get_help_text(self) -> str:
        return "密码不能包含用户名。"


class NewPasswordValidator:
    """A new password must differ from the current one; a change is recorded as it happens.

    Django tells every validator when a password has changed (``password_changed``): this
    one records it, so that a first or expired password no longer has to be changed, and
    writes it to the audit log. Django passes no request: the event takes it from the audit
    middleware, to name the client address and who changed whose password.
    """

    def validate(self, password: str, user: Any = None) -> None:
        if user is not None and user.pk is not None and user.check_password(password):
            raise ValidationError("新密码不能与当前密码相同。", code="password_unchanged")

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is not None and user.pk is not None:
            PasswordState.objects.update_or_create(
                user=user, defaults={"must_change": False, "changed_at": timezone.now()}
            )
            request = current_request()
            actor = user
            if request is not None and request.user.is_authenticated:
                actor = unwrapped(request.user)
            holder = user.get_username()
            record(
                AuditAction.PASSWORD_CHANGE,
                request=request,
                user=actor,
                description="修改本人密码" if actor.pk == user.pk else f"修改“{holder}”的密码",
                holder=holder,
            )

    def get_help_text(self) -> str:
        return "新密码不能与当前密码相同。"
