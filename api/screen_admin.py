"""Admin for public screens: register, rename, regenerate the token, revoke, see when last asked.

A user manages the screens of the communities and compounds where they hold a screen manager
role (``Role.SCREEN_MANAGERS``): a community office sees its community's screens and those of
its compounds, a compound's commissioner only those of that compound. The screen declares its
scope field, so the one scoped permission policy decides; every view below looks screens up
within that scope, so another scope's screen is a 404 however it is reached.

A token is shown once, on the page answering its creation or regeneration, and never again:
only its hash is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.admin.utils import quote, unquote
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.views import View
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView, history, usage
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import MenuItem
from wagtail.log_actions import log
from wagtail.models import Page

from content_types.roles.permissions import ALL_ACTIONS, scope_policy_for

from .models import Screen
from .screen_views import screen_path

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse
    from django.http.response import HttpResponseBase

TOKEN_TEMPLATE = "api/screen_token.html"  # noqa: S105 - a template name
CONFIRM_TEMPLATE = "api/screen_confirm.html"


def screens_managed_by(user: Any) -> QuerySet[Screen]:
    """The screens within the communities and compounds ``user`` manages."""
    return scope_policy_for(Screen).instances_user_has_any_permission_for(user, ALL_ACTIONS)


class ScopeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Page) -> str:
        return "　" * max(obj.depth - 3, 0) + obj.title


class ScreenForm(WagtailAdminModelForm):
    """Name and scope; the scope is offered from the user's own and fixed once registered."""

    scope = ScopeChoiceField(
        queryset=Page.objects.none(),
        label="展示范围",
        help_text="公开屏只能读取这个社区或小区的内容；社区的公开屏也可读取其下各小区。",
        error_messages={"invalid_choice": "请选择您管理范围内的社区或小区。"},
    )

    class Meta:
        model = Screen
        fields = ["name", "scope", "location"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = (
            scope_policy_for(Screen)
            .scopes_user_has_any_permission_for(self.for_user, ["add"])
            .order_by("path")
        )
        if self.instance.pk:
            self.fields["scope"].disabled = True
            self.fields["scope"].help_text = "登记后不能更改范围；如需更换，请登记新的公开屏。"


def token_page(request: HttpRequest, screen: Screen, token: str, heading: str) -> HttpResponse:
    response = TemplateResponse(
        request,
        TOKEN_TEMPLATE,
        {
            "screen": screen,
            "token": token,
            "page_title": heading,
            "header_title": heading,
            "header_icon": "desktop",
            "index_url": reverse("screens:index"),
            "screen_url_example": _screen_address(request, screen),
        },
    )
    # The token must not outlive this page: no browser or proxy may keep it.
    response["Cache-Control"] = "no-store"
    return response


def _screen_address(request: HttpRequest, screen: Screen) -> str | None:
    found = screen_path(screen.scope)
    return request.build_absolute_uri(found) if found else None


class ScopedScreenMixin:
    """Looks the screen up among those the user manages: another scope's screen is a 404."""

    request: HttpRequest
    kwargs: dict[str, Any]

    def get_object(self, queryset: QuerySet | None = None) -> Screen:
        return get_object_or_404(
            screens_managed_by(self.request.user).select_related("scope"),
            pk=unquote(str(self.kwargs["pk"])),
        )


class ScreenIndexView(IndexView):
    def get_base_queryset(self) -> QuerySet[Screen]:
        return screens_managed_by(self.request.user).select_related("scope")

    def get_list_more_buttons(self, instance: Screen) -> list[Any]:
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem(
                "重新生成令牌",
                url=reverse("screens:regenerate", args=[quote(instance.pk)]),
                icon_name="key",
                priority=15,
            )
        )
        if not instance.is_revoked:
            buttons.append(
                MenuItem(
                    "吊销令牌",
                    url=reverse("screens:revoke", args=[quote(instance.pk)]),
                    icon_name="lock",
                    priority=25,
                )
            )
        return buttons


