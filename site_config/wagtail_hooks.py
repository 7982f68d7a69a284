"""Show in the admin what the configuration file manages, so nobody edits it by hand in vain.

Edit views of a managed page, snippet or user open with a warning; the page
explorer and the user listing carry a "由配置文件管理" badge on each managed
row. Which rows are managed is read once per request and model, so such a
listing costs one query more, whatever its length. Snippet listings carry no
badge: their query counts are pinned by their apps, and the warning on the
edit view is where a hand edit would start. The rows only the file defines
(offices, coordination offices, disclosure schedules) are listed read-only
under "站点配置", beside the configuration files and their versions
(``admin_views``). The dashboard's 公开事项到期 panel reads the disclosure
schedules (``schedules``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import ListingButton
from wagtail.models import Page
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from content_types.reports.models import ReportSchedule
from content_types.roles.models import Role
from content_types.roles.permissions import is_street_office
from workflows.channels.admin_views import ChannelMessageViewSet
from workflows.channels.models import Channel, ChannelMessage

from .admin_views import ConfigFilesViewSet
from .models import CoordinationOffice, DisclosureSchedule, ManagedObject, Office
from .schedules import DisclosuresDuePanel

if TYPE_CHECKING:
    from django.http import HttpRequest
    from wagtail.admin.ui.components import Component

BADGE = "由配置文件管理"
WARNING = (
    "此{what}由站点配置文件管理（site_config）。请修改配置文件并运行 apply_config；"
    "在这里手工修改的内容，会在下次应用配置时被覆盖。"
)


def managed_ids(model: type[models.Model], holder: Any) -> set[str]:
    """Ids of ``model``'s rows that config manages, cached on ``holder`` (the request's user)."""
    cache: dict[type, set[str]] = holder.__dict__.setdefault("_site_config_managed", {})
    if model not in cache:
        if issubclass(model, Page):
            kinds = ManagedObject.objects.filter(kind__in=["street", "community", "compound"])
        else:
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            kinds = ManagedObject.objects.filter(content_type=content_type)
        cache[model] = set(kinds.values_list("object_id", flat=True))
    return cache[model]


def is_managed(obj: models.Model, holder: Any) -> bool:
    model = Page if isinstance(obj, Page) else type(obj)
    return str(obj.pk) in managed_ids(model, holder)


def _badge() -> ListingButton:
    return ListingButton(
        BADGE,
        icon_name="cog",
        attrs={"title": "请修改站点配置文件，不要在后台手工修改。", "disabled": "disabled"},
        priority=1,
    )


# Rows of which config manages only some fields: say which, so the rest is kept up by hand.
PARTLY_MANAGED: dict[str, str] = {
    "governance_tasks.governancetask": (
        "此任务的序号、类别、具体举措、责任单位和完成时限由站点配置文件管理（site_config），"
        "请在配置文件中修改；进展状态和进展情况在这里填写，不会被配置覆盖。"
    ),
    "committees.ownerscommittee": (
        "此业委会的任期由站点配置文件管理（site_config），请在配置文件中修改；"
        "委员名单在这里维护，不会被配置覆盖。"
    ),
}


def _warn(request: HttpRequest, obj: models.Model, what: str) -> None:
    if request.method == "GET" and is_managed(obj, request.user):
        message = PARTLY_MANAGED.get(obj._meta.label_lower, WARNING.format(what=what))
        messages.warning(request, message)


@hooks.register("before_edit_page")
def warn_on_managed_page(request: HttpRequest, page: Page) -> None:
    _warn(request, page, "页面")


@hooks.register("before_edit_snippet")
def warn_on_managed_snippet(request: HttpRequest, instance: models.Model) -> None:
    _warn(request, instance, "记录")


@hooks.register("before_edit_user")
def warn_on_managed_user(request: HttpRequest, user: models.Model) -> None:
    _warn(request, user, "用户")


@hooks.register("register_page_listing_buttons")
def badge_managed_pages(page: Page, user: Any, next_url: str | None = None) -> list[ListingButton]:
    return [_badge()] if is_managed(page, user) else []


@hooks.register("register_user_listing_buttons")
def badge_managed_users(user: models.Model, request_user: Any) -> list[ListingButton]:
    return [_badge()] if is_managed(user, request_user) else []


class ReadOnlyForStaffPolicy(BasePermissionPolicy):
    """Config's own rows are seen in the admin by the street office and changed only by the file."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action == "view" and self.user_has_any_permission(user, ["view"])

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return "view" in actions and is_street_office(user)

    def users_with_any_permission(self, actions: Any) -> models.QuerySet:
        users = get_user_model().objects.filter(is_active=True)
        if "view" not in actions:
            return users.none()
        return users.filter(
            models.Q(is_superuser=True) | models.Q(role_assignments__role=Role.STREET_OFFICE)
        ).distinct()


def _read_only(
    model: type[models.Model], base: type[ModelViewSet] = ModelViewSet, **attrs: Any
) -> ModelViewSet:
    register_permission_policy(model, ReadOnlyForStaffPolicy(model))
    attrs = {
        "model": model,
        "icon": "cog",
        "inspect_view_enabled": True,
        "copy_view_enabled": False,
        "list_filter": [],
        "exclude_form_fields": [],
        **attrs,
    }
    viewset_class = type(f"{model.__name__}ViewSet", (base,), attrs)
    return viewset_class(f"site_config_{model._meta.model_name}")


class SiteConfigGroup(ModelViewSetGroup):
    menu_label = "站点配置"
    menu_icon = "cog"
    menu_order = 900
    items = (
        _read_only(Office, list_display=["name", "code", "duties"]),
        _read_only(CoordinationOffice, list_display=["name", "scope", "director"]),
        _read_only(
            DisclosureSchedule,
            list_display=["name", "page_type", "period", "grace_days", "fund", "scope"],
        ),
        _read_only(ReportSchedule, list_display=["name", "role", "period", "grace_days", "scope"]),
        # The channels of the file, and every message sent through them: failures stay listed
        # with their error, and the worker keeps retrying until the last wait; then the street
        # office may send one again.
        _read_only(Channel, list_display=["name", "kind", "scope", "active"]),
        _read_only(
            ChannelMessage,
            ChannelMessageViewSet,
            list_display=["subject", "channel", "status", "attempts", "last_error", "created_at"],
            list_filter=["status", "channel"],
        ),
        ConfigFilesViewSet(),
    )


@hooks.register("register_admin_viewset")
def register_site_config_views() -> ModelViewSetGroup:
    return SiteConfigGroup()


@hooks.register("construct_homepage_panels")
def add_disclosures_due_panel(request: HttpRequest, panels: list[Component]) -> None:
    panels.append(DisclosuresDuePanel(request.user, timezone.localdate()))
