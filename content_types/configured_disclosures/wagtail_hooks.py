"""Who writes a configured kind, and where: the add link asks which kind, and only the kinds
declared for the parent's level and the user's roles there are offered or accepted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from wagtail import hooks

from content_types.roles.models import ROLE_SCOPE_LEVEL
from content_types.roles.scope import is_active_superuser, user_holds_role_over

from .forms import kind_code_requested
from .models import ConfiguredDisclosurePage, ConfiguredKind

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse
    from wagtail.models import Page

LEVELS = {"streetpage": "street", "communitypage": "community", "compoundpage": "compound"}


def kinds_for(user: Any, parent: Page) -> list[ConfiguredKind]:
    """The active kinds ``user`` may write under ``parent``."""
    level = LEVELS.get(parent.specific_class._meta.model_name if parent.specific_class else "")
    kinds = [kind for kind in ConfiguredKind.objects.filter(active=True) if level in kind.levels]
    if is_active_superuser(user):
        return kinds
    return [kind for kind in kinds if user_holds_role_over(user, parent, kind.editors)]


@hooks.register("before_create_page")
def choose_a_kind(
    request: HttpRequest, parent_page: Page, page_class: type[Page]
) -> HttpResponse | None:
    if page_class is not ConfiguredDisclosurePage:
        return None
    allowed = kinds_for(request.user, parent_page)
    code = kind_code_requested()
    if code and any(kind.code == code for kind in allowed):
        return None
    if code:
        raise PermissionDenied
    return TemplateResponse(
        request,
        "configured_disclosures/choose_kind.html",
        {"parent": parent_page, "kinds": allowed, "path": request.path},
    )


# The offices and Party organisations above a compound review its pages in their chains.
REVIEWING_ROLES = [role for role, level in ROLE_SCOPE_LEVEL.items() if level != "compound"]


@hooks.register("before_edit_page")
def editors_only(request: HttpRequest, page: Page) -> None:
    """A compound's role that the kind does not name may not open its pages' editor."""
    specific = page.specific_deferred
    if not isinstance(specific, ConfiguredDisclosurePage) or is_active_superuser(request.user):
        return
    if not user_holds_role_over(request.user, page, [*specific.kind.editors, *REVIEWING_ROLES]):
        raise PermissionDenied
