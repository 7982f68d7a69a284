"""The one permission policy for rows that belong to a scope (a compound, or a community).

Such rows are a security boundary like pages: a role reaches the rows of the
scopes under its scope page and nothing else, in every admin view, chooser,
review chain and API lookup. A model takes part by naming the field that holds
its scope (``scope_field = "compound"``); what each role may do to its rows is
the role table (``ROLE_MODEL_PERMISSIONS``), or, for a model kept out of that
table (and so out of Django's permissions and the site history), the roles it
names as ``scope_roles``, which may do everything. The policy answers from the
roles a user holds over each scope, not from the user's Django permissions,
which are the union over all their roles and so cannot tell one compound from
another.
"""

from __future__ import annotations

from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.models import get_snippet_models

from .models import ROLE_MODEL_PERMISSIONS, Role
from .scope import (
    SCOPE_PAGE_KINDS,
    holds_any_role,
    is_active_superuser,
    roles_held,
    scope_pages_of_kinds,
    scope_roles_for,
    within_paths,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db import models

# Every action Wagtail asks about for a snippet: holding any of them on a
# compound is what it takes to see that compound's rows at all.
ALL_ACTIONS: tuple[str, ...] = ("add", "change", "delete", "view", "publish", "lock", "unlock")


def is_street_office(user: Any) -> bool:
    """The street office and superusers: who reads the site-wide security records.

    Asked of the request's one memo of the user's roles (``roles_held``), as every menu is.
    """
    return is_active_superuser(user) or bool(
        user.is_authenticated and user.is_active and holds_any_role(user, [Role.STREET_OFFICE])
    )


class ScopedPermissionPolicy(ModelPermissionPolicy):
    """Grants an action on a row when the user holds, over the row's scope, a role allowing it.

    Superusers may do everything; users without roles may do nothing.
    """

    @cached_property
    def scope_field(self) -> str:
        return self.model.scope_field

    @cached_property
    def scope_attname(self) -> str:
        return self.model._meta.get_field(self.scope_field).attname

    @cached_property
    def scope_kinds(self) -> frozenset[str]:
        """The page kinds the scope field can point to: its own model, or any scope page."""
        target = self.model._meta.get_field(self.scope_field).related_model
        if target._meta.model_name in SCOPE_PAGE_KINDS:
            return frozenset({target._meta.model_name})
        return frozenset(SCOPE_PAGE_KINDS)

    def roles_granting(self, actions: Iterable[str]) -> frozenset[str]:
        declared = getattr(self.model, "scope_roles", None)
        if declared is not None:
            return frozenset(declared)
        label = self.model._meta.label_lower
        wanted = set(actions)
        return frozenset(
            role
            for role, models_ in ROLE_MODEL_PERMISSIONS.items()
            if wanted & set(models_.get(label, ()))
        )

    def scope_ids_for(self, user: Any, actions: Iterable[str]) -> frozenset[int] | None:
        """The scopes where ``user`` may do any of ``actions``; None means every scope."""
        if is_active_superuser(user):
            return None
        if not user.is_active:
            return frozenset()
        roles = self.roles_granting(actions)
        # Kept on the user for the request: every menu and panel asks, and a street office
        # reaches 2,000 scopes, so working the set out each time cost more than the queries.
        memo = getattr(user, "_scope_ids_cache", None)
        if memo is None:
            memo = user._scope_ids_cache = {}  # noqa: SLF001 - per request, as scope_roles_for
        key = (self.scope_kinds, roles)
        if key not in memo:
            memo[key] = frozenset(
                pk
                for pk, (kind, held) in scope_roles_for(user).items()
                if kind in self.scope_kinds and held & roles
            )
        return memo[key]

    def scope_queryset(self, queryset: QuerySet, user: Any, actions: Iterable[str]) -> QuerySet:
        """The rows of ``queryset`` in the scopes ``scope_ids_for`` gives, asked as a subquery
        on the granting roles' paths: a street office's 2,000 compound ids written out made
        each statement slow to send and to plan, where one path prefix is the same rows."""
        ids = self.scope_ids_for(user, actions)
        if ids is None:
            return queryset
        if not ids:
            return queryset.none()
        roles = self.roles_granting(actions)
        paths = {path for role, path in roles_held(user) if role in roles}
        scopes = scope_pages_of_kinds(self.scope_kinds).filter(within_paths(paths))
        return queryset.filter(**{f"{self.scope_attname}__in": scopes.values("pk")})

    def scopes_user_has_any_permission_for(self, user: Any, actions: Iterable[str]) -> QuerySet:
        """The scope pages (compounds, for a compound's rows) where ``user`` may do ``actions``."""
        target = self.model._meta.get_field(self.scope_field).related_model
        scopes = (
            target.objects.all() if target is not Page else scope_pages_of_kinds(self.scope_kinds)
        )
        ids = self.scope_ids_for(user, actions)
        return scopes if ids is None else scopes.filter(pk__in=ids)

    def user_has_any_permission_in_scope(
        self, user: Any, actions: Iterable[str], scope_id: int | None
    ) -> bool:
        ids = self.scope_ids_for(user, actions)
        return ids is None or scope_id in ids

    # Wagtail's policy interface.

    def user_has_permission(self, user: Any, action: str) -> bool:
        return self.user_has_any_permission(user, [action])

    def user_has_any_permission(self, user: Any, actions: Iterable[str]) -> bool:
        ids = self.scope_ids_for(user, actions)
        return ids is None or bool(ids)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(
        self, user: Any, actions: Iterable[str], instance: Any
    ) -> bool:
        return self.user_has_any_permission_in_scope(
            user, actions, getattr(instance, self.scope_attname)
        )

    def instances_user_has_any_permission_for(self, user: Any, actions: Iterable[str]) -> QuerySet:
        return self.scope_queryset(self.model._default_manager.all(), user, actions)

    def users_with_any_permission(self, actions: Iterable[str]) -> QuerySet:
        return self._users(Q(role_assignments__role__in=self.roles_granting(actions)))

    def users_with_any_permission_for_instance(
        self, actions: Iterable[str], instance: Any
    ) -> QuerySet:
        scope = getattr(instance, self.scope_field)
        return self._users(
            Q(role_assignments__role__in=self.roles_granting(actions))
            & Q(role_assignments__scope__in=Page.objects.ancestor_of(scope, inclusive=True))
        )

    def _users(self, condition: Q) -> QuerySet:
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | condition, is_active=True)
            .distinct()
        )


