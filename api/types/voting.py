"""Final results of owners' assembly votes: both measures, and nothing about any one owner."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import graphene

from core.civil_code import Outcome

if TYPE_CHECKING:
    from workflows.voting.models import VoteResult


def _outcome_label(outcome: str) -> str:
    try:
        return Outcome(outcome).label
    except ValueError:
        return outcome


class VoteResultType(graphene.ObjectType):
    """Built by hand from the result row: no roster, ballot or elector field can slip in."""

    id = graphene.ID(required=True, description="表决的 id")
    title = graphene.String(required=True, description="表决事项")
    matter_label = graphene.String(required=True, description="事项类别")
    scope_label = graphene.String(required=True, description="表决范围，如“全小区”")
    outcome = graphene.String(required=True, description="结果代码：passed 或未通过的原因")
    outcome_label = graphene.String(required=True, description="结果，如“通过”")
    passed = graphene.Boolean(required=True, description="是否通过")
    reason = graphene.String(required=True, description="依据《民法典》第二百七十八条的说明")
    finalised_at = graphene.DateTime(description="最终结果确认时间")
    eligible_heads = graphene.Int(required=True, description="应参与业主人数")
    eligible_area = graphene.Decimal(required=True, description="应参与专有部分面积（平方米）")
    participating_heads = graphene.Int(required=True, description="参与表决人数")
    participating_area = graphene.Decimal(required=True, description="参与表决面积（平方米）")
    for_heads = graphene.Int(required=True, description="同意人数")
    for_area = graphene.Decimal(required=True, description="同意面积（平方米）")
    against_heads = graphene.Int(required=True, description="反对人数")
    against_area = graphene.Decimal(required=True, description="反对面积（平方米）")
    abstain_heads = graphene.Int(required=True, description="弃权人数")
    abstain_area = graphene.Decimal(required=True, description="弃权面积（平方米）")

    class Meta:
        name = "VoteResult"
        description = "业主大会表决的最终结果（按人数和按面积两种口径）"

    @staticmethod
    def resolve_id(result: VoteResult, info: Any) -> int:
        return result.vote_id

    @staticmethod
    def resolve_title(result: VoteResult, info: Any) -> str:
        return result.vote.title

    @staticmethod
    def resolve_matter_label(result: VoteResult, info: Any) -> str:
        return result.vote.get_matter_display()

    @staticmethod
    def resolve_scope_label(result: VoteResult, info: Any) -> str:
        return result.vote.scope_label

    @staticmethod
    def resolve_outcome_label(result: VoteResult, info: Any) -> str:
        return _outcome_label(result.outcome)

    @staticmethod
    def resolve_passed(result: VoteResult, info: Any) -> bool:
        return result.outcome == Outcome.PASSED

    @staticmethod
    def resolve_finalised_at(result: VoteResult, info: Any) -> Any:
        return result.vote.finalised_at


class OpenVoteType(graphene.ObjectType):
    """A vote owners are answering now and how many have answered (``loaders.OpenVoteRow``):
    never anyone's choice, which is counted only when the vote closes."""

    id = graphene.ID(required=True, description="表决的 id")
    title = graphene.String(required=True, description="表决事项")
    matter_label = graphene.String(required=True, description="事项类别")
    scope_label = graphene.String(required=True, description="表决范围，如“全小区”")
    opens_at = graphene.DateTime(required=True, description="开始时间")
    closes_at = graphene.DateTime(required=True, description="截止时间")
    eligible_heads = graphene.Int(required=True, description="应参与业主人数")
    eligible_area = graphene.Decimal(required=True, description="应参与专有部分面积（平方米）")
    answered_heads = graphene.Int(required=True, description="已参与表决人数")
    answered_area = graphene.Decimal(required=True, description="已参与表决面积（平方米）")
    heads_percent = graphene.Decimal(description="按人数的参与率（百分比）；名册为空时为空")
    area_percent = graphene.Decimal(description="按面积的参与率（百分比）；名册为空时为空")
    participation_reached = graphene.Boolean(
        required=True, description="人数和面积是否都已达到三分之二的参与要求"
    )

    class Meta:
        name = "OpenVote"
        description = "正在进行的业主大会表决及目前的参与情况（不含任何人的表决意见）"
