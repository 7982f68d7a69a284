"""Show in the admin what the configuration file manages, so nobody edits it by hand in vain.

Edit views of a managed page, snippet or user open with a warning; listings
carry a "由配置文件管理" badge on each managed row. Which rows are managed is
read once per request and model, so a listing costs one query more, whatever
its length.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.models import Page

from .models import ManagedObject

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


def _warn(request: HttpRequest, obj: models.Model, what: str) -> None:
    if request.method == "GET" and is_managed(obj, request.user):
        messages.warning(request, WARNING.format(what=what))


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


@hooks.register("register_snippet_listing_buttons")
def badge_managed_snippets(snippet: models.Model, user: Any, next_url: str | None = None) -> list:
    return [_badge()] if is_managed(snippet, user) else []


@hooks.register("register_user_listing_buttons")
def badge_managed_users(user: models.Model, request_user: Any) -> list[ListingButton]:
    return [_badge()] if is_managed(user, request_user) else []