class ScreenCreateView(CreateView):
    def save_instance(self) -> Screen:
        screen = self.form.save(commit=False)
        screen.created_by = self.request.user
        self.issued_token = screen.issue_token()
        screen.save()
        log(instance=screen, action="wagtail.create", user=self.request.user)
        return screen

    def save_action(self) -> HttpResponse:
        return token_page(self.request, self.object, self.issued_token, "公开屏已登记")


class ScreenEditView(ScopedScreenMixin, EditView):
    pass


class ScreenDeleteView(ScopedScreenMixin, DeleteView):
    pass


class ScreenHistoryView(ScopedScreenMixin, history.HistoryView):
    pass


class ScreenUsageView(ScopedScreenMixin, usage.UsageView):
    pass


class ScreenActionView(ScopedScreenMixin, WagtailAdminTemplateMixin, View):
    """A confirmation page (GET) and the action itself (POST) on one screen."""

    header_icon = "desktop"
    action_label = ""
    confirmation = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.screen = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return f"{self.action_label}：{self.screen.name}"

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("screens:index"), "label": "公开屏"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        context = self.get_context_data(
            screen=self.screen,
            confirmation=self.confirmation,
            action_label=self.action_label,
            index_url=reverse("screens:index"),
        )
        return TemplateResponse(request, CONFIRM_TEMPLATE, context)


class ScreenRegenerateView(ScreenActionView):
    action_label = "重新生成令牌"
    confirmation = "生成新令牌后，旧令牌立即失效；如该屏已被吊销，将以新令牌重新启用。确定继续吗？"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = self.screen.issue_token()
        self.screen.save(update_fields=["token_hash", "token_issued_at", "revoked_at"])
        log(instance=self.screen, action="wagtail.edit", user=request.user)
        return token_page(request, self.screen, token, "已生成新令牌")


class ScreenRevokeView(ScreenActionView):
    action_label = "吊销令牌"
    confirmation = "吊销后，这块公开屏立即无法再读取数据；如需恢复，可重新生成令牌。确定吊销吗？"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.screen.is_revoked:
            self.screen.revoke()
            log(instance=self.screen, action="wagtail.edit", user=request.user)
        messages.success(request, f"已吊销公开屏“{self.screen.name}”的令牌。")
        return redirect("screens:index")


def _status(screen: Screen) -> str:
    if screen.revoked_at is None:
        return "启用"
    return f"已吊销（{timezone.localtime(screen.revoked_at):%Y-%m-%d %H:%M}）"


def _last_seen(screen: Screen) -> str:
    if screen.last_seen_at is None:
        return "从未访问"
    seen = timezone.localtime(screen.last_seen_at)
    return f"{timesince(seen)}前（{seen:%m-%d %H:%M}）"


class ScreenViewSet(ModelViewSet):
    model = Screen
    form_fields = ["name", "scope", "location"]
    icon = "desktop"
    menu_label = "公开屏"
    menu_order = 900
    add_to_admin_menu = True
    name = "screens"
    url_prefix = "screens"
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = ScreenIndexView
    add_view_class = ScreenCreateView
    edit_view_class = ScreenEditView
    delete_view_class = ScreenDeleteView
    history_view_class = ScreenHistoryView
    usage_view_class = ScreenUsageView
    list_display = [
        TitleColumn("name", label="名称", url_name="screens:edit"),
        Column("scope", label="展示范围"),
        Column("status", label="状态", accessor=_status),
        Column("last_seen", label="最近访问", accessor=_last_seen),
        DateColumn("created_at", label="登记时间"),
    ]
    search_fields = ["name"]

    def get_form_class(self, for_update: bool = False) -> type[ScreenForm]:
        return ScreenForm

    def get_urlpatterns(self) -> list[Any]:
        conv = self.pk_path_converter
        return [
            *super().get_urlpatterns(),
            path(
                f"regenerate/<{conv}:pk>/",
                ScreenRegenerateView.as_view(),
                name="regenerate",
            ),
            path(f"revoke/<{conv}:pk>/", ScreenRevokeView.as_view(), name="revoke"),
        ]
