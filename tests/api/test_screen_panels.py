"""The compound screen's further panels and the community screen, through their persisted queries.

A compound's feed adds its latest asset lists, the votes owners are answering now with the
turnout so far (never a choice), and the published firms serving it. A community's feed shows
its own notices and, per public compound, the disclosures its schedules ask for now (the
dashboard's rule), the latest fee collection rate and the open proposals. Both follow only what
is public, and the community's content version follows its compounds and the calendar.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import PageViewRestriction

from api import memo
from api.models import Screen
from content_types.roles.models import Role
from site_config.models import DisclosureSchedule
from tests.content_types.disclosures.factories import (
    AssetListsPageFactory,
    FeeCollectionPageFactory,
)
from tests.content_types.expenditures.factories import (
    ExpenditureProposalPageFactory,
    UsageReportPageFactory,
)
from tests.content_types.firms.factories import PropertyFirmFactory
from tests.content_types.notices.factories import NoticePageFactory
from tests.content_types.structure.factories import CompoundPageFactory
from tests.content_types.units.factories import UnitFactory
from tests.workflows.voting.factories import VoteFactory
from workflows.voting.models import VoteStatus
from workflows.voting.services import cast_online, issue_codes, open_vote

from .factories import screen_token

pytestmark = pytest.mark.django_db

ROLL = [  # (building, room, area, phone): the owner of 101 and 102 is one person
    ("1幢", "101", "100.00", "13800000001"),
    ("1幢", "102", "50.00", "13800000001"),
    ("1幢", "201", "80.00", "13800000002"),
    ("2幢", "101", "120.00", "13800000003"),
]


def persisted(client, query_id: str, token: str | None, **variables):
    headers = {"HTTP_AUTHORIZATION": f"Screen {token}"} if token else {}
    return client.get("/graphql/", {"id": query_id, "variables": json.dumps(variables)}, **headers)


def compound_feed(client, token: str, slug: str = "jinxiu") -> dict:
    response = persisted(client, "screenFeed", token, compound=slug)
    assert response.status_code == 200, response.content
    return response.json()["data"]["screenFeed"]


def community_feed(client, token: str, slug: str = "fengming") -> dict:
    response = persisted(client, "communityScreenFeed", token, community=slug)
    assert response.status_code == 200, response.content
    return response.json()["data"]["communityScreenFeed"]


def community_version(client, slug: str = "fengming") -> str:
    memo.forget_all()
    response = persisted(client, "communityContentVersion", None, community=slug)
    return response.json()["data"]["contentVersion"]


@pytest.fixture
def voting(street_tree, role_user):
    """An open vote of 锦绣花园 over three owners (350 m²), with each owner's code and phone."""
    compound = street_tree.compound_a1
    for building, room, area, phone in ROLL:
        UnitFactory(
            compound=compound,
            building=building,
            entrance="1",
            room=room,
            exclusive_area=Decimal(area),
            owner_phone=phone,
        )
    committee = role_user(Role.OWNERS_COMMITTEE, compound, username="committee_a1")
    vote = open_vote(VoteFactory(compound=compound, title="增设电动自行车充电桩"), committee)
    owners = [
        (item.code, item.elector.units.first().unit.owner_phone)
        for item in issue_codes(vote, committee)
    ]
    return vote, owners


def firm(compound, **fields) -> None:
    serving = PropertyFirmFactory(**fields)
    serving.compounds.set([compound])
    serving.save()


def cast(vote, code: str, phone: str, choice: str = "for") -> None:
    cast_online(vote, code, phone[-4:], choice, "127.0.0.1")


# --------------------------------------------------------------------------- compound screen


def test_the_compound_feed_adds_asset_lists_open_votes_and_firms(street_tree, client, voting):
    compound = street_tree.compound_a1
    vote, owners = voting
    AssetListsPageFactory(parent=compound, title="2023年三张清单", as_of=date(2023, 12, 31))
    AssetListsPageFactory(parent=compound, title="2024年三张清单", as_of=date(2024, 12, 31))
    AssetListsPageFactory(parent=compound, title="草稿清单", as_of=date(2025, 6, 30), live=False)
    firm(compound, name="上虞锦程物业服务有限公司", office_phone="0575-82100001")
    firm(compound, name="未发布的物业", live=False)
    firm(street_tree.compound_a2, name="别的小区的物业")
    VoteFactory(compound=compound, title="尚未开启的表决")  # a draft
    VoteFactory(compound=street_tree.compound_a2, title="阳光水岸的表决", status=VoteStatus.OPEN)
    token = screen_token(compound)

    cast(vote, *owners[0], choice="against")
    feed = compound_feed(client, token)

    assert feed["assetLists"]["title"] == "2024年三张清单"
    assert [item["kindLabel"] for item in feed["assetLists"]["items"]] == [
        "公共资源",
        "资产",
        "资金",
    ]
    [open_vote_shown] = feed["openVotes"]
    assert open_vote_shown["title"] == "增设电动自行车充电桩"
    assert open_vote_shown["eligibleHeads"] == 3
    assert Decimal(open_vote_shown["eligibleArea"]) == Decimal("350.00")
    assert open_vote_shown["answeredHeads"] == 1
    assert not open_vote_shown["participationReached"]
    assert "against" not in json.dumps(open_vote_shown) and "反对" not in json.dumps(feed)
    assert [firm["name"] for firm in feed["propertyFirms"]] == ["上虞锦程物业服务有限公司"]
    assert feed["propertyFirms"][0]["officePhone"] == "0575-82100001"


