"""A community's public screen (社区公开屏): its own notices and, per compound, how it is doing.

For each public compound of the community: the disclosures its schedules ask for now and
whether each is out (``disclosure_dues``, the dashboard's one rule), the latest published fee
collection's rate, and how many published expenditure proposals are still open (no usage report
yet). Read in a fixed number of queries: the notices, the compounds with their fee figures and
open proposals, and the dues' two.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import graphene
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from content_types.disclosures.models import FeeCollectionPage, percent
from content_types.expenditures.models import ExpenditureProposalPage, UsageReportPage
from content_types.notices.models import NoticePage
from content_types.structure.models import CommunityPage

from . import shared_cache
from .arguments import SCOPE_HELP
from .disclosure_dues import OVERDUE, compounds_of, dues_of
from .loaders import SCREEN_NOTICE_ORDER
from .pagination import page_size
from .rows import NOTICE_COLUMNS, NoticeRow, asks_only_plain_fields
from .scope import Scope, find_scope
from .types.notices import NoticeType, remember_for_bodies
from .types.structure import CommunityType, CompoundType
from .visibility import Visibility, public_pages_from

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from content_types.structure.models import CompoundPage

    from .disclosure_dues import Due


@dataclass
class CommunityFeed:
    scope: Scope
    visibility: Visibility
    notice_limit: int


def own_notices(visibility: Visibility, scope: Scope) -> QuerySet:
    """The community's own notices for screens (not its compounds'), pinned then newest."""
    page = scope.page
    notices = visibility.pages(
        NoticePage.objects.filter(
            path__startswith=page.path, depth=page.depth + 1, show_on_screens=True
        )
    )
    return notices.order_by(*SCREEN_NOTICE_ORDER)


def own_notice_rows(visibility: Visibility, scope: Scope, limit: int) -> list[NoticeRow]:
    """``own_notices`` as plain rows (``rows``): one query."""
    rows = own_notices(visibility, scope)[:limit].values_list(*NOTICE_COLUMNS)
    return [NoticeRow(*row) for row in rows]


def compound_summaries(visibility: Visibility, scope: Scope) -> list[CompoundPage]:
    """The community's public compounds in tree order, each with its latest public fee
    collection's figures and its count of open proposals (one query), and its dues (two)."""
    values = visibility.statement_values()[1]
    fees = public_pages_from(
        FeeCollectionPage.objects.filter(path__startswith=OuterRef("path")), values
    ).order_by("-period_end", "-first_published_at", "-pk")
    reports = public_pages_from(
        UsageReportPage.objects.filter(path__startswith=OuterRef("path")), values
    )
    open_proposals = (
        public_pages_from(
            ExpenditureProposalPage.objects.filter(path__startswith=OuterRef("path")), values
        )
        .filter(~Exists(reports))
        .order_by()
        .annotate(count=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        .values("count")
    )
    compounds = list(
        visibility.pages(compounds_of(scope.page.path))
        .annotate(
            api_fee_title=Subquery(fees.values("title")[:1]),
            api_fee_due=Subquery(fees.values("amount_due")[:1]),
            api_fee_collected=Subquery(fees.values("amount_collected")[:1]),
            api_fee_period_end=Subquery(fees.values("period_end")[:1]),
            api_open_proposals=Coalesce(Subquery(open_proposals), 0),
        )
        .order_by("path")
    )
    dues = dues_of(compounds_of(scope.page.path), timezone.localdate()) if compounds else {}
    for compound in compounds:
        compound.api_dues = dues.get(compound.pk, [])
    return compounds


class DisclosureDueType(graphene.ObjectType):
    name = graphene.String(required=True, description="公开事项，如“物业费收缴情况公开”")
    period_label = graphene.String(required=True, description="应公开的期间，如“2026年第三季度”")
    period_start = graphene.Date(required=True, description="期间开始")
    period_end = graphene.Date(required=True, description="期间结束")
    deadline = graphene.Date(required=True, description="应在此日（含）之前公开")
    state = graphene.String(required=True, description="published、due 或 overdue")
    state_label = graphene.String(required=True, description="已公开、待公开或已逾期")

    class Meta:
        name = "DisclosureDue"
        description = "按公开频次，小区本期应公开的一项内容及其状态"


class CompoundSummaryType(graphene.ObjectType):
    compound = graphene.Field(CompoundType, required=True, description="小区")
    disclosures = graphene.List(
        graphene.NonNull(DisclosureDueType), required=True, description="本期应公开的事项"
    )
    disclosures_on_time = graphene.Boolean(
        required=True, description="是否没有逾期未公开的事项（待公开的仍在期限内）"
    )
    fee_collection_title = graphene.String(description="最新一期物业费收缴公开的标题")
    fee_collection_rate = graphene.Decimal(
        description="最新一期物业费收缴率（按金额，百分比）；没有公开或应收为 0 时为空"
    )
    fee_collection_period_end = graphene.Date(description="该期收缴期间的结束日")
    open_proposals = graphene.Int(
        required=True, description="已公开、尚未公开使用情况的大额资金使用申请数"
    )

    class Meta:
        name = "CompoundSummary"
        description = "社区公开屏上一个小区的概况"

    @staticmethod
    def resolve_compound(compound: Any, info: Any) -> Any:
        return compound

    @staticmethod
    def resolve_disclosures(compound: Any, info: Any) -> list[Due]:
        return compound.api_dues

    @staticmethod
    def resolve_disclosures_on_time(compound: Any, info: Any) -> bool:
        return not any(due.state == OVERDUE for due in compound.api_dues)

    @staticmethod
    def resolve_fee_collection_title(compound: Any, info: Any) -> str | None:
        return compound.api_fee_title

    @staticmethod
    def resolve_fee_collection_rate(compound: Any, info: Any) -> Any:
        if compound.api_fee_due is None:
            return None
        return percent(compound.api_fee_collected, compound.api_fee_due)

    @staticmethod
    def resolve_fee_collection_period_end(compound: Any, info: Any) -> Any:
        return compound.api_fee_period_end

    @staticmethod
    def resolve_open_proposals(compound: Any, info: Any) -> int:
        return compound.api_open_proposals


class CommunityScreenFeedType(graphene.ObjectType):
    """Everything a community's screen shows, in one request."""

    community = graphene.Field(CommunityType, required=True, description="社区")
    notices = graphene.List(
        graphene.NonNull(NoticeType), required=True, description="社区自己的置顶和最新通知公告"
    )
    compounds = graphene.List(
        graphene.NonNull(CompoundSummaryType), required=True, description="各小区的概况"
    )
    content_version = graphene.String(required=True, description="内容版本，变化即需刷新")

    class Meta:
        name = "CommunityScreenFeed"
        description = "社区公开屏一次请求所需的全部内容"

    @staticmethod
    def resolve_community(feed: CommunityFeed, info: Any) -> Any:
        return feed.scope.page

    @staticmethod
    def resolve_notices(feed: CommunityFeed, info: Any) -> list[NoticeRow] | list[NoticePage]:
        if asks_only_plain_fields(info):  # a screen's own query
            rows = own_notice_rows(feed.visibility, feed.scope, feed.notice_limit)
            return remember_for_bodies(info.context, rows)
        pages = own_notices(feed.visibility, feed.scope)[: feed.notice_limit]
        return remember_for_bodies(info.context, list(pages))

    @staticmethod
    def resolve_compounds(feed: CommunityFeed, info: Any) -> list[CompoundPage]:
        return compound_summaries(feed.visibility, feed.scope)

    @staticmethod
    def resolve_content_version(feed: CommunityFeed, info: Any) -> str:
        return shared_cache.version_of(feed.scope.page)


def resolve_community_screen_feed(
    root: Any, info: Any, community: str, notices: int = 20
) -> CommunityFeed:
    limit = page_size(notices, argument="notices")
    scope = find_scope(info.context, community, CommunityPage)
    return CommunityFeed(scope, Visibility.of(info.context), limit)


def community_screen_feed_field() -> graphene.Field:
    return graphene.Field(
        CommunityScreenFeedType,
        required=True,
        community=graphene.String(required=True, description=f"社区的{SCOPE_HELP}"),
        notices=graphene.Int(default_value=20, description="通知公告最多几条（含置顶）"),
        resolver=resolve_community_screen_feed,
        description="社区公开屏一次请求所需的全部内容（需该社区的公开屏令牌）",
    )
