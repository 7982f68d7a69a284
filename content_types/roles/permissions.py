"""Permission policies for snippets, derived from role assignments.

Rows that belong to a compound (a committee, a candidate, a meeting) are a
security boundary like pages: a role reaches the rows of the compounds under
its scope page and nothing else, in every admin view. The policy answers from
the roles a user holds over each compound (``ROLE_MODEL_PERMISSIONS``), not
from the user's Django permissions, which are the union over all their
roles and so cannot tell one compound from another.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.models import get_snippet_models

from content_types.structure.models import CompoundPage

from .models import ROLE_MODEL_PERMISSIONS
from .scope import compound_roles_for

# Every action Wagtail asks about for a snippet: holding any of them on a
# compound is what it takes to see that compound's rows at all.
ALL_ACTIONS: tuple[str, ...] = ("add", "change", "delete", "view", "publish", "lock", "unlock")


def _is_active_superuser(user: Any) -> bool:
    return bool(user.is_active and user.is_superuser)


# The street office alone publishes the annual task list; asked through Django's permission
# cache, holding it is the cheapest test of "the street office", with no query per menu.
STREET_OFFICE_PERMISSION = "governance_tasks.publish_governancetask"


def is_street_office(user: Any) -> bool:
    """The street office and superusers: who reads the site-wide security records."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(STREET_OFFICE_PERMISSION))
    )


class CompoundScopedPermissionPolicy(ModelPermissionPolicy):
    """Grants an action on a row when the user holds, over the row's compound, a role allowing it.

    ``compound_field`` names the row's foreign key to ``CompoundPage``.
    Superusers may do everything; users without roles may do nothing.
    """

    compound_field = "compound"

    @property
    def compound_attname(self) -> str:
        return self.model._meta.get_field(self.compound_field).attname

    def roles_granting(self, actions: Iterable[str]) -> frozenset[str]:
        label = self.model._meta.label_lower
        wanted = set(actions)
        return frozenset(
            role
            for role, models_ in ROLE_MODEL_PERMISSIONS.items()
            if wanted & set(models_.get(label, ()))
        )

    def compound_ids_for(self, user: Any, actions: Iterable[str]) -> frozenset[int] | None:
        """The compounds where ``user`` may do any of ``actions``; None means every compound."""
        if _is_active_superuser(user):
            return None
        if not user.is_active:
            return frozenset()
        roles = self.roles_granting(actions)
        return frozenset(pk for pk, held in compound_roles_for(user).items() if held & roles)

    def scope_queryset(self, queryset: QuerySet, user: Any, actions: Iterable[str]) -> QuerySet:
        ids = self.compound_ids_for(user, actions)
        if ids is None:
            return queryset
        return queryset.filter(**{f"{self.compound_attname}__in": ids})

    def compounds_user_has_any_permission_for(
        self, user: Any, actions: Iterable[str]
    ) -> QuerySet[CompoundPage]:
        ids = self.compound_ids_for(user, actions)
        compounds = CompoundPage.objects.all()
        return compounds if ids is None else compounds.filter(pk__in=ids)

    def user_has_any_permission_in_compound(
        self, user: Any, actions: Iterable[str], compound_id: int | None
    ) -> bool:
        ids = self.compound_ids_for(user, actions)
        return ids is None or compound_id in ids

    # Wagtail's policy interface.

    def user_has_permission(self, user: Any, action: str) -> bool:
        return self.user_has_any_permission(user, [action])

    def user_has_any_permission(self, user: Any, actions: Iterable[str]) -> bool:
        ids = self.compound_ids_for(user, actions)
        return ids is None or bool(ids)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(
        self, user: Any, actions: Iterable[str], instance: Any
    ) -> bool:
        return self.user_has_any_permission_in_compound(
            user, actions, getattr(instance, self.compound_attname)
        )

    def instances_user_has_any_permission_for(self, user: Any, actions: Iterable[str]) -> QuerySet:
        return self.scope_queryset(self.model._default_manager.all(), user, actions)

    def users_with_any_permission(self, actions: Iterable[str]) -> QuerySet:
        return self._users(Q(role_assignments__role__in=self.roles_granting(actions)))

    def users_with_any_permission_for_instance(
        self, actions: Iterable[str], instance: Any
    ) -> QuerySet:
        compound = getattr(instance, self.compound_field)
        return self._users(
            Q(role_assignments__role__in=self.roles_granting(actions))
            & Q(role_assignments__scope__in=Page.objects.ancestor_of(compound, inclusive=True))
        )

    def _users(self, condition: Q) -> QuerySet:
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | condition, is_active=True)
            .distinct()
        )


def scope_policy_for(model: type[models.Model]) -> CompoundScopedPermissionPolicy:
    policy = policy_registry.get_by_type(model)
    if not isinstance(policy, CompoundScopedPermissionPolicy):
        raise TypeError(f"{model.__name__} is not registered with a compound-scoped policy.")
    return policy


def compound_scoped_models() -> list[type[models.Model]]:
    """The snippet models whose registered policy scopes them by compound."""
    return [
        model
        for model in get_snippet_models()
        if isinstance(
            policy_registry.get_by_type(model, fallback=False), CompoundScopedPermissionPolicy
        )
    ]


def log_entries_condition_for(user: Any) -> Q:
    """Which ``CompoundScopedLogEntry`` rows ``user`` may read: those of rows they can reach."""
    if _is_active_superuser(user):
        return Q()
    condition = Q(pk__in=[])
    for model in compound_scoped_models():
        ids = scope_policy_for(model).compound_ids_for(user, ALL_ACTIONS)
        if ids:
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            condition |= Q(content_type=content_type, compound_id__in=ids)
    return condition


def workflow_states_outside_reach(user: Any, prefix: str = "") -> Q:
    """Which workflow states are of compound rows ``user`` cannot reach.

    Wagtail's workflow reports list the states of every row of a snippet model
    the user may change at all, whichever compound it belongs to. ``prefix``
    leads to the state from another model (``"workflow_state__"``).
    """
    condition = Q(pk__in=[])
    for model in compound_scoped_models():
        policy = scope_policy_for(model)
        if policy.compound_ids_for(user, ALL_ACTIONS) is None:
            continue
        reachable = policy.instances_user_has_any_permission_for(user, ALL_ACTIONS)
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        condition |= Q(**{f"{prefix}content_type": content_type}) & ~Q(
            **{f"{prefix}object_id__in": reachable.values_list(Cast("pk", CharField()), flat=True)}
        )
    return condition
