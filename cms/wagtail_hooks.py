"""Admin customisation that belongs to no single subject: the worker status panel, choosers
that offer only the images and documents the editor may read (``media.readable``), a help
menu without Wagtail's links to its English guide on another host, avatars that show a
person's initial (``templatetags.avatars``), and the printed form of a page (打印公示, a
compound's poster) among its actions."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape, format_html
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem

from content_types.roles.scope import is_active_superuser
from content_types.structure.models import CompoundPage

from .media import readable
from .models import WorkerHeartbeat
from .printing import is_printable
from .templatetags.avatars import initial_of

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet
    from django.http import HttpRequest
    from wagtail.admin.menu import MenuItem
    from wagtail.models import Page

STALE_AFTER = timedelta(minutes=5)


class WorkerStatusPanel(Component):
    """Tells the coordination office whether background work is running.

    Scheduled publishing, reminders and deadline flags all depend on the
    worker; a stopped worker is otherwise silent until a deadline is missed.
    """

    name = "worker_status"
    order = 50
    template_name = "cms/panels/worker_status.html"

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        heartbeat = WorkerHeartbeat.latest()
        return {
            "heartbeat": heartbeat,
            "is_stale": heartbeat is None or timezone.now() - heartbeat.last_seen_at > STALE_AFTER,
        }


@hooks.register("construct_homepage_panels")
def add_worker_status_panel(request: HttpRequest, panels: list[Component]) -> None:
    if is_active_superuser(request.user):
        panels.append(WorkerStatusPanel())


@hooks.register("construct_image_chooser_queryset")
def choose_only_readable_images(images: QuerySet, request: HttpRequest) -> QuerySet:
    return readable(images, request)


@hooks.register("construct_document_chooser_queryset")
def choose_only_readable_documents(documents: QuerySet, request: HttpRequest) -> QuerySet:
    return readable(documents, request)


@hooks.register("construct_help_menu")
def keep_help_on_this_host(request: HttpRequest, menu_items: list[MenuItem]) -> None:
    """The editor guide and release notes are English pages that many government networks
    cannot reach; the keyboard shortcuts stay."""
    menu_items[:] = [
        item for item in menu_items if not (item.url or "").startswith(("http:", "https:"))
    ]


@hooks.register("insert_global_admin_css")
def admin_styles() -> str:
    return format_html('<link rel="stylesheet" href="{}">', static("cms/admin.css"))


AVATAR_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 100 100">'
    '<circle cx="50" cy="50" r="50" fill="#c8102e"/>'
    '<text x="50" y="50" dy=".35em" text-anchor="middle" font-size="50" font-weight="700" '
    'font-family="sans-serif" fill="#fff">{initial}</text></svg>'
)


@hooks.register("get_avatar_url")
def initial_avatar(user: Any, size: int) -> str:
    """Where Wagtail's scripts draw an avatar from a URL (the sidebar, comments): the initial as
    a small inline SVG, not the shared default picture."""
    svg = AVATAR_SVG.format(size=int(size or 50), initial=escape(initial_of(user)))
    return "data:image/svg+xml;charset=utf-8," + quote(svg)


class PrintButton(PageMenuItem):
    """打印公示 (or a compound's poster) beside the page's other actions in the admin, for those
    who may edit the page; only a live page has a printed form."""

    icon_name = "doc-full"
    priority = 90

    def __init__(self, *, page: Page, next_url: str | None = None) -> None:
        poster = page.specific_class is CompoundPage
        super().__init__(label="打印二维码海报" if poster else "打印公示", page=page)

    @cached_property
    def url(self) -> str:
        return reverse("print_page", args=[self.page.pk])

    def is_shown(self, user: Any) -> bool:
        return (
            self.page.live
            and is_printable(self.page)
            and self.page.permissions_for_user(user).can_edit()
        )


@hooks.register("register_page_header_buttons")
def print_button_in_header(
    page: Page, user: Any, view_name: str, next_url: str | None = None
) -> Iterable[PageMenuItem]:
    yield PrintButton(page=page, next_url=next_url)


@hooks.register("register_page_listing_more_buttons")
def print_button_in_listing(
    page: Page, user: Any, next_url: str | None = None
) -> Iterable[PageMenuItem]:
    yield PrintButton(page=page, next_url=next_url)
