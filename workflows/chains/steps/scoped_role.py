"""Review-chain building blocks on Wagtail's workflow engine, and the notification outbox.

Wagtail's stock approval task names fixed groups, so one chain would be needed
per compound. A scoped task names a *role* instead and resolves its reviewers
at review time from the item's place in the tree: one "社区党组织审核" serves
every compound of the street.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from wagtail.models import Page, Task, TaskState

from content_types.roles.models import Role
from content_types.roles.scope import (
    scope_pages_for,
    user_holds_role_over,
    users_holding_role_over,
)

from .base import _compound_workflow_models, _ids_as_text, pages_within, scope_anchor


class ScopedRoleApprovalTask(Task):
    """Approved by whoever holds ``role`` over the item's page, found when the item arrives."""

    role = models.CharField(
        "审核角色",
        max_length=32,
        choices=Role.choices,
        help_text="由该内容所在小区、社区或街道中担任此角色的人员审核。",
    )

    admin_form_fields = [*Task.admin_form_fields, "role"]

    class Meta:
        verbose_name = "按范围角色审核"
        verbose_name_plural = "按范围角色审核"

    def is_reviewer(self, obj: Any, user: AbstractBaseUser) -> bool:
        if user.is_superuser:
            return True
        anchor = scope_anchor(obj)
        return anchor is not None and user_holds_role_over(user, anchor, [self.role])

    def reviewers_for(self, obj: Any) -> QuerySet:
        """The users who may act on ``obj`` at this step (superusers aside)."""
        from django.contrib.auth import get_user_model

        anchor = scope_anchor(obj)
        if anchor is None:
            return get_user_model().objects.none()
        return users_holding_role_over(anchor, [self.role])

    def user_can_access_editor(self, obj: Any, user: AbstractBaseUser) -> bool:
        return self.is_reviewer(obj, user)

    def locked_for_user(self, obj: Any, user: AbstractBaseUser) -> bool:
        return not self.is_reviewer(obj, user)

    def user_can_lock(self, obj: Any, user: AbstractBaseUser) -> bool:
        return self.is_reviewer(obj, user)

    def get_actions(self, obj: Any, user: AbstractBaseUser) -> list[tuple[str, str, bool]]:
        if not self.is_reviewer(obj, user):
            return []
        return [
            ("reject", "退回修改", True),
            ("approve", "审核通过", False),
            ("approve", "审核通过并附意见", True),
        ]

    def get_task_states_user_can_moderate(self, user: AbstractBaseUser, **kwargs: Any) -> QuerySet:
        """Waiting steps on pages under the user's role scopes, and on rows of compounds there."""
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return states
        pages = pages_within(scope_pages_for(user, [self.role]))
        condition = models.Q(
            workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
            workflow_state__object_id__in=_ids_as_text(pages),
        )
        for model, compound_field in _compound_workflow_models():
            rows = model._default_manager.filter(**{f"{compound_field}__in": pages.values("pk")})
            condition |= models.Q(
                workflow_state__base_content_type=ContentType.objects.get_for_model(model),
                workflow_state__object_id__in=_ids_as_text(rows),
            )
        return states.filter(condition)

    @classmethod
    def get_description(cls) -> str:
        return "由内容所在范围内担任指定角色的人员审核，一个流程定义可服务所有小区。"
