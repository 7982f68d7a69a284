"""按范围角色审核: the step reviewed by whoever holds a role over the item's scope.

Wagtail's stock approval task names fixed groups, so one chain would be needed
per compound. A scoped task names a *role* instead and resolves its reviewers
at review time from the item's place in the tree: one "社区党组织审核" serves
every compound of the street.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from wagtail.models import Task

from content_types.roles.models import Role

from .base import ScopedReviewTask

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class ScopedRoleApprovalTask(ScopedReviewTask, Task):
    """Approved by whoever holds ``role`` over the item's page, found when the item arrives."""

    role = models.CharField(
        "审核角色",
        max_length=32,
        choices=Role.choices,
        help_text="由该内容所在小区、社区或街道中担任此角色的人员审核。",
    )
    key = models.CharField(
        "步骤代码",
        max_length=50,
        blank=True,
        help_text="配置文件中步骤的代码（key）；别处依此识别步骤，步骤改名不受影响。",
    )

    admin_form_fields = [*Task.admin_form_fields, "role"]

    class Meta:
        verbose_name = "按范围角色审核"
        verbose_name_plural = "按范围角色审核"

    def reviewer_roles(self) -> tuple[str, ...]:
        return (self.role,)

    def get_actions(self, obj: Any, user: AbstractBaseUser) -> list[tuple[str, str, bool]]:
        if not self.is_reviewer(obj, user):
            return []
        return [
            ("reject", "退回修改", True),
            ("approve", "审核通过", False),
            ("approve", "审核通过并附意见", True),
        ]

    @classmethod
    def get_description(cls) -> str:
        return "由内容所在范围内担任指定角色的人员审核，一个流程定义可服务所有小区。"
