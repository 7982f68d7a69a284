"""The public GraphQL schema: only live, unexpired, public content, for screens and other clients.

Every query names its scope (a community or compound by slug or id) or reads the street-wide
lists; every list is fetched in a fixed number of SQL queries (see ``loaders``), and asks for
at most ``GRAPHQL_MAX_PAGE_SIZE`` items (see ``pagination``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import graphene
from django.utils import timezone

from content_types.disclosures.kinds import KINDS, Registry
from content_types.expenditures.models import ExpenditureProposalPage
from content_types.governance_tasks.models import GovernanceTask
from content_types.structure.models import CommunityPage, CompoundPage, StreetPage
from graphql import GraphQLError

from . import loaders, shared_cache
from .arguments import SCOPE_HELP, list_arguments, scope_arguments, scope_of, sort_key
from .community_feed import community_screen_feed_field
from .configured_disclosures import (
    configured_disclosures_field,
    latest_of_each_kind,
    resolve_configured_disclosures,
)
from .disclosure_fields import query_fields, screen_fields
from .filters import GovernanceTaskFilter, NoticeFilter, ProposalFilter, apply_filters
from .pagination import Slice, SortKey, connection, page_size, paginate
from .rows import NoticeRow, asks_only_plain_fields
from .scope import Scope, find_scope
from .types.cases import PublishedCaseType
from .types.configured_disclosures import ConfiguredTableType, remember_files
from .types.expenditures import ExpenditureProposalType
from .types.governance import GovernanceTaskType, OwnersCommitteeType, PropertyFirmType
from .types.notices import NoticeCategoryEnum, NoticeType, remember_for_bodies
from .types.structure import CommunityType, CompoundType, StreetType, remember_streets
from .types.voting import OpenVoteType, VoteResultType
from .visibility import Visibility

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from wagtail.models import Page

    from content_types.configured_disclosures.models import ConfiguredDisclosurePage
    from content_types.notices.models import NoticePage
    from workflows.voting.models import VoteResult

# How many final vote results a screen shows: the latest ones.
SCREEN_VOTE_RESULTS = 5

NoticeConnection = connection(NoticeType, "NoticeConnection", "通知公告")

PublishedCaseConnection = connection(
    PublishedCaseType, "PublishedCaseConnection", "已公开的诉求与事件"
)

ExpenditureProposalConnection = connection(
    ExpenditureProposalType, "ExpenditureProposalConnection", "大额资金使用申请"
)


# --------------------------------------------------------------------------- the screen feed


@dataclass
class Feed:
    """What a screen of one compound shows; each part is read only when asked for."""

    scope: Scope
    visibility: Visibility
    notice_limit: int


class ScreenFeedFields(graphene.ObjectType):
    """Everything a compound's screen shows, in one request.

    ``notices``: pinned notices first, then the newest, of the compound and of its community,
    only those meant for screens, at most ``notices`` of them (the argument of ``screenFeed``).
    Each disclosure kind shown on screens (``financeStatement``, ``feeCollection``): the latest
    published one by period end, with its screen rows. ``proposals``: published expenditure
    proposals whose usage is not reported yet, with the step they are at. ``voteResults``: the
    latest final results of the compound's owners' assembly votes (at most five). ``openVotes``:
    the votes owners are answering now, with the turnout so far (never a choice).
    ``propertyFirms``: the published firms serving the compound, with their public contact.
    ``configuredTables``: for each active kind the configuration file declares, the published
    page of the compound with the latest date, as the text of its table.
    ``contentVersion``: changes whenever any of this may have changed.
    """

    compound = graphene.Field(CompoundType, required=True, description="小区")
    community = graphene.Field(CommunityType, description="所属社区")
    notices = graphene.List(
        graphene.NonNull(NoticeType), required=True, description="置顶和最新的通知公告"
    )
    proposals = graphene.List(
        graphene.NonNull(ExpenditureProposalType),
        required=True,
        description="进行中的大额资金使用申请及其当前环节",
    )
    vote_results = graphene.List(
        graphene.NonNull(VoteResultType), required=True, description="最近的表决最终结果"
    )
    open_votes = graphene.List(
        graphene.NonNull(OpenVoteType),
        required=True,
        description="正在进行的业主大会表决及目前的参与情况",
    )
    property_firms = graphene.List(
        graphene.NonNull(PropertyFirmType),
        required=True,
        description="服务本小区的物业服务企业及其公开联系方式",
    )
    configured_tables = graphene.List(
        graphene.NonNull(ConfiguredTableType),
        required=True,
        description="每个启用的自定义公示种类在本小区最新的一期（按配置文件中的顺序）",
    )
    content_version = graphene.String(required=True, description="内容版本，变化即需刷新")
    generated_at = graphene.DateTime(required=True, description="生成时间")

    class Meta:
        abstract = True

    @staticmethod
    def resolve_compound(feed: Feed, info: Any) -> Page:
        return feed.scope.page

    @staticmethod
    def resolve_community(feed: Feed, info: Any) -> Page | None:
        return feed.scope.community

    @staticmethod
    def resolve_notices(feed: Feed, info: Any) -> list[NoticePage] | list[NoticeRow]:
        if asks_only_plain_fields(info):  # a screen's own query: titles, dates, pictures
            rows = loaders.screen_notice_rows(feed.visibility, feed.scope, feed.notice_limit)
            return remember_for_bodies(info.context, rows)
        queryset = loaders.notices(feed.visibility, feed.scope, screens_only=True).order_by(
            *loaders.SCREEN_NOTICE_ORDER
        )
        return remember_for_bodies(info.context, queryset[: feed.notice_limit])

    @staticmethod
    def resolve_proposals(feed: Feed, info: Any) -> list[Any]:
        return loaders.open_proposals(feed.visibility, feed.scope)

    @staticmethod
    def resolve_vote_results(feed: Feed, info: Any) -> list[VoteResult]:
        return loaders.latest_final_results(feed.visibility, feed.scope, SCREEN_VOTE_RESULTS)

    @staticmethod
    def resolve_open_votes(feed: Feed, info: Any) -> list[loaders.OpenVoteRow]:
        return loaders.open_votes(feed.visibility, feed.scope)

    @staticmethod
    def resolve_property_firms(feed: Feed, info: Any) -> QuerySet:
        return loaders.firms(feed.visibility, feed.scope)

    @staticmethod
    def resolve_configured_tables(feed: Feed, info: Any) -> list[ConfiguredDisclosurePage]:
        return remember_files(info.context, latest_of_each_kind(feed.visibility, feed.scope))

    @staticmethod
    def resolve_content_version(feed: Feed, info: Any) -> str:
        # The version the answer's ETag is made of, kept as that one is (``api.shared_cache``).
        return shared_cache.version_of(feed.scope.page)

    @staticmethod
    def resolve_generated_at(feed: Feed, info: Any) -> Any:
        return feed.visibility.now


# --------------------------------------------------------------------------- queries


class QueryFields(graphene.ObjectType):
    """The queries other than the disclosure kinds' (``disclosure_fields``)."""

    streets = graphene.List(graphene.NonNull(StreetType), required=True, description="所有街道")
    compound = graphene.Field(
        CompoundType,
        slug=graphene.String(description="小区的 slug"),
        id=graphene.ID(description="小区的 id"),
        description="按 slug 或 id 查询小区；未公开的小区返回空",
    )
    community = graphene.Field(
        CommunityType,
        slug=graphene.String(description="社区的 slug"),
        id=graphene.ID(description="社区的 id"),
        description="按 slug 或 id 查询社区；未公开的社区返回空",
    )
    content_version = graphene.String(
        required=True,
        **scope_arguments(),
        description="内容版本：范围内有内容发布、撤下或到期时变化；不指定范围则为全站",
    )
    notices = graphene.Field(
        NoticeConnection,
        required=True,
        **scope_arguments(),
        category=NoticeCategoryEnum(description="类别"),
        pinned=graphene.Boolean(description="只看置顶（true）或非置顶（false）"),
        **list_arguments(),
        description="通知公告（小区的，含所属社区发布的）",
    )
    expenditure_proposals = graphene.Field(
        ExpenditureProposalConnection,
        required=True,
        **scope_arguments(),
        **list_arguments(),
        description="已公开的大额资金使用申请及其当前环节",
    )
    vote_results = graphene.List(
        graphene.NonNull(VoteResultType),
        required=True,
        **scope_arguments(),
        description="业主大会表决的最终结果（初步结果在异议期内不公开）",
    )
    owners_committees = graphene.List(
        graphene.NonNull(OwnersCommitteeType),
        required=True,
        **scope_arguments(),
        current=graphene.Boolean(
            default_value=True, description="只看当前任期（默认），false 则含往届"
        ),
        description="业主委员会公开名单（姓名和职务）",
    )
    property_firms = graphene.List(
        graphene.NonNull(PropertyFirmType),
        required=True,
        **scope_arguments(),
        description="服务该范围的物业服务企业",
    )
    published_cases = graphene.Field(
        PublishedCaseConnection,
        required=True,
        **scope_arguments(),
        first=graphene.Int(description="每页条数，默认 20，最多见 GRAPHQL_MAX_PAGE_SIZE"),
        after=graphene.String(description="上一页的 pageInfo.endCursor"),
        description="已公开的诉求与事件（匿名摘要，最新公开在前）",
    )
    configured_disclosures = configured_disclosures_field()
    governance_tasks = graphene.List(
        graphene.NonNull(GovernanceTaskType),
        required=True,
        status=graphene.String(description="进展状态：not_started、in_progress、done、ongoing"),
        area=graphene.String(description="重点任务类别（包含该文字）"),
        description="年度任务清单",
    )

    @staticmethod
    def resolve_streets(root: Any, info: Any) -> list[Page]:
        streets = Visibility.of(info.context).pages(StreetPage.objects.all()).order_by("path")
        return remember_streets(info.context, list(streets))

    @staticmethod
    def resolve_compound(
        root: Any, info: Any, slug: str | None = None, id: str | None = None
    ) -> Page | None:
        return _single(info, CompoundPage, slug, id)

    @staticmethod
    def resolve_community(
        root: Any, info: Any, slug: str | None = None, id: str | None = None
    ) -> Page | None:
        return _single(info, CommunityPage, slug, id)

    @staticmethod
    def resolve_screen_feed(root: Any, info: Any, compound: str, notices: int = 20) -> Feed:
        limit = page_size(notices, argument="notices")
        scope = find_scope(info.context, compound, CompoundPage)
        return Feed(scope, Visibility.of(info.context), limit)

    @staticmethod
    def resolve_content_version(
        root: Any, info: Any, compound: str | None = None, community: str | None = None
    ) -> str:
        scope = scope_of(info, compound, community, required=False)
        return shared_cache.version_of(scope.page if scope else None)

    @staticmethod
    def resolve_notices(
        root: Any,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        order_by: str | None = None,
        **arguments: Any,
    ) -> Slice:
        scope = scope_of(info, arguments.pop("compound", None), arguments.pop("community", None))
        queryset = apply_filters(
            NoticeFilter, loaders.notices(Visibility.of(info.context), scope), **arguments
        )
        page = paginate(queryset, sort_key(order_by), first, after)
        remember_for_bodies(info.context, page.items)
        return page

    @staticmethod
    def resolve_expenditure_proposals(
        root: Any,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        order_by: str | None = None,
        **arguments: Any,
    ) -> Slice:
        visibility = Visibility.of(info.context)
        scope = scope_of(info, arguments.pop("compound", None), arguments.pop("community", None))
        queryset = apply_filters(
            ProposalFilter,
            loaders.in_compounds(visibility, scope, ExpenditureProposalPage),
            **arguments,
        )
        return paginate(
            loaders.with_progress(queryset, visibility.statement_values()[1]),
            sort_key(order_by),
            first,
            after,
        )

    @staticmethod
    def resolve_vote_results(
        root: Any, info: Any, compound: str | None = None, community: str | None = None
    ) -> QuerySet:
        scope = scope_of(info, compound, community)
        return loaders.final_results(Visibility.of(info.context), scope)

    @staticmethod
    def resolve_owners_committees(
        root: Any,
        info: Any,
        compound: str | None = None,
        community: str | None = None,
        current: bool = True,
    ) -> QuerySet:
        scope = scope_of(info, compound, community)
        visibility = Visibility.of(info.context)
        filters = {}
        if current:
            today = timezone.localdate()
            filters = {"term_start__lte": today, "term_end__gte": today}
        return loaders.committees(visibility, scope, **filters)

    @staticmethod
    def resolve_property_firms(
        root: Any, info: Any, compound: str | None = None, community: str | None = None
    ) -> QuerySet:
        return loaders.firms(Visibility.of(info.context), scope_of(info, compound, community))

    resolve_configured_disclosures = staticmethod(resolve_configured_disclosures)

    @staticmethod
    def resolve_published_cases(
        root: Any,
        info: Any,
        compound: str | None = None,
        community: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Slice:
        scope = scope_of(info, compound, community)
        queryset = loaders.published_cases(Visibility.of(info.context), scope)
        return paginate(queryset, SortKey("published_at", descending=True), first, after)

    @staticmethod
    def resolve_governance_tasks(root: Any, info: Any, **arguments: Any) -> QuerySet:
        visibility = Visibility.of(info.context)
        return apply_filters(
            GovernanceTaskFilter, visibility.snippets(GovernanceTask.objects.all()), **arguments
        ).order_by("number")


def _single(info: Any, model: type[Page], slug: str | None, id: str | None) -> Page | None:
    if bool(slug) == bool(id):
        raise GraphQLError("请提供 slug 或 id 其中之一。")
    if id and not str(id).isdigit():
        raise GraphQLError(f"id 应为数字，收到“{id}”。")
    scope = find_scope(info.context, slug or str(id), model, required=False)
    if scope is None or (id and str(scope.page.pk) != str(id)):
        return None
    return scope.page


def build_schema(kinds: Registry = KINDS) -> graphene.Schema:
    """The schema with a field, filter and union member for each registered disclosure kind."""
    feed_meta = {"name": "ScreenFeed", "description": "公开屏一次请求所需的全部内容"}
    feed_type = type(
        "ScreenFeedType",
        (ScreenFeedFields,),
        {**screen_fields(kinds), "Meta": type("Meta", (), feed_meta)},
    )
    query = type(
        "Query",
        (QueryFields,),
        {
            "screen_feed": graphene.Field(
                feed_type,
                required=True,
                compound=graphene.String(required=True, description=f"小区的{SCOPE_HELP}"),
                notices=graphene.Int(default_value=20, description="通知公告最多几条（含置顶）"),
                description="公开屏一次请求所需的全部内容（需公开屏令牌）",
            ),
            "community_screen_feed": community_screen_feed_field(),
            **query_fields(kinds),
        },
    )
    return graphene.Schema(query=query)


schema = build_schema()
