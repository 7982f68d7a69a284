"""审核历程: each item's steps through its chains, read from the audit log, within scope only."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.log_actions import log

from content_types.committees.models import CommitteeCandidate
from content_types.roles.models import Role
from content_types.structure.models import CompoundPage
from tests.workflows.chains.chain_setup import (
    COMPOUND_CONTENT_CHAIN,
    attach,
    ensure_candidate_vetting_chain,
    ensure_scoped_chain,
)
from workflows.chains.history import history_url

from .test_candidate_vetting import recommend
from .test_candidate_vetting import review as review_candidate
from .test_notice_chain import edit_notice, review, submit_new_notice

pytestmark = pytest.mark.django_db

HISTORY_QUERIES = 14  # the menus ask about the user's roles: one query between them


@pytest.fixture
def people(street_tree, role_user):
    attach(ensure_scoped_chain(*COMPOUND_CONTENT_CHAIN), CompoundPage.objects.all())
    ensure_candidate_vetting_chain()
    for role, scope, username, name in [
        (Role.COMMISSIONER, street_tree.compound_a1, "commissioner_a1", "锦绣花园小区专员"),
        (Role.COMMISSIONER, street_tree.compound_a2, "commissioner_a2", "阳光水岸小区专员"),
        (Role.COMMUNITY_OFFICE, street_tree.community_a, "office_a", "凤鸣社区微治办"),
        (Role.COMMUNITY_OFFICE, street_tree.community_b, "office_b", "龙山社区微治办"),
        (Role.COMPOUND_PARTY, street_tree.compound_a1, "party_a1", "锦绣花园党支部"),
        (Role.COMMUNITY_PARTY, street_tree.community_a, "community_party_a", "凤鸣社区党委"),
        (Role.COMMUNITY_PARTY, street_tree.community_b, "community_party_b", "龙山社区党委"),
        (Role.STREET_OFFICE, street_tree.street, "street", "街道微治办"),
    ]:
        user = role_user(role, scope, username)
        user.first_name = name
        user.save()
    return street_tree


def as_user(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def timeline_rows(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [
        " ".join(item.get_text(" ", strip=True).split())
        for item in soup.select("li.weizhi-timeline__entry")
    ]


def test_a_notices_timeline_shows_every_step_with_who_what_and_the_comment(people):
    notice = submit_new_notice(as_user("commissioner_a1"), people.compound_a1)
    review(as_user("office_a"), notice, "reject", comment="请写明停水的具体楼幢。")
    edit_notice(as_user("commissioner_a1"), notice, "submit", summary="3 幢、5 幢停水。")
    review(as_user("office_a"), notice, "approve", comment="同意发布。")

    response = as_user("commissioner_a1").get(history_url(notice))

    assert response.status_code == 200
    rows = timeline_rows(response.text)
    assert [[part.split(" ")[0] for part in row.split(" · ")[1:3]] for row in rows] == [
        ["锦绣花园小区专员", "提交审核"],
        ["凤鸣社区微治办", "退回修改"],
        ["锦绣花园小区专员", "修改后重新提交"],
        ["凤鸣社区微治办", "审核通过"],
        ["凤鸣社区微治办", "发布"],
    ]
    assert "步骤：社区审核" in rows[1] and "结论：退回" in rows[1]
    assert "审核意见：请写明停水的具体楼幢。" in rows[1]
    assert "结论：通过" in rows[3] and "审核意见：同意发布。" in rows[3]
    assert "流程：小区内容审核" in rows[0]
    assert "年" in rows[0] and "月" in rows[0]  # the date, in Chinese


def test_another_communitys_reviewer_cannot_open_the_history(people):
    notice = submit_new_notice(as_user("commissioner_a1"), people.compound_a1)
    review(as_user("office_a"), notice, "reject", comment="请写明停水的具体楼幢。")

    other = as_user("office_b").get(history_url(notice))
    neighbour = as_user("commissioner_a2").get(history_url(notice))
    anonymous = Client().get(history_url(notice))

    assert other.status_code == 404
    assert neighbour.status_code == 404  # the compound next door, in the same community
    assert "请写明停水的具体楼幢。" not in other.text
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    assert as_user("office_a").get(history_url(notice)).status_code == 200


def test_a_candidates_timeline_follows_the_vetting_chain_within_scope(people):
    recommend(as_user("party_a1"), people.compound_a1)
    candidate = CommitteeCandidate.objects.get()
    review_candidate(as_user("community_party_a"), candidate, "approve", comment="群众公认度高。")
    review_candidate(as_user("street"), candidate, "approve")
    review_candidate(as_user("street"), candidate, "approve", comment="联合审查无异议。")

    own = as_user("community_party_a").get(history_url(candidate))
    other = as_user("community_party_b").get(history_url(candidate))

    rows = timeline_rows(own.text)
    steps = [row for row in rows if "审核通过" in row]
    assert ["步骤：社区前置审核" in steps[0], "步骤：街道统筹把关" in steps[1]] == [True, True]
    assert "步骤：部门联合审查" in steps[2] and "联合审查无异议。" in steps[2]
    assert "凤鸣社区党委" in steps[0] and "群众公认度高。" in steps[0]
    assert "锦绣花园党支部" in rows[0] and "提交审核" in rows[0]
    assert other.status_code == 404
    assert "群众公认度高。" not in other.text


def test_a_tally_carried_in_a_log_entry_is_shown(people):
    notice = submit_new_notice(as_user("commissioner_a1"), people.compound_a1)
    log(
        notice,
        "wagtail.workflow.approve",
        data={
            "workflow": {"title": "大额资金使用（四审两公开）", "task": {"title": "业主大会审定"}},
            "comment": "表决通过。",
            "tally": {"参与表决": "212 人", "同意": "180 人"},
        },
    )

    rows = timeline_rows(as_user("office_a").get(history_url(notice)).text)

    assert "表决结果：" in rows[-1]
    assert "参与表决：212 人" in rows[-1] and "同意：180 人" in rows[-1]
    assert "系统" in rows[-1]  # decided by the vote, not by a person


def test_the_history_takes_a_fixed_number_of_queries(people):
    notice = submit_new_notice(as_user("commissioner_a1"), people.compound_a1)
    author, reviewer = as_user("commissioner_a1"), as_user("office_a")
    reviewer.get(history_url(notice))  # warm per-process caches

    with CaptureQueriesContext(connection) as short:
        first = reviewer.get(history_url(notice))
    for round_ in range(6):
        review(reviewer, notice, "reject", comment=f"第{round_ + 1}次退回。")
        edit_notice(author, notice, "submit", summary=f"第{round_ + 1}次修改。")
    review(reviewer, notice, "approve")
    with CaptureQueriesContext(connection) as long:
        last = reviewer.get(history_url(notice))

    assert len(timeline_rows(first.text)) == 1
    assert len(timeline_rows(last.text)) == 15
    assert (len(short), len(long)) == (HISTORY_QUERIES, HISTORY_QUERIES)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/chains/history/page/999999/",
        "/admin/chains/history/page/not-a-number/",
        "/admin/chains/history/nosuchapp/nosuchmodel/1/",
        "/admin/chains/history/auth/user/1/",  # not an item that goes through a chain
        "/admin/chains/history/committees/committeecandidate/abc/",
    ],
)
def test_a_bad_history_address_is_a_plain_not_found(people, path):
    assert as_user("street").get(path).status_code == 404


def test_the_editor_and_the_pool_link_to_the_history(people):
    notice = submit_new_notice(as_user("commissioner_a1"), people.compound_a1)
    recommend(as_user("party_a1"), people.compound_a1)
    candidate = CommitteeCandidate.objects.get()
    viewset = CommitteeCandidate.snippet_viewset

    editor = as_user("office_a").get(reverse("wagtailadmin_pages:edit", args=[notice.pk]))
    pool = as_user("community_party_a").get(reverse(viewset.get_url_name("list")))

    assert history_url(notice) in editor.text and "审核历程" in editor.text
    assert history_url(candidate) in pool.text