# What an office's users may do to the rows their office owns: read them and post progress.
OFFICE_ACTIONS: frozenset[str] = frozenset({"view", "progress"})


class OfficeOwnedPermissionPolicy(ScopedPermissionPolicy):
    """Rows owned by responsible offices (责任单位), a model naming them as ``office_field``.

    The role table's permissions reach every row (the street office does everything, as
    before; the page roles read). Beyond that, the users of an office reach the rows their
    office owns, to read them and post progress ("progress"), and nothing else. A row is
    its own scope here (``scope_attname`` is its key), so the scoped viewsets, choosers and
    object views serve these rows unchanged.
    """

    scope_attname = "pk"
    scope_field = "pk"

    def _model_permission(self, user: Any, actions: Iterable[str]) -> bool:
        meta = self.model._meta
        return any(
            user.has_perm(
                f"{meta.app_label}.{'change' if a == 'progress' else a}_{meta.model_name}"
            )
            for a in actions
        )

    def office_row_ids(self, user: Any) -> frozenset[int]:
        """The rows of the user's offices: one query, kept on the user for the request."""
        memo = getattr(user, "_office_rows_cache", None)
        if memo is None:
            memo = user._office_rows_cache = {}  # noqa: SLF001 - per request, as scope_roles_for
        label = self.model._meta.label_lower
        if label not in memo:
            field = self.model.office_field
            memo[label] = frozenset(
                self.model._default_manager.filter(**{f"{field}__users": user.pk}).values_list(
                    "pk", flat=True
                )
            )
        return memo[label]

    def scope_ids_for(self, user: Any, actions: Iterable[str]) -> frozenset[int] | None:
        actions = set(actions)
        if is_active_superuser(user):
            return None
        if not (user.is_authenticated and user.is_active):
            return frozenset()
        if self._model_permission(user, actions):
            return None
        return self.office_row_ids(user) if actions & OFFICE_ACTIONS else frozenset()

    def scope_queryset(self, queryset: QuerySet, user: Any, actions: Iterable[str]) -> QuerySet:
        """The rows themselves are the scopes here: an office's own, by their few ids."""
        ids = self.scope_ids_for(user, actions)
        return queryset if ids is None else queryset.filter(pk__in=ids)

    def scopes_user_has_any_permission_for(self, user: Any, actions: Iterable[str]) -> QuerySet:
        return self.instances_user_has_any_permission_for(user, actions)

    def users_with_any_permission(self, actions: Iterable[str]) -> QuerySet:
        by_role = ModelPermissionPolicy(self.model).users_with_any_permission(
            ["change" if action == "progress" else action for action in actions]
        )
        if not set(actions) & OFFICE_ACTIONS:
            return by_role
        field = self.model._meta.get_field(self.model.office_field)
        owners = Q(**{f"offices__{field.related_query_name()}__isnull": False})
        return self._users(Q(pk__in=by_role.values("pk")) | owners)

    def users_with_any_permission_for_instance(
        self, actions: Iterable[str], instance: Any
    ) -> QuerySet:
        by_role = ModelPermissionPolicy(self.model).users_with_any_permission(
            ["change" if action == "progress" else action for action in actions]
        )
        if not set(actions) & OFFICE_ACTIONS:
            return by_role
        field = self.model._meta.get_field(self.model.office_field)
        owners = Q(**{f"offices__{field.related_query_name()}": instance.pk})
        return self._users(Q(pk__in=by_role.values("pk")) | owners)


