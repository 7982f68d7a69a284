"""Keep derived groups in step with role assignments as they change."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page

from .models import RoleAssignment
from .sync import sync_role_group


def sync_after_change(sender: type, instance: RoleAssignment, **kwargs: Any) -> None:
    # The scope may be the page being deleted, cascading to this assignment.
    scope = Page.objects.filter(pk=instance.scope_id).first()
    if scope is not None:
        sync_role_group(instance.role, scope)


def register() -> None:
    post_save.connect(sync_after_change, sender=RoleAssignment, dispatch_uid="roles_sync_save")
    post_delete.connect(sync_after_change, sender=RoleAssignment, dispatch_uid="roles_sync_delete")
