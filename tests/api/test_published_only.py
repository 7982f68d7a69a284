"""The API shows published content only: never drafts, revisions in review, expired notices,
restricted pages or unpublished snippets; and never personal data."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from content_types.committees.models import MemberRole
from tests.content_types.committees.factories import CommitteeMemberFactory, OwnersCommitteeFactory
from tests.content_types.expenditures.factories import ExpenditureProposalPageFactory
from tests.content_types.firms.factories import PropertyFirmFactory
from tests.content_types.governance_tasks.factories import GovernanceTaskFactory
from tests.content_types.notices.factories import NoticePageFactory

from .factories import post_graphql, screen_token

pytestmark = pytest.mark.django_db

NOTICES = """
query ($compound: String) {
  notices(compound: $compound) { totalCount items { title summary bodyHtml } }
}
"""


def notice_titles(client, compound="jinxiu") -> list[str]:
    response = post_graphql(client, NOTICES, compound=compound)
    assert "errors" not in response.json(), response.json()
    return [item["title"] for item in response.json()["data"]["notices"]["items"]]


def test_drafts_are_not_shown(street_tree, client):
    NoticePageFactory(parent=street_tree.compound_a1, title="已发布")
    NoticePageFactory(parent=street_tree.compound_a1, title="草稿", live=False)

    assert notice_titles(client) == ["已发布"]


def test_a_revision_in_review_leaves_the_live_version_on_show(
    street_tree, client, review_chain, django_user_model
):
    editor = django_user_model.objects.create_user("editor", password="x")
    notice = NoticePageFactory(parent=street_tree.compound_a1, title="停水通知", summary="周六停水")
    notice.title, notice.summary = "停水通知（改期）", "改为周日停水"
    notice.save_revision(user=editor)
    review_chain.start(notice, editor)

    response = post_graphql(client, NOTICES, compound="jinxiu")

    [item] = response.json()["data"]["notices"]["items"]
    assert (item["title"], item["summary"]) == ("停水通知", "周六停水")


def test_expired_notices_are_gone_before_the_expiry_job_runs(street_tree, client):
    NoticePageFactory(parent=street_tree.compound_a1, title="有效")
    NoticePageFactory(
        parent=street_tree.compound_a1,
        title="已过期",
        expire_at=timezone.now() - timedelta(minutes=1),
    )

    assert notice_titles(client) == ["有效"]


def test_restricted_pages_and_everything_under_a_restricted_ancestor_are_hidden(
    street_tree, client
):
    NoticePageFactory(parent=street_tree.compound_a1, title="小区通知")
    restricted = NoticePageFactory(parent=street_tree.compound_a1, title="仅限登录")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    assert notice_titles(client) == ["小区通知"]

    PageViewRestriction.objects.create(
        page=street_tree.community_a,
        restriction_type=PageViewRestriction.PASSWORD,
        password="secret",
    )

    response = post_graphql(client, NOTICES, compound="jinxiu")
    assert response.json()["data"] is None
    assert "未找到已公开的小区：jinxiu" in response.json()["errors"][0]["message"]
    token = screen_token(street_tree.compound_a1)
    feed = post_graphql(
        client, '{ screenFeed(compound: "jinxiu") { notices { title } } }', token=token
    )
    assert "未找到已公开的小区" in feed.json()["errors"][0]["message"]


def test_a_compound_under_an_unpublished_community_is_not_found(street_tree, client):
    NoticePageFactory(parent=street_tree.compound_a1, title="小区通知")
    street_tree.community_a.unpublish()

    response = post_graphql(client, NOTICES, compound="jinxiu")

    assert response.json()["data"] is None


def test_the_compound_can_be_named_by_id(street_tree, client):
    NoticePageFactory(parent=street_tree.compound_a1, title="小区通知")

    assert notice_titles(client, compound=str(street_tree.compound_a1.pk)) == ["小区通知"]


ROSTER = """
query { ownersCommittees(compound: "jinxiu") { termStart members { name role roleLabel } } }
"""


def test_only_a_published_committee_is_shown_with_names_and_roles_only(street_tree, client):
    committee = OwnersCommitteeFactory(compound=street_tree.compound_a1)
    CommitteeMemberFactory(committee=committee, name="王主任", role=MemberRole.CHAIR)
    CommitteeMemberFactory(committee=committee, name="李委员")
    draft = OwnersCommitteeFactory(compound=street_tree.compound_a1, live=False)
    CommitteeMemberFactory(committee=draft, name="草稿里的人")

    response = post_graphql(client, ROSTER)

    [shown] = response.json()["data"]["ownersCommittees"]
    assert shown["members"] == [
        {"name": "王主任", "role": "CHAIR", "roleLabel": "主任"},
        {"name": "李委员", "role": "MEMBER", "roleLabel": "委员"},
    ]
    personal = '{ ownersCommittees(compound: "jinxiu") { members { name lastTrainingDate } } }'
    assert "没有字段" in post_graphql(client, personal).json()["errors"][0]["message"]


def test_unpublished_firms_and_tasks_are_not_shown(street_tree, client):
    firm = PropertyFirmFactory(name="绿城物业")
    firm.compounds.set([street_tree.compound_a1])
    firm.save()
    hidden = PropertyFirmFactory(name="未发布物业", live=False)
    hidden.compounds.set([street_tree.compound_a1])
    hidden.save()
    GovernanceTaskFactory(number=1, key_task="组建两级微治办")
    GovernanceTaskFactory(number=2, key_task="未发布任务", live=False)

    response = post_graphql(
        client,
        '{ propertyFirms(compound: "jinxiu") { name officePhone } '
        "governanceTasks { number keyTask status statusLabel } }",
    )

    data = response.json()["data"]
    assert [firm["name"] for firm in data["propertyFirms"]] == ["绿城物业"]
    assert [task["keyTask"] for task in data["governanceTasks"]] == ["组建两级微治办"]


def test_a_proposal_in_review_shows_the_name_of_its_step(
    street_tree, client, review_chain, django_user_model
):
    editor = django_user_model.objects.create_user("editor", password="x")
    proposal = ExpenditureProposalPageFactory(parent=street_tree.compound_a1, title="电梯维修")
    proposal.save_revision(user=editor)
    review_chain.start(proposal, editor)
    ExpenditureProposalPageFactory(parent=street_tree.compound_a1, title="草稿申请", live=False)

    response = post_graphql(
        client,
        '{ expenditureProposals(compound: "jinxiu") { items { title step inReview } } }',
    )

    assert response.json()["data"]["expenditureProposals"]["items"] == [
        {"title": "电梯维修", "step": "业委会初审", "inReview": True}
    ]
