"""The screen feed: everything a compound's screen shows, public content only, in one request."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.fast_paths import PATHS
from tests.content_types.disclosures.factories import (
    FeeCollectionPageFactory,
    FinanceStatementPageFactory,
)
from tests.content_types.expenditures.factories import (
    ExpenditureProposalPageFactory,
    UsageReportPageFactory,
)
from tests.content_types.notices.factories import NoticePageFactory
from tests.workflows.voting.factories import VoteFactory, VoteResultFactory
from workflows.voting.models import ResultStage, VoteStatus

from .factories import post_graphql, screen_token

pytestmark = pytest.mark.django_db

FEED = """
query ($compound: String!) {
  screenFeed(compound: $compound) {
    compound { title }
    community { title }
    notices {
      id title pinned category categoryLabel summary publishedAt bodyHtml
      images { url width height alt }
    }
    financeStatement {
      title periodStart periodEnd openingBalance closingBalance incomeTotal expenditureTotal
      lines { direction directionLabel category amount }
    }
    feeCollection { title householdsTotal householdsPaid amountDue amountCollected collectionRate }
    proposals { id title amount step inReview }
    voteResults {
      title outcome outcomeLabel passed
      eligibleHeads eligibleArea participatingHeads participatingArea
      forHeads forArea againstHeads againstArea abstainHeads abstainArea
    }
    contentVersion
  }
}
"""


def vote_result(compound, *, status=VoteStatus.FINAL, stage=ResultStage.FINAL, title="增设充电桩"):
    vote = VoteFactory(
        compound=compound,
        title=title,
        status=status,
        opens_at=timezone.now() - timedelta(days=20),
        closes_at=timezone.now() - timedelta(days=10),
        finalised_at=timezone.now() if status == VoteStatus.FINAL else None,
    )
    return VoteResultFactory(vote=vote, stage=stage)


def feed(client, street_tree, compound="jinxiu"):
    token = screen_token(street_tree.compound_a1)
    response = post_graphql(client, FEED, token=token, compound=compound)
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["screenFeed"]


def test_the_feed_shows_what_the_compounds_screen_needs(street_tree, client):
    compound, community = street_tree.compound_a1, street_tree.community_a
    NoticePageFactory(parent=compound, title="停水通知", pinned=False)
    NoticePageFactory(parent=compound, title="业主大会召开公告", pinned=True)
    NoticePageFactory(parent=community, title="社区义诊活动")
    NoticePageFactory(parent=street_tree.compound_a2, title="别的小区的通知")
    NoticePageFactory(parent=compound, title="只在网站公开", show_on_screens=False)
    FinanceStatementPageFactory(parent=compound, title="2024年一季度共有收益")
    FeeCollectionPageFactory(parent=compound, title="2024年物业费收缴")
    ExpenditureProposalPageFactory(parent=compound, title="更换电梯钢丝绳")
    reported = ExpenditureProposalPageFactory(parent=compound, title="已完成的维修")
    UsageReportPageFactory(parent=reported)
    vote_result(compound)

    data = feed(client, street_tree)

    assert data["compound"]["title"] == "锦绣花园"
    assert data["community"]["title"] == community.title
    titles = [notice["title"] for notice in data["notices"]]
    assert titles[0] == "业主大会召开公告"
    assert set(titles) == {"停水通知", "业主大会召开公告", "社区义诊活动"}
    statement = data["financeStatement"]
    assert statement["title"] == "2024年一季度共有收益"
    assert statement["openingBalance"] == "10000.00"
    assert statement["closingBalance"] == "12349.50"
    assert [line["directionLabel"] for line in statement["lines"]] == ["收入", "支出"]
    assert data["feeCollection"]["collectionRate"] == "90.00"
    assert [p["title"] for p in data["proposals"]] == ["更换电梯钢丝绳"]
    assert data["proposals"][0]["step"] == "审定结果已公开"
    [result] = data["voteResults"]
    assert (result["outcomeLabel"], result["passed"]) == ("通过", True)
    assert (result["participatingHeads"], result["participatingArea"]) == (250, "26000.50")
    assert (result["abstainHeads"], result["abstainArea"]) == (20, "2000.25")
    assert data["contentVersion"]


def test_preliminary_results_are_not_shown(street_tree, client):
    vote_result(
        street_tree.compound_a1, status=VoteStatus.PRELIMINARY, stage=ResultStage.PRELIMINARY
    )

    assert feed(client, street_tree)["voteResults"] == []


def test_each_fast_path_left_out_gives_the_same_feed(street_tree, client, settings):
    """The paths ``make bench`` leaves out to measure them change speed, never the answer."""
    compound = street_tree.compound_a1
    NoticePageFactory(parent=compound, title="停水通知")
    NoticePageFactory(parent=street_tree.community_a, title="社区义诊活动", pinned=True)
    FinanceStatementPageFactory(parent=compound, title="2024年一季度共有收益")
    FeeCollectionPageFactory(parent=compound, title="2024年物业费收缴")
    ExpenditureProposalPageFactory(parent=compound, title="更换电梯钢丝绳")
    vote_result(compound)
    # The content version is an opaque fingerprint: its text may follow how rows were read.
    expected = {**feed(client, street_tree), "contentVersion": None}
    assert expected["notices"] and expected["financeStatement"]["lines"]

    for path in PATHS:
        settings.WEIZHI_API_WITHOUT = (path,)
        assert {**feed(client, street_tree), "contentVersion": None} == expected, path
