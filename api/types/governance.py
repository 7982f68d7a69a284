"""The owners' committee's public roster, property firms and the annual task list.

The roster says who serves and in what role, nothing more: phones, pledges, training and
evaluations are the committee's records, not public content.
"""

from __future__ import annotations

from typing import Any

import graphene
from graphene_django import DjangoObjectType

from content_types.committees.models import CommitteeMember, MemberRole, OwnersCommittee
from content_types.firms.models import PropertyFirm
from content_types.governance_tasks.models import GovernanceTask, TaskStatus

MemberRoleEnum = graphene.Enum.from_enum(MemberRole, name="CommitteeRole")
TaskStatusEnum = graphene.Enum.from_enum(TaskStatus, name="TaskStatus")


class CommitteeMemberType(graphene.ObjectType):
    """Built by hand, not from the model, so that no personal field can slip in."""

    name = graphene.String(required=True, description="姓名")
    role = MemberRoleEnum(required=True, description="职务")
    role_label = graphene.String(required=True, description="职务名称")

    class Meta:
        name = "CommitteeMember"
        description = "业委会委员（只公开姓名和职务）"

    @staticmethod
    def resolve_role(member: CommitteeMember, info: Any) -> str:
        return member.role

    @staticmethod
    def resolve_role_label(member: CommitteeMember, info: Any) -> str:
        return member.get_role_display()


class OwnersCommitteeType(DjangoObjectType):
    members = graphene.List(graphene.NonNull(CommitteeMemberType), required=True)

    class Meta:
        model = OwnersCommittee
        name = "OwnersCommittee"
        fields = ("id", "term_start", "term_end")
        description = "业主委员会（公开名单）"

    @staticmethod
    def resolve_members(committee: OwnersCommittee, info: Any) -> list[CommitteeMember]:
        return list(committee.members.all())


class PropertyFirmType(DjangoObjectType):
    class Meta:
        model = PropertyFirm
        name = "PropertyFirm"
        fields = ("id", "name", "credit_code", "office_phone", "address")
        description = "物业服务企业（公开信息）"


class GovernanceTaskType(DjangoObjectType):
    status = TaskStatusEnum(required=True, description="进展状态")
    status_label = graphene.String(required=True, description="进展状态名称")

    class Meta:
        model = GovernanceTask
        name = "GovernanceTask"
        fields = (
            "id",
            "year",
            "number",
            "area",
            "key_task",
            "measure",
            "responsible_offices",
            "deadline_month",
            "is_long_term",
            "progress_notes",
        )
        description = "年度任务清单中的一项"

    @staticmethod
    def resolve_status(task: GovernanceTask, info: Any) -> str:
        return task.status

    @staticmethod
    def resolve_status_label(task: GovernanceTask, info: Any) -> str:
        return task.get_status_display()
