"""What a user may reach: the pages they hold roles on and everything below them.

Page permissions are enforced by Wagtail from the derived groups; rows that
belong to a scope (committees, votes, screens) are filtered with these
functions, so both follow the same role assignments. The path-prefix test
("at or below one of these pages") is written once, in ``within_paths``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from wagtail.models import Page

from content_types.structure.models import CommunityPage, CompoundPage

from .models import RoleAssignment

if TYPE_CHECKING:
    from collections.abc import Iterable

User = AbstractBaseUser | AnonymousUser

# The page types a row can belong to, by model name: a scope's rows hang off one of these.
SCOPE_PAGE_KINDS: tuple[str, ...] = (
    CommunityPage._meta.model_name,
    CompoundPage._meta.model_name,
)
_SCOPE_PAGE_APP = CompoundPage._meta.app_label


def is_active_superuser(user: Any) -> bool:
    """Superusers pass every scope check, while their account is active."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def within_paths(paths: Iterable[str], prefix: str = "") -> Q:
    """Pages (or rows, through ``prefix``) at or below any of ``paths``; nothing when none."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


def pages_within(scopes: QuerySet[Page], model: type[Page] = Page) -> QuerySet:
    """Every page (of ``model``) at or below one of ``scopes``: one query for their paths."""
    return model.objects.filter(within_paths(scopes.values_list("path", flat=True)))


def scope_pages_of_kinds(kinds: Iterable[str]) -> QuerySet[Page]:
    """Every community or compound page, as plain pages, of the given model names."""
    return Page.objects.filter(
        content_type__app_label=_SCOPE_PAGE_APP, content_type__model__in=list(kinds)
    )


def roles_held(user: User) -> tuple[tuple[str, str], ...]:
    """Every role ``user`` holds, with its scope's path: one query, kept on the user object.

    The user object lives for one request, so the menus, dashboard panels and policies that
    each ask about the user's roles share this one query however many of them ask.
    """
    cached = getattr(user, "_roles_held_cache", None)
    if cached is not None:
        return cached
    held: tuple[tuple[str, str], ...] = ()
    if user.is_authenticated:
        held = tuple(
            RoleAssignment.objects.filter(user_id=user.pk)
            .order_by("pk")
            .values_list("role", "scope__path")
        )
    user._roles_held_cache = held  # type: ignore[union-attr]  # noqa: SLF001 - per request
    return held


def holds_any_role(user: User, roles: Iterable[str] | None = None) -> bool:
    """Whether ``user`` holds any of ``roles`` (any role when None) anywhere; no query of its
    own once ``roles_held`` has been asked in the request."""
    wanted = None if roles is None else frozenset(roles)
    return any(wanted is None or role in wanted for role, _path in roles_held(user))


def paths_held(user: User, roles: Iterable[str] | None = None) -> list[str]:
    """The paths of the pages on which ``user`` holds any of ``roles`` (any role when None)."""
    wanted = None if roles is None else frozenset(roles)
    return sorted({path for role, path in roles_held(user) if wanted is None or role in wanted})


def pages_in_reach(user: User, roles: Iterable[str] | None = None) -> QuerySet[Page]:
    """Every page at or below a page on which ``user`` holds any of ``roles``."""
    return Page.objects.filter(within_paths(paths_held(user, roles)))


def compounds_for(user: User, roles: Iterable[str] | None = None) -> QuerySet[CompoundPage]:
    """Compounds within the user's scope; every compound for a superuser."""
    if is_active_superuser(user):
        return CompoundPage.objects.all()
    return CompoundPage.objects.filter(within_paths(paths_held(user, roles)))


def communities_for(user: User, roles: Iterable[str] | None = None) -> QuerySet[CommunityPage]:
    """Communities the user's scope covers whole (a compound role covers none)."""
    if is_active_superuser(user):
        return CommunityPage.objects.all()
    return CommunityPage.objects.filter(within_paths(paths_held(user, roles)))


def user_holds_role_over(user: User, page: Page, roles: Iterable[str] | None = None) -> bool:
    """Whether ``user`` holds one of ``roles`` on ``page`` or on one of its ancestors."""
    wanted = None if roles is None else frozenset(roles)
    return any(
        (wanted is None or role in wanted) and page.path.startswith(path)
        for role, path in roles_held(user)
    )


def users_holding_role_over(
    page: Page, roles: Iterable[str], *, inclusive: bool = True
) -> QuerySet:
    """The active users holding one of ``roles`` on ``page`` or on one of its ancestors.

    ``inclusive=False`` leaves out roles held on ``page`` itself.
    """
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__role__in=list(roles),
            role_assignments__scope__in=Page.objects.ancestor_of(page, inclusive=inclusive),
        )
        .distinct()
    )


def scope_roles_for(user: User) -> dict[int, tuple[str, frozenset[str]]]:
    """Each community and compound ``user`` reaches: its page kind and the roles held over it.

    One query besides ``roles_held``'s, cached on the user object for the request, so a
    listing can check every row's scope without touching the database again.
    """
    cached = getattr(user, "_scope_roles_cache", None)
    if cached is not None:
        return cached
    result: dict[int, tuple[str, frozenset[str]]] = {}
    if user.is_authenticated:
        grants = roles_held(user)
        if grants:
            pages = scope_pages_of_kinds(SCOPE_PAGE_KINDS).filter(
                within_paths(path for _, path in grants)
            )
            for pk, path, kind in pages.values_list("pk", "path", "content_type__model"):
                held = frozenset(role for role, scope_path in grants if path.startswith(scope_path))
                result[pk] = (kind, held)
    user._scope_roles_cache = result  # type: ignore[union-attr]  # noqa: SLF001 - per request
    return result