def test_a_ballot_changes_the_compound_screens_version_at_once(
    street_tree, client, voting, settings
):
    # Versions are kept for a minute: only the ballot itself can renew the compound's.
    settings.WEIZHI_API_MEMO_SECONDS = 60
    vote, owners = voting
    token = screen_token(street_tree.compound_a1)
    before = compound_feed(client, token)
    cast(vote, *owners[0])
    after = compound_feed(client, token)

    assert after["contentVersion"] != before["contentVersion"]
    assert after["openVotes"][0]["answeredHeads"] == before["openVotes"][0]["answeredHeads"] + 1


def test_a_restricted_compound_shows_no_open_vote_even_to_its_communitys_screen(
    street_tree, client, voting
):
    PageViewRestriction.objects.create(
        page=street_tree.compound_a1, restriction_type=PageViewRestriction.LOGIN
    )
    response = persisted(
        client, "screenFeed", screen_token(street_tree.community_a), compound="jinxiu"
    )
    assert "增设电动自行车充电桩" not in response.content.decode()


# --------------------------------------------------------------------------- community screen


@pytest.fixture
def schedule(street_tree):
    return DisclosureSchedule.objects.create(
        code="fees",
        name="物业费收缴情况公开",
        page_type="disclosures.feecollectionpage",
        period="quarter",
        grace_days=15,
        scope=street_tree.street,
    )


