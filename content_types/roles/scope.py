"""What a user may reach: the pages they hold roles on and the compounds below them.

Page permissions are enforced by Wagtail from the derived groups; snippets and
other rows that belong to a compound (committees, units, votes) are filtered
with these functions, so both follow the same role assignments.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from wagtail.models import Page

from content_types.structure.models import CommunityPage, CompoundPage

from .models import RoleAssignment

User = AbstractBaseUser | AnonymousUser


def scope_pages_for(user: User, roles: Iterable[str] | None = None) -> QuerySet[Page]:
    """The pages on which ``user`` holds any of ``roles`` (any role when None)."""
    if not user.is_authenticated:
        return Page.objects.none()
    assignments = RoleAssignment.objects.filter(user=user)
    if roles is not None:
        assignments = assignments.filter(role__in=list(roles))
    return Page.objects.filter(pk__in=assignments.values("scope_id"))


def _under_any(pages: QuerySet[Page], model: type[Page]) -> QuerySet:
    paths = list(pages.values_list("path", flat=True))
    if not paths:
        return model.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return model.objects.filter(condition)


def pages_in_reach(user: User, roles: Iterable[str] | None = None) -> QuerySet[Page]:
    """Every page at or below a page on which ``user`` holds any of ``roles``."""
    return _under_any(scope_pages_for(user, roles), Page)


def compounds_for(user: User, roles: Iterable[str] | None = None) -> QuerySet[CompoundPage]:
    """Compounds within the user's scope; every compound for a superuser."""
    if user.is_authenticated and user.is_superuser:
        return CompoundPage.objects.all()
    return _under_any(scope_pages_for(user, roles), CompoundPage)


def communities_for(user: User, roles: Iterable[str] | None = None) -> QuerySet[CommunityPage]:
    """Communities the user's scope covers whole (a compound role covers none)."""
    if user.is_authenticated and user.is_superuser:
        return CommunityPage.objects.all()
    return _under_any(scope_pages_for(user, roles), CommunityPage)


def user_holds_role_over(user: User, page: Page, roles: Iterable[str] | None = None) -> bool:
    """Whether ``user`` holds one of ``roles`` on ``page`` or on one of its ancestors."""
    if not user.is_authenticated:
        return False
    assignments = RoleAssignment.objects.filter(
        user=user, scope__in=Page.objects.ancestor_of(page, inclusive=True)
    )
    if roles is not None:
        assignments = assignments.filter(role__in=list(roles))
    return assignments.exists()


def users_holding_role_over(
    page: Page, roles: Iterable[str], *, inclusive: bool = True
) -> QuerySet:
    """The active users holding one of ``roles`` on ``page`` or on one of its ancestors.

    ``inclusive=False`` leaves out roles held on ``page`` itself.
    """
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__role__in=list(roles),
            role_assignments__scope__in=Page.objects.ancestor_of(page, inclusive=inclusive),
        )
        .distinct()
    )


def compound_roles_for(user: User) -> dict[int, frozenset[str]]:
    """Each compound ``user`` reaches, with the roles they hold over it.

    Two queries, cached on the user object for the request, so a listing can
    check every row's compound without touching the database again.
    """
    cached = getattr(user, "_compound_roles_cache", None)
    if cached is not None:
        return cached
    result: dict[int, frozenset[str]] = {}
    if user.is_authenticated:
        grants = list(RoleAssignment.objects.filter(user=user).values_list("role", "scope__path"))
        if grants:
            condition = Q()
            for _, path in grants:
                condition |= Q(path__startswith=path)
            for pk, path in CompoundPage.objects.filter(condition).values_list("pk", "path"):
                result[pk] = frozenset(
                    role for role, scope_path in grants if path.startswith(scope_path)
                )
    user._compound_roles_cache = result
    return result
