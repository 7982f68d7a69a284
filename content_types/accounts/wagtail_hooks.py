"""Admin wiring of account security: the lockout, two-factor and audit log pages and their
menu items."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import URLPattern, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from content_types.roles.permissions import is_street_office

from .audit_views import AuditEventViewSet
from .lockouts import LockoutsView, unlock
from .two_factor import EnrolView, StatusView, VerifyView, reset

if TYPE_CHECKING:
    from django.http import HttpRequest


class StreetOfficeMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return is_street_office(request.user)


@hooks.register("register_admin_urls")
def register_account_security_urls() -> list[URLPattern]:
    return [
        path("lockouts/", LockoutsView.as_view(), name="weizhi_lockouts"),
        path("lockouts/unlock/", unlock, name="weizhi_lockouts_unlock"),
        path("two-factor/verify/", VerifyView.as_view(), name="weizhi_two_factor_verify"),
        path("two-factor/enrol/", EnrolView.as_view(), name="weizhi_two_factor_enrol"),
        path("two-factor/", StatusView.as_view(), name="weizhi_two_factor_status"),
        path("two-factor/reset/<int:user_id>/", reset, name="weizhi_two_factor_reset"),
    ]


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item() -> MenuItem:
    return StreetOfficeMenuItem(
        "登录锁定", reverse_lazy("weizhi_lockouts"), icon_name="lock", order=900
    )


@hooks.register("register_settings_menu_item")
def register_two_factor_status_menu_item() -> MenuItem:
    return StreetOfficeMenuItem(
        "两步验证", reverse_lazy("weizhi_two_factor_status"), icon_name="key", order=910
    )


@hooks.register("register_account_menu_item")
def register_two_factor_account_item(request: HttpRequest) -> dict[str, str]:
    return {
        "url": str(reverse_lazy("weizhi_two_factor_enrol")),
        "label": "两步验证",
        "help_text": "用手机验证器应用在密码之外再加一道验证；更换手机时也在这里重新设置。",
    }


@hooks.register("register_admin_viewset")
def register_audit_log_views() -> AuditEventViewSet:
    return AuditEventViewSet("weizhi_audit")
