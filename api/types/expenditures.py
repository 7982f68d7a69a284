"""Expenditure proposals (大额资金使用申请) and the step of the chain each one is at."""

from __future__ import annotations

from typing import Any

import graphene
from graphene_django import DjangoObjectType

from content_types.expenditures.models import ExpenditureProposalPage

# Where a published proposal stands when no review is running.
DECIDED = "审定结果已公开"
REPORTED = "使用情况已公开"


class ExpenditureProposalType(DjangoObjectType):
    fund_source_label = graphene.String(required=True, description="资金来源名称")
    matter_label = graphene.String(required=True, description="表决事项类别名称")
    step = graphene.String(
        required=True,
        description="当前环节：审核中的为该环节名称（不含审核人），否则为公开进度",
    )
    in_review = graphene.Boolean(required=True, description="是否正在审核流程中")
    published_at = graphene.DateTime(description="首次发布时间")

    class Meta:
        model = ExpenditureProposalPage
        name = "ExpenditureProposal"
        fields = (
            "id",
            "title",
            "slug",
            "purpose",
            "amount",
            "fund_source",
            "matter",
            "usage_report_due",
        )
        description = "大额资金使用申请"
        convert_choices_to_enum = False

    @staticmethod
    def resolve_fund_source_label(page: ExpenditureProposalPage, info: Any) -> str:
        return page.get_fund_source_display()

    @staticmethod
    def resolve_matter_label(page: ExpenditureProposalPage, info: Any) -> str:
        return page.get_matter_display()

    @staticmethod
    def resolve_step(page: ExpenditureProposalPage, info: Any) -> str:
        current = getattr(page, "api_current_step", None)
        if current:
            return current
        return REPORTED if getattr(page, "api_has_report", False) else DECIDED

    @staticmethod
    def resolve_in_review(page: ExpenditureProposalPage, info: Any) -> bool:
        return bool(getattr(page, "api_current_step", None))

    @staticmethod
    def resolve_published_at(page: ExpenditureProposalPage, info: Any) -> Any:
        return page.first_published_at