@cache
def scope_policy_for(model: type[models.Model]) -> ScopedPermissionPolicy:
    """The policy of a scoped model: one per model, the one registered with Wagtail too."""
    if getattr(model, "office_field", None):
        return OfficeOwnedPermissionPolicy(model)
    if not getattr(model, "scope_field", None):
        raise TypeError(f"{model.__name__} does not declare the field holding its scope.")
    return ScopedPermissionPolicy(model)


def scoped_snippet_models() -> list[type[models.Model]]:
    """The snippet models that declare a scope field."""
    return [model for model in get_snippet_models() if getattr(model, "scope_field", None)]


def log_entries_condition_for(user: Any) -> Q:
    """Which ``CompoundScopedLogEntry`` rows ``user`` may read: those of rows they can reach."""
    if is_active_superuser(user):
        return Q()
    condition = Q(pk__in=[])
    for model in scoped_snippet_models():
        ids = scope_policy_for(model).scope_ids_for(user, ALL_ACTIONS)
        if ids:
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            condition |= Q(content_type=content_type, compound_id__in=ids)
    return condition


def workflow_states_outside_reach(user: Any, prefix: str = "") -> Q:
    """Which workflow states are of scoped rows ``user`` cannot reach.

    Wagtail's workflow reports list the states of every row of a snippet model
    the user may change at all, whichever compound it belongs to. ``prefix``
    leads to the state from another model (``"workflow_state__"``).
    """
    condition = Q(pk__in=[])
    for model in scoped_snippet_models():
        policy = scope_policy_for(model)
        if policy.scope_ids_for(user, ALL_ACTIONS) is None:
            continue
        reachable = policy.instances_user_has_any_permission_for(user, ALL_ACTIONS)
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        condition |= Q(**{f"{prefix}content_type": content_type}) & ~Q(
            **{f"{prefix}object_id__in": reachable.values_list(Cast("pk", CharField()), flat=True)}
        )
    return condition