def last_quarter(today: date) -> tuple[date, date]:
    first_of_quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    end = first_of_quarter - timedelta(days=1)
    return date(end.year, (end.month - 1) // 3 * 3 + 1, 1), end


def test_the_community_feed_summarises_each_public_compound(street_tree, client, schedule):
    community, jinxiu, yangguang = (
        street_tree.community_a,
        street_tree.compound_a1,
        street_tree.compound_a2,
    )
    start, end = last_quarter(timezone.localdate())
    NoticePageFactory(parent=community, title="社区义诊", pinned=True)
    NoticePageFactory(parent=jinxiu, title="锦绣花园停水通知")  # a compound's: not here
    NoticePageFactory(parent=community, title="社区草稿", live=False)
    NoticePageFactory(
        parent=community, title="已过期的通知", expire_at=timezone.now() - timedelta(minutes=1)
    )
    FeeCollectionPageFactory(
        parent=jinxiu,
        title="本季物业费收缴",
        period_start=start,
        period_end=end,
        amount_due=Decimal("1000.00"),
        amount_collected=Decimal("915.00"),
    )
    FeeCollectionPageFactory(
        parent=yangguang,
        title="未发布的收缴",
        period_start=start,
        period_end=end,
        live=False,
    )
    ExpenditureProposalPageFactory(parent=jinxiu, title="更换电梯")
    reported = ExpenditureProposalPageFactory(parent=jinxiu, title="已报告使用的申请")
    UsageReportPageFactory(parent=reported)
    ExpenditureProposalPageFactory(parent=jinxiu, title="草稿申请", live=False)
    ExpenditureProposalPageFactory(parent=street_tree.compound_b1)  # another community's

    feed = community_feed(client, screen_token(community))

    assert feed["community"]["title"] == "凤鸣社区"
    assert [notice["title"] for notice in feed["notices"]] == ["社区义诊"]
    by_title = {row["compound"]["title"]: row for row in feed["compounds"]}
    assert list(by_title) == ["锦绣花园", "阳光水岸"]
    jinxiu_row, yangguang_row = by_title["锦绣花园"], by_title["阳光水岸"]
    assert Decimal(jinxiu_row["feeCollectionRate"]) == Decimal("91.50")
    assert jinxiu_row["openProposals"] == 1
    assert [(d["name"], d["state"]) for d in jinxiu_row["disclosures"]] == [
        ("物业费收缴情况公开", "published")
    ]
    assert jinxiu_row["disclosuresOnTime"]
    assert yangguang_row["feeCollectionRate"] is None
    assert yangguang_row["openProposals"] == 0
    [owed] = yangguang_row["disclosures"]
    overdue = timezone.localdate() > end + timedelta(days=15)
    assert owed["state"] == ("overdue" if overdue else "due")
    assert owed["stateLabel"] == ("已逾期" if overdue else "待公开")
    assert yangguang_row["disclosuresOnTime"] is not overdue


def test_a_hidden_compound_is_left_out_of_its_communitys_screen(street_tree, client):
    PageViewRestriction.objects.create(
        page=street_tree.compound_a2, restriction_type=PageViewRestriction.LOGIN
    )
    feed = community_feed(client, screen_token(street_tree.community_a))
    assert [row["compound"]["title"] for row in feed["compounds"]] == ["锦绣花园"]


def test_the_community_feed_needs_that_communitys_token(street_tree, client):
    refused = persisted(client, "communityScreenFeed", None, community="fengming")
    assert refused.status_code == 401
    compound_token = screen_token(street_tree.compound_a1)
    beyond = persisted(client, "communityScreenFeed", compound_token, community="fengming")
    assert beyond.status_code == 403
    other = persisted(
        client,
        "communityScreenFeed",
        screen_token(street_tree.community_b),
        community="fengming",
    )
    assert other.status_code == 403
    assert "龙山社区" in other.json()["errors"][0]["message"]


def test_the_community_version_follows_its_compounds_and_the_calendar(
    street_tree, client, schedule
):
    start, end = last_quarter(timezone.localdate())
    first = community_version(client)
    assert community_version(client) == first  # the same state, the same version

    fees = FeeCollectionPageFactory(
        parent=street_tree.compound_a2, period_start=start, period_end=end
    )
    published = community_version(client)
    assert published != first

    fees.unpublish()
    assert community_version(client) != published

    # A due disclosure turns overdue with the calendar alone: the version changes with it.
    with time_machine.travel(timezone.make_aware(timezone.datetime(*end.timetuple()[:3], 12))):
        due_version = community_version(client)
    deadline = end + timedelta(days=15 + 1)
    with time_machine.travel(timezone.make_aware(timezone.datetime(*deadline.timetuple()[:3], 12))):
        assert community_version(client) != due_version


def forget_versions_and_answers() -> None:
    """As for a screen asking after a change: nothing kept, so the feed is rendered anew."""
    memo.forget_all()
    cache.clear()


def test_the_community_feeds_queries_do_not_grow_with_its_compounds(
    street_tree, client, schedule, django_assert_num_queries
):
    token = screen_token(street_tree.community_a)
    for compound in (street_tree.compound_a1, street_tree.compound_a2):
        FeeCollectionPageFactory(parent=compound)
        ExpenditureProposalPageFactory(parent=compound)
    community_feed(client, token)  # content types cached
    forget_versions_and_answers()
    with django_assert_num_queries(COMMUNITY_FEED_QUERIES):
        small = community_feed(client, token)
    for n in range(6):
        compound = CompoundPageFactory(
            parent=street_tree.community_a, title=f"新小区{n}", slug=f"new-{n}"
        )
        FeeCollectionPageFactory(parent=compound)
        ExpenditureProposalPageFactory(parent=compound)
    forget_versions_and_answers()
    with django_assert_num_queries(COMMUNITY_FEED_QUERIES):
        large = community_feed(client, token)
    assert len(small["compounds"]) == 2 and len(large["compounds"]) == 8


# The token, the scope the query names, the content version with the dues (three), the hidden
# subtrees, the community and its ancestors (two), its notices, the compounds with their fee
# figures and open proposals, and the dues (two). The screen asked within the minute, so its
# last-seen mark is not written.
COMMUNITY_FEED_QUERIES = 12


def test_the_compound_feeds_queries_do_not_grow_with_its_votes_and_lists(
    street_tree, client, voting, role_user, django_assert_num_queries
):
    compound = street_tree.compound_a1
    AssetListsPageFactory(parent=compound)
    firm(compound, name="上虞锦程物业服务有限公司")
    token = screen_token(compound)
    compound_feed(client, token)  # content types cached
    Screen.objects.update(last_seen_at=timezone.now())
    forget_versions_and_answers()
    with django_assert_num_queries(COMPOUND_FEED_QUERIES):
        small = compound_feed(client, token)

    committee = role_user(Role.OWNERS_COMMITTEE, compound, username="committee_a1_more")
    for n in range(3):
        open_vote(VoteFactory(compound=compound, title=f"第{n}项表决"), committee)
    AssetListsPageFactory(parent=compound, as_of=date(2030, 1, 1))
    firm(compound, name="第二家物业")
    forget_versions_and_answers()
    with django_assert_num_queries(COMPOUND_FEED_QUERIES):
        large = compound_feed(client, token)
    assert (len(small["openVotes"]), len(large["openVotes"])) == (1, 4)
    assert len(large["propertyFirms"]) == 2


# The token, the scope, the content version, the hidden subtrees, the compound and its
# ancestors, the notices, the latest statement, fee collection and asset lists with their rows,
# the proposals, the vote results, the open votes and their turnouts (two), the firms, and the
# latest page of each configured disclosure kind (its tables' panel).
COMPOUND_FEED_QUERIES = 17
