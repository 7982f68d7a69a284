"""Where an item sits, and so who reviews it: the scope every step type resolves.

A step type names roles, not people; its reviewers are whoever holds one of
those roles over the item's anchor (the page itself, a row's compound, or the
compound around either), found when they look.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from wagtail.models import Page, TaskState, WorkflowMixin

from content_types.roles.permissions import scoped_snippet_models
from content_types.roles.scope import (
    is_active_superuser,
    pages_in_reach,
    user_holds_role_over,
    users_holding_role_over,
)
from content_types.structure.models import CompoundPage

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import AbstractBaseUser
    from django.db import models


def scope_anchor(obj: Any) -> Page | None:
    """The page whose ancestors decide who reviews ``obj``: a page itself, or a row's compound."""
    if isinstance(obj, Page):
        return obj
    compound = getattr(obj, "compound", None)
    return compound if isinstance(compound, Page) else None


def compound_of(obj: Any) -> Page | None:
    """The compound a page sits in (or a row belongs to): the scope of the three parties."""
    anchor = scope_anchor(obj)
    if anchor is None or isinstance(anchor, CompoundPage):
        return anchor
    return CompoundPage.objects.ancestor_of(anchor, inclusive=True).first()


def _ids_as_text(queryset: QuerySet) -> QuerySet:
    """``queryset``'s keys as text, to compare with ``WorkflowState.object_id`` in one query."""
    return queryset.annotate(object_id_text=Cast("pk", CharField())).values("object_id_text")


def _compound_workflow_models() -> list[tuple[type[models.Model], str]]:
    """Snippet models that belong to a compound and can go through a review chain.

    Each with the name of its declared scope field.
    """
    return [
        (model, model.scope_field)  # type: ignore[attr-defined]
        for model in scoped_snippet_models()
        if issubclass(model, WorkflowMixin)
    ]


def items_in_reach(user: AbstractBaseUser, roles: Iterable[str]) -> Q:
    """Workflow states of pages under the user's ``roles`` scopes and of their compounds' rows."""
    pages = pages_in_reach(user, roles)
    condition = Q(
        workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
        workflow_state__object_id__in=_ids_as_text(pages),
    )
    for model, compound_field in _compound_workflow_models():
        rows = model._default_manager.filter(**{f"{compound_field}__in": pages.values("pk")})
        condition |= Q(
            workflow_state__base_content_type=ContentType.objects.get_for_model(model),
            workflow_state__object_id__in=_ids_as_text(rows),
        )
    return condition


class ScopedReviewTask:
    """Shared by the step types reviewed by role holders over the item's scope.

    A subclass says which roles review (``reviewer_roles``) and over which page
    (``review_anchor``); who may act, lock, open the editor and see the waiting
    items in their queue all follow from those two.
    """

    def reviewer_roles(self) -> tuple[str, ...]:
        raise NotImplementedError

    def review_anchor(self, obj: Any) -> Page | None:
        return scope_anchor(obj)

    def is_reviewer(self, obj: Any, user: AbstractBaseUser) -> bool:
        if is_active_superuser(user):
            return True
        anchor = self.review_anchor(obj)
        return anchor is not None and user_holds_role_over(user, anchor, self.reviewer_roles())

    def reviewers_for(self, obj: Any) -> QuerySet:
        """The users who may act on ``obj`` at this step (superusers aside)."""
        anchor = self.review_anchor(obj)
        if anchor is None:
            return get_user_model().objects.none()
        return users_holding_role_over(anchor, self.reviewer_roles())

    def user_can_access_editor(self, obj: Any, user: AbstractBaseUser) -> bool:
        return self.is_reviewer(obj, user)

    def locked_for_user(self, obj: Any, user: AbstractBaseUser) -> bool:
        return not self.is_reviewer(obj, user)

    def user_can_lock(self, obj: Any, user: AbstractBaseUser) -> bool:
        return self.is_reviewer(obj, user)

    def waiting_for(self, user: AbstractBaseUser) -> Q:
        """Which of this step's waiting states ``user`` acts on (superusers act on all)."""
        return items_in_reach(user, self.reviewer_roles())

    def get_task_states_user_can_moderate(self, user: AbstractBaseUser, **kwargs: Any) -> QuerySet:
        states = TaskState.objects.filter(task=self, status=TaskState.STATUS_IN_PROGRESS)
        return states if is_active_superuser(user) else states.filter(self.waiting_for(user))
