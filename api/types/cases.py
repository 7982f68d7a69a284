"""Published cases (诉求与事件): the anonymised summary a handler chose to publish, nothing more.

Built by hand, not from the model: the title, place, description, reporter, photos, handlers
and timeline of a case are records of the offices, and no field of theirs can slip in here.
"""

from __future__ import annotations

from typing import Any

import graphene

from content_types.cases.models import Case, CaseCategory

CaseCategoryEnum = graphene.Enum.from_enum(
    CaseCategory, name="CaseCategory", description="诉求与事件的类别"
)


class PublishedCaseType(graphene.ObjectType):
    id = graphene.ID(required=True)
    category = CaseCategoryEnum(required=True, description="类别")
    category_label = graphene.String(required=True, description="类别名称")
    summary = graphene.String(required=True, description="公开摘要（匿名）")
    scope_name = graphene.String(required=True, description="所属小区或社区")
    closed_at = graphene.DateTime(description="办结关闭时间")
    published_at = graphene.DateTime(required=True, description="公开时间")

    class Meta:
        name = "PublishedCase"
        description = "已公开的诉求与事件（匿名摘要，不含反映人和详情）"

    @staticmethod
    def resolve_category(case: Case, info: Any) -> str:
        return case.category

    @staticmethod
    def resolve_category_label(case: Case, info: Any) -> str:
        return case.get_category_display()

    @staticmethod
    def resolve_summary(case: Case, info: Any) -> str:
        return case.public_summary

    @staticmethod
    def resolve_scope_name(case: Case, info: Any) -> str:
        return case.scope.title
