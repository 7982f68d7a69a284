"""The screen's own persisted feed shows published content only, as the general API does.

The screen's query asks for plain fields only, so it is answered by compiled statements
(``api.statements``), apart from the queries the general API runs: each rule of what is public
is checked again here through that query, with no, one and two view restrictions (each a
statement of its own shape), and with the same statements reused for another compound.
"""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone
from wagtail.models import GroupApprovalTask, PageViewRestriction, Workflow, WorkflowTask

from tests.content_types.disclosures.factories import (
    FeeCollectionPageFactory,
    FinanceStatementPageFactory,
)
from tests.content_types.expenditures.factories import (
    ExpenditureProposalPageFactory,
    UsageReportPageFactory,
)
from tests.content_types.notices.factories import NoticePageFactory

from .factories import screen_token
from .test_screen_feed import vote_result

pytestmark = pytest.mark.django_db


def screen_feed(client, scope, slug: str) -> dict:
    response = client.get(
        "/graphql/",
        {"id": "screenFeed", "variables": json.dumps({"compound": slug, "notices": 50})},
        HTTP_AUTHORIZATION=f"Screen {screen_token(scope)}",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["screenFeed"]


def titles(items) -> list[str]:
    return [item["title"] for item in items]


def restrict(page) -> None:
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def test_notices_are_the_compounds_and_its_communitys_live_unexpired_public_ones(
    street_tree, client
):
    now = timezone.now()
    compound, community = street_tree.compound_a1, street_tree.community_a
    NoticePageFactory(parent=compound, title="停水通知")
    NoticePageFactory(parent=compound, title="置顶公告", pinned=True)
    NoticePageFactory(parent=community, title="社区义诊")
    NoticePageFactory(parent=compound, title="草稿", live=False)
    NoticePageFactory(parent=compound, title="已过期", expire_at=now - timedelta(minutes=1))
    NoticePageFactory(parent=compound, title="明天到期", expire_at=now + timedelta(days=1))
    NoticePageFactory(parent=compound, title="只在网站", show_on_screens=False)
    NoticePageFactory(parent=street_tree.compound_a2, title="隔壁小区")
    NoticePageFactory(parent=street_tree.community_b, title="别的社区")
    restricted = NoticePageFactory(parent=compound, title="仅限登录")

    shown = titles(screen_feed(client, compound, "jinxiu")["notices"])
    assert shown[0] == "置顶公告"
    assert set(shown) == {"停水通知", "置顶公告", "社区义诊", "明天到期", "仅限登录"}

    restrict(restricted)
    shown = titles(screen_feed(client, compound, "jinxiu")["notices"])
    assert set(shown) == {"停水通知", "置顶公告", "社区义诊", "明天到期"}

    restrict(street_tree.community_a.get_children().exclude(pk=compound.pk).first())
    restrict(NoticePageFactory(parent=community, title="社区内部"))
    shown = titles(screen_feed(client, compound, "jinxiu")["notices"])
    assert set(shown) == {"停水通知", "置顶公告", "社区义诊", "明天到期"}


def test_the_same_statements_serve_another_compound_with_its_own_content(street_tree, client):
    NoticePageFactory(parent=street_tree.compound_a1, title="锦绣的通知")
    NoticePageFactory(parent=street_tree.compound_b1, title="公寓的通知")
    FinanceStatementPageFactory(parent=street_tree.compound_a1, title="锦绣的收支")
    FinanceStatementPageFactory(parent=street_tree.compound_b1, title="公寓的收支")

    first = screen_feed(client, street_tree.compound_a1, "jinxiu")
    second = screen_feed(client, street_tree.compound_b1, "gongyu")

    assert titles(first["notices"]) == ["锦绣的通知"]
    assert first["financeStatement"]["title"] == "锦绣的收支"
    assert titles(second["notices"]) == ["公寓的通知"]
    assert second["financeStatement"]["title"] == "公寓的收支"


def test_the_latest_public_statement_and_fee_figures_with_their_own_lines(street_tree, client):
    compound = street_tree.compound_a1
    FinanceStatementPageFactory(parent=compound, title="一季度", period_end=date(2024, 3, 31))
    FinanceStatementPageFactory(parent=compound, title="二季度", period_end=date(2024, 6, 30))
    FinanceStatementPageFactory(
        parent=compound, title="三季度草稿", period_end=date(2024, 9, 30), live=False
    )
    restrict(
        FinanceStatementPageFactory(
            parent=compound, title="四季度受限", period_end=date(2024, 12, 31)
        )
    )
    FinanceStatementPageFactory(
        parent=street_tree.compound_a2, title="隔壁的", period_end=date(2025, 3, 31)
    )
    FeeCollectionPageFactory(parent=compound, title="2024年收缴", period_end=date(2024, 12, 31))
    FeeCollectionPageFactory(
        parent=compound,
        title="2025年已过期",
        period_end=date(2025, 12, 31),
        expire_at=timezone.now() - timedelta(minutes=1),
    )

    feed = screen_feed(client, compound, "jinxiu")

    statement = feed["financeStatement"]
    assert statement["title"] == "二季度"
    assert [line["amount"] for line in statement["lines"]] == ["3600.00", "1250.50"]
    assert (statement["incomeTotal"], statement["expenditureTotal"]) == ("3600.00", "1250.50")
    assert feed["feeCollection"]["title"] == "2024年收缴"


def test_a_compound_with_nothing_published_shows_empty_parts(street_tree, client):
    FinanceStatementPageFactory(parent=street_tree.compound_a1, title="草稿", live=False)

    feed = screen_feed(client, street_tree.compound_a1, "jinxiu")

    assert feed["notices"] == []
    assert feed["financeStatement"] is None
    assert feed["feeCollection"] is None
    assert feed["proposals"] == []
    assert feed["voteResults"] == []


def test_open_proposals_leave_out_drafts_and_those_with_a_public_usage_report(street_tree, client):
    compound = street_tree.compound_a1
    ExpenditureProposalPageFactory(parent=compound, title="更换钢丝绳")
    ExpenditureProposalPageFactory(parent=compound, title="草稿申请", live=False)
    reported = ExpenditureProposalPageFactory(parent=compound, title="已报告")
    UsageReportPageFactory(parent=reported)
    draft_report = ExpenditureProposalPageFactory(parent=compound, title="报告未发布")
    UsageReportPageFactory(parent=draft_report, live=False)
    ExpenditureProposalPageFactory(parent=street_tree.compound_a2, title="隔壁的申请")

    proposals = screen_feed(client, compound, "jinxiu")["proposals"]

    assert set(titles(proposals)) == {"更换钢丝绳", "报告未发布"}
    assert {proposal["inReview"] for proposal in proposals} == {False}


def test_vote_results_are_the_compounds_final_ones(street_tree, client):
    vote_result(street_tree.compound_a1, title="增设充电桩")
    vote_result(street_tree.compound_a2, title="隔壁的表决")

    results = screen_feed(client, street_tree.compound_a1, "jinxiu")["voteResults"]

    assert titles(results) == ["增设充电桩"]
    assert results[0]["forArea"] == "21000.25"


def test_a_proposal_in_review_shows_its_step_and_a_finished_review_does_not(
    street_tree, client, django_user_model
):
    workflow = Workflow.objects.create(name="测试审核流程")
    task = GroupApprovalTask.objects.create(name="业委会初审")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    editor = django_user_model.objects.create_user("editor", password="x")
    in_review = ExpenditureProposalPageFactory(parent=street_tree.compound_a1, title="电梯维修")
    in_review.save_revision(user=editor)
    workflow.start(in_review, editor)
    cancelled = ExpenditureProposalPageFactory(parent=street_tree.compound_a1, title="已撤回")
    cancelled.save_revision(user=editor)
    workflow.start(cancelled, editor).cancel(user=editor)

    proposals = screen_feed(client, street_tree.compound_a1, "jinxiu")["proposals"]

    by_title = {proposal["title"]: proposal for proposal in proposals}
    assert (by_title["电梯维修"]["step"], by_title["电梯维修"]["inReview"]) == ("业委会初审", True)
    assert by_title["已撤回"]["inReview"] is False
