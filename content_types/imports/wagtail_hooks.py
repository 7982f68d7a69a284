"""The Excel imports' admin URLs and menu item, shown to users who may import somewhere."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import URLPattern, URLResolver, include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .importers import may_import_somewhere

if TYPE_CHECKING:
    from django.http import HttpRequest


class ImportsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return may_import_somewhere(request.user)


@hooks.register("register_admin_urls")
def register_imports_admin_urls() -> list[URLPattern | URLResolver]:
    return [path("imports/", include(admin_urls, namespace="imports_admin"))]


@hooks.register("register_admin_menu_item")
def register_imports_menu_item() -> MenuItem:
    return ImportsMenuItem(
        "Excel 导入",
        reverse_lazy("imports_admin:index"),
        name="imports",
        icon_name="upload",
        order=420,
    )
