"""Who holds which role where: the one source of truth for permissions.

Wagtail groups and page permissions are derived from these rows (see
``sync.py``), never edited by hand, so a role granted on a compound can only
ever reach that compound's subtree.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.models import Page


class ScopeLevel(models.TextChoices):
    STREET = "street", "街道"
    COMMUNITY = "community", "社区"
    COMPOUND = "compound", "小区"


class Role(models.TextChoices):
    STREET_OFFICE = "street_office", "街道微治办"
    COMMUNITY_OFFICE = "community_office", "社区微治办"
    COMMUNITY_PARTY = "community_party", "社区党组织"
    COMPOUND_PARTY = "compound_party", "小区党组织"
    COMMISSIONER = "commissioner", "小区专员"
    OWNERS_COMMITTEE = "owners_committee", "业委会"
    PROPERTY_FIRM = "property_firm", "物业"


# The level of page each role is granted on, and what it may do to pages
# there. Publishing is the street office's alone: everyone else publishes
# through a review chain.
ROLE_SCOPE_LEVEL: dict[str, str] = {
    Role.STREET_OFFICE: ScopeLevel.STREET,
    Role.COMMUNITY_OFFICE: ScopeLevel.COMMUNITY,
    Role.COMMUNITY_PARTY: ScopeLevel.COMMUNITY,
    Role.COMPOUND_PARTY: ScopeLevel.COMPOUND,
    Role.COMMISSIONER: ScopeLevel.COMPOUND,
    Role.OWNERS_COMMITTEE: ScopeLevel.COMPOUND,
    Role.PROPERTY_FIRM: ScopeLevel.COMPOUND,
}
ROLE_PAGE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.STREET_OFFICE: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
    Role.COMMUNITY_OFFICE: ("add_page", "change_page"),
    Role.COMMUNITY_PARTY: ("change_page",),
    Role.COMPOUND_PARTY: ("change_page",),
    Role.COMMISSIONER: ("add_page", "change_page"),
    Role.OWNERS_COMMITTEE: ("add_page", "change_page"),
    Role.PROPERTY_FIRM: ("add_page", "change_page"),
}
SCOPE_PAGE_MODELS: dict[str, str] = {
    ScopeLevel.STREET: "streetpage",
    ScopeLevel.COMMUNITY: "communitypage",
    ScopeLevel.COMPOUND: "compoundpage",
}


class RoleAssignment(models.Model):
    """One user holding one role on one scope page (a street, community or compound)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    scope = models.ForeignKey(
        Page,
        verbose_name="范围",
        on_delete=models.CASCADE,
        related_name="role_assignments",
        help_text="角色生效的街道、社区或小区页面；权限只及于该页面及其下级。",
    )
    managed_by_config = models.BooleanField(
        "由配置文件管理",
        default=False,
        help_text="由 site_config 配置文件维护的角色，请修改配置文件，不要在后台手工修改。",
    )
    created_at = models.DateTimeField("授予时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色授予"
        verbose_name_plural = "角色授予"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "scope"], name="unique_role_per_scope")
        ]
        ordering = ["scope__path", "role"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope.title}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.full_clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not self.scope_id or not self.role:
            return
        expected = SCOPE_PAGE_MODELS[ROLE_SCOPE_LEVEL[self.role]]
        actual = self.scope.content_type.model
        if actual != expected:
            level = ScopeLevel(ROLE_SCOPE_LEVEL[self.role]).label
            role = self.get_role_display()
            raise ValidationError(
                {"scope": f"“{role}”只能授予在{level}页面上，“{self.scope.title}”不是{level}。"}
            )
