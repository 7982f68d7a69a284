"""Who holds which role where: the one source of truth for permissions.

Wagtail groups and page permissions are derived from these rows (see
``sync.py``), never edited by hand, so a role granted on a compound can only
ever reach that compound's subtree.

What each role may do to snippets (``ROLE_MODEL_PERMISSIONS``). Rows that
belong to a compound (committees, candidates, meetings) are reachable only
within the role's scope (``permissions.ScopedPermissionPolicy``);
firms and the annual task list are street-wide. Publishing is the street
office's alone, as for pages; everyone else publishes through a review chain.

================  ==========  ==========  ==========  ==========  ==========  ==========  ==========
snippet           街道微治办  社区微治办  社区党组织  小区党组织  小区专员    业委会      物业
================  ==========  ==========  ==========  ==========  ==========  ==========  ==========
物业服务企业      全部 [1]_   查看        查看        查看        查看        查看        查看
年度任务清单      全部 [1]_   查看        查看        查看        查看        查看        查看
业主委员会        全部 [1]_   增改查      改查 [2]_   查看        查看        增改查      查看
业委会人选储备库  增删改查    增删改查    增改查      增改查 [3]_ —           —           —
三方联席会议      增删改查    增删改查    查看        查看        增改查      增改查      查看
业委会培训记录 [4]_ 增删改查  增删改查    增删改查    查看        查看        查看        —
业委会委员考核    增删改查    查看        增删改查    查看        —           —           —
业委会委员退出    改查        改查        改查        查看        —           —           —
表决事项前置审核  改查        改查 [5]_   查看        —           —           查看        —
================  ==========  ==========  ==========  ==========  ==========  ==========  ==========

.. [1] add, change, delete, view, publish, and lock/unlock where the model locks.
.. [2] The community Party organisation runs the annual evaluation of members.
.. [3] The first vetting stage is a recommendation by the compound's Party
   organisation; candidates' personal data stays with the vetting chain, so the
   committee, the firm and the commissioner have no access.
.. [4] Training, evaluation and withdrawal records (measure 7) take effect when saved: they
   are the community's own records, not public content, so no chain publishes them.
.. [5] 分级决策: the community office reviews in advance the major matters the committee puts
   to the owners on its own; the review passes only through its chain, so no one publishes it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.models import Page
from wagtail.models.audit_log import BaseLogEntry, BaseLogEntryManager


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

    # The role sets below, declared for type checkers; annotated only, so no members.
    COORDINATION_OFFICES: ClassVar[tuple[Role, ...]]
    VOTE_ORGANISERS: ClassVar[tuple[Role, ...]]
    VOTE_RERUNNERS: ClassVar[tuple[Role, ...]]
    VOTE_REMINDER_POSTERS: ClassVar[tuple[Role, ...]]
    SCREEN_MANAGERS: ClassVar[tuple[Role, ...]]
    USAGE_REPORTERS: ClassVar[tuple[Role, ...]]
    CASE_HANDLERS: ClassVar[tuple[Role, ...]]
    CASE_REPORTER_READERS: ClassVar[tuple[Role, ...]]


# The role sets the code asks about, each named once here: beside the table, never listed
# again where a permission is checked. Set on the enum after it is built, so they stay
# out of its members (and out of ``Role.choices``).
# 街道、社区微治办: they watch the annual task list and read the security audit log.
Role.COORDINATION_OFFICES = (Role.STREET_OFFICE, Role.COMMUNITY_OFFICE)
# The committee and the offices above it run the owners' assembly votes and keep the units
# register the votes are counted from.
Role.VOTE_ORGANISERS = (Role.OWNERS_COMMITTEE, Role.COMMUNITY_OFFICE, Role.STREET_OFFICE)
# They put a vote that failed for want of participation to the owners again (重新表决): the
# committee that called it, or the community office that reviews what goes to the assembly.
Role.VOTE_RERUNNERS = (Role.OWNERS_COMMITTEE, Role.COMMUNITY_OFFICE)
# They are sent a vote's reminder to post in the buildings and pass on to the owners.
Role.VOTE_REMINDER_POSTERS = (Role.OWNERS_COMMITTEE, Role.COMMISSIONER, Role.PROPERTY_FIRM)
# They register, regenerate and revoke the public screens of their scope.
Role.SCREEN_MANAGERS = (Role.STREET_OFFICE, Role.COMMUNITY_OFFICE, Role.COMMISSIONER)
# They answer for a compound's usage reports (使用情况公开).
Role.USAGE_REPORTERS = (
    Role.OWNERS_COMMITTEE,
    Role.COMMISSIONER,
    Role.COMMUNITY_OFFICE,
    Role.COMMUNITY_PARTY,
)
# They file and handle cases (诉求与事件) level by level: the compound's three parties (the
# commissioner speaking for the community), then the community and the street offices.
Role.CASE_HANDLERS = (
    Role.STREET_OFFICE,
    Role.COMMUNITY_OFFICE,
    Role.COMMISSIONER,
    Role.OWNERS_COMMITTEE,
    Role.PROPERTY_FIRM,
)
# They read a case's reporter (name, phone) to call back and ask about satisfaction; the
# committee and the firm, often the party a complaint is about, do not.
Role.CASE_REPORTER_READERS = (Role.STREET_OFFICE, Role.COMMUNITY_OFFICE, Role.COMMISSIONER)


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

_VIEW = ("view",)
_EDIT = ("add", "change", "view")
_MANAGE = ("add", "change", "delete", "view")
_PUBLISH = ("add", "change", "delete", "view", "publish")
_PUBLISH_AND_LOCK = (*_PUBLISH, "lock", "unlock")
_CHANGE = ("change", "view")
# The committee records of measure 7 that the community Party organisation keeps.
_RECORDS = ("committees.trainingsession", "committees.memberevaluation")

# Snippet actions per role, by model label (``app_label.modelname``); see the
# table in the module docstring. A model missing from a role's entry is closed
# to that role.
ROLE_MODEL_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.STREET_OFFICE: {
        "firms.propertyfirm": _PUBLISH_AND_LOCK,
        "governance_tasks.governancetask": _PUBLISH,
        "committees.ownerscommittee": _PUBLISH_AND_LOCK,
        "committees.committeecandidate": _MANAGE,
        "meetings.jointmeeting": _MANAGE,
        **dict.fromkeys(_RECORDS, _MANAGE),
        "committees.memberwithdrawal": _CHANGE,
        "voting.voteprereview": _CHANGE,
    },
    Role.COMMUNITY_OFFICE: {
        "firms.propertyfirm": _VIEW,
        "governance_tasks.governancetask": _VIEW,
        "committees.ownerscommittee": _EDIT,
        "committees.committeecandidate": _MANAGE,
        "meetings.jointmeeting": _MANAGE,
        "committees.trainingsession": _MANAGE,
        "committees.memberevaluation": _VIEW,
        "committees.memberwithdrawal": _CHANGE,
        "voting.voteprereview": _CHANGE,
    },
    Role.COMMUNITY_PARTY: {
        "firms.propertyfirm": _VIEW,
        "governance_tasks.governancetask": _VIEW,
        "committees.ownerscommittee": ("change", "view"),
        "committees.committeecandidate": _EDIT,
        "meetings.jointmeeting": _VIEW,
        **dict.fromkeys(_RECORDS, _MANAGE),
        "committees.memberwithdrawal": _CHANGE,
        "voting.voteprereview": _VIEW,
    },
    Role.COMPOUND_PARTY: {
        "firms.propertyfirm": _VIEW,
        "governance_tasks.governancetask": _VIEW,
        "committees.ownerscommittee": _VIEW,
        "committees.committeecandidate": _EDIT,
        "meetings.jointmeeting": _VIEW,
        **dict.fromkeys((*_RECORDS, "committees.memberwithdrawal"), _VIEW),
    },
    Role.COMMISSIONER: {
        "firms.propertyfirm": _VIEW,
        "governance_tasks.governancetask": _VIEW,
        "committees.ownerscommittee": _VIEW,
        "meetings.jointmeeting": _EDIT,
        "committees.trainingsession": _VIEW,
    },
    Role.OWNERS_COMMITTEE: {
        "firms.propertyfirm": _VIEW,
        "governance_tasks.governancetask": _VIEW,
        "committees.ownerscommittee": _EDIT,
        "meetings.jointmeeting": _EDIT,
        "committees.trainingsession": _VIEW,
        "voting.voteprereview": _VIEW,
    },
    Role.PROPERTY_FIRM: {
        "firms.propertyfirm": _VIEW,
        "governance_tasks.governancetask": _VIEW,
        "committees.ownerscommittee": _VIEW,
        "meetings.jointmeeting": _VIEW,
    },
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

    def save(self, *args: Any, **kwargs: Any) -> None:
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


class CompoundScopedLogEntryManager(BaseLogEntryManager):
    def log_action(self, instance: models.Model, action: str, **kwargs: Any) -> BaseLogEntry:
        # The row's declared scope field holds its compound.
        field = instance._meta.get_field(instance.scope_field)  # type: ignore[attr-defined]
        compound_id = getattr(instance, field.attname)  # type: ignore[union-attr]
        kwargs.update(object_id=str(instance.pk), compound_id=compound_id)
        return super().log_action(instance, action, **kwargs)

    def for_instance(self, instance: models.Model) -> models.QuerySet:
        return self.filter(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
            object_id=str(instance.pk),
        )

    def viewable_by_user(self, user: Any) -> models.QuerySet:
        # The policy reads the role table defined here: imported when first asked.
        from .permissions import log_entries_condition_for  # noqa: PLC0415

        return self.filter(log_entries_condition_for(user))


class CompoundScopedLogEntry(BaseLogEntry):
    """The audit log of rows that belong to a compound, kept with that compound.

    Wagtail's own ``ModelLogEntry`` is shown in the site history to anyone
    holding a model permission, so it would list the titles (for candidates:
    names) of every compound's rows; these entries are shown within the
    reader's scope only.
    """

    object_id = models.CharField(max_length=255, db_index=True)
    compound = models.ForeignKey(
        "structure.CompoundPage",
        verbose_name="小区",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CompoundScopedLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        verbose_name = "小区数据操作记录"
        verbose_name_plural = "小区数据操作记录"
        ordering = ["-timestamp", "-id"]


class ScopeCollection(models.Model):
    """The collection of images and documents of one street, community or compound.

    Collections mirror the page tree (street ▸ community ▸ compound), so the collection
    permissions a role holds on its scope's collection reach that scope's files and its
    compounds', and no other's.
    """

    scope = models.OneToOneField(
        Page, verbose_name="范围", on_delete=models.CASCADE, related_name="scope_collection"
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name="集合",
        on_delete=models.CASCADE,
        related_name="scope_link",
    )

    class Meta:
        verbose_name = "范围集合"
        verbose_name_plural = "范围集合"

    def __str__(self) -> str:
        return f"{self.scope.title} · {self.collection.name}"
