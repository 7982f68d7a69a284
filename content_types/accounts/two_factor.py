"""Two-factor sign-in (等保 三级: 双因素身份鉴别) on django-otp: TOTP from a phone app, with
one-time recovery codes for a lost phone.

After the password, an account with a confirmed device must enter a code before the admin
opens; an account whose role requires a second factor and has none is sent to enrol. Which of
the two applies is noted in the session at sign-in, so other requests cost no query.
"""

from __future__ import annotations

from base64 import b32encode
from typing import TYPE_CHECKING, Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from content_types.roles.permissions import is_street_office
from content_types.roles.scope import holds_any_role

from .audit import record, unwrapped
from .middleware import SECOND_FACTOR
from .models import AuditAction, SecurityPolicy

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

RECOVERY_CODES = 10


def second_factor_due(user: Any) -> str:
    """ "verify" when the account has a device, "enrol" when its roles require one, else ""."""
    if user_has_device(user, confirmed=True):
        return "verify"
    if settings.WEIZHI_TWO_FACTOR_ENFORCED and requires_second_factor(user):
        return "enrol"
    return ""


def requires_second_factor(user: Any) -> bool:
    if user.is_superuser and settings.WEIZHI_TWO_FACTOR_SUPERUSERS:
        return True
    return holds_any_role(user, SecurityPolicy.current().two_factor_roles)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="验证码",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="手机验证器应用上显示的 6 位数字；手机丢失时可输入一个恢复码。",
    )


class VerifyView(WagtailAdminTemplateMixin, FormView):
    """The second step of signing in."""

    page_title = "两步验证"
    header_icon = "key"
    template_name = "accounts/two_factor_verify.html"
    form_class = CodeForm

    def next_url(self) -> str:
        wanted = self.request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(wanted, allowed_hosts={self.request.get_host()}):
            return wanted
        return reverse("wagtailadmin_home")

    def form_valid(self, form: CodeForm) -> HttpResponse:
        code = form.cleaned_data["code"].replace(" ", "")
        with transaction.atomic():
            for device in devices_for_user(self.request.user, confirmed=True, for_verify=True):
                if device.verify_token(code):
                    otp_login(self.request, device)
                    self.request.session.pop(SECOND_FACTOR, None)
                    if isinstance(device, StaticDevice):
                        messages.warning(
                            self.request,
                            f"已使用一个恢复码，还剩 {device.token_set.count()} 个。",
                        )
                    return redirect(self.next_url())
        throttled = any(
            not device.verify_is_allowed()[0]
            for device in devices_for_user(self.request.user, confirmed=True)
        )
        form.add_error(
            "code",
            "验证码不正确或已过期，请重新输入。"
            + ("连续输错后须稍候片刻才能再试。" if throttled else ""),
        )
        return self.form_invalid(form)


class EnrolView(WagtailAdminTemplateMixin, FormView):
    """Scan a QR code with a phone app, confirm with its first code, receive recovery codes."""

    page_title = "启用两步验证"
    header_icon = "key"
    template_name = "accounts/two_factor_enrol.html"
    form_class = CodeForm

    def device(self) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=self.request.user, confirmed=False).first()
        return device or TOTPDevice.objects.create(
            user=self.request.user, name="手机验证器", confirmed=False
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if "recovery_codes" in kwargs:
            return super().get_context_data(**kwargs)
        device = self.device()
        qr = segno.make(device.config_url, error="m").svg_inline(scale=5, title="两步验证二维码")
        secret = b32encode(device.bin_key).decode()
        return super().get_context_data(
            qr=mark_safe(qr),  # noqa: S308 - segno's own SVG of our own URL
            secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            enrolled=user_has_device(self.request.user, confirmed=True),
            **kwargs,
        )

    def form_valid(self, form: CodeForm) -> HttpResponse:
        device = self.device()
        if not device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            form.add_error("code", "验证码不正确或已过期，请对照手机上最新的数字重新输入。")
            return self.form_invalid(form)
        user = unwrapped(self.request.user)
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user, confirmed=True).delete()
            StaticDevice.objects.filter(user=user).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            recovery = StaticDevice.objects.create(user=user, name="恢复码")
            codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
            StaticToken.objects.bulk_create(
                [StaticToken(device=recovery, token=code) for code in codes]
            )
        otp_login(self.request, device)
        self.request.session.pop(SECOND_FACTOR, None)
        record(AuditAction.TWO_FACTOR_ENROL, request=self.request, user=user)
        return self.render_to_response(self.get_context_data(recovery_codes=codes))


class StreetOfficeOnlyMixin:
    """For the site-wide security pages only the street office (and superusers) read."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_street_office(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class StatusView(StreetOfficeOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """The street office's list of who has a second factor, with a reset for a lost phone."""

    page_title = "两步验证状态"
    header_icon = "key"
    template_name = "accounts/two_factor_status.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        enrolled = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
        users = get_user_model().objects.filter(is_active=True).order_by("username")
        return super().get_context_data(
            rows=[(user, user.pk in enrolled) for user in users], **kwargs
        )


@require_POST
def reset(request: HttpRequest, user_id: int) -> HttpResponse:
    if not is_street_office(request.user):
        raise PermissionDenied
    user = get_object_or_404(get_user_model(), pk=user_id)
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    record(
        AuditAction.TWO_FACTOR_RESET,
        request=request,
        description=f"重置“{user.get_username()}”的两步验证",
        account=user.get_username(),
    )
    messages.success(request, f"已重置“{user.get_username()}”的两步验证，其下次登录时须重新启用。")
    return redirect(reverse("weizhi_two_factor_status"))
