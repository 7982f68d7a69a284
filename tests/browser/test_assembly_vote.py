"""The owners' assembly vote on a large expenditure proposal, and its publication, in real Chromium.

An 80,000-yuan proposal of 锦绣花园 has passed the first three reviews of 四审两公开 and
waits at 业主大会审定, where a draft vote on it was opened automatically. The owners'
committee signs in, finds the vote under 业主大会表决, opens it (freezing the register of
five owners, 500 m²) and prints the letters with the voting codes. Each owner goes to the
address on their letter and votes with the code and the last four digits of their phone;
one changes their mind before the close, and the last ballot counts. When the close time
has passed the committee counts the votes; the preliminary result is public, an owner
objects to it on the public page and the committee answers in the admin. When the
objection window is over the periodic job finalises the vote, and the proposal is
published with the owners' decision and its figures.

When the owners vote it down instead, the periodic job counts at the close; the committee,
refused while the objection window runs, confirms the result once it is over, and the
proposal is published as failed: the money may not be spent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Site, TaskState, WorkflowState

from content_types.expenditures.models import ExpenditureProposalPage
from tests.workflows.chains.expenditure import draft, make_chains, make_people, through_to_vote
from tests.workflows.chains.factories import OWNER_HOMES, roll_units
from tests.workflows.voting.factories import CODE, move_clock
from workflows.chains.models import AssemblyVoteTaskState, Notification
from workflows.voting.decisions import proposal_decision
from workflows.voting.models import Ballot, Vote, VoteStatus
from workflows.voting.tasks import close_due_votes

from .admin_session import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_MS = 15_000
PASSWORD = "weizhi-test"  # UserFactory's
HOME = re.compile(r"\d+幢\d+单元\d+室")
VOTE_TITLE = "关于“3幢电梯维修”的业主大会表决"
# Owner A (two units, 150 m²), C and D are for: 3 of 5 owners, 360 of 500 m².
CHOICES = {
    "1幢1单元101室": "同意",
    "1幢1单元201室": "反对",
    "2幢1单元101室": "同意",
    "2幢1单元201室": "同意",
    "2幢1单元301室": "弃权",
}


@dataclass
class AtTheVote:
    proposal: ExpenditureProposalPage
    vote: Vote
    people: dict
    base: str
    public_url: str


@pytest.fixture
def at_the_vote(live_server, page, street_tree, role_user) -> AtTheVote:
    """The proposal through three reviews, as the chain tests take it, waiting on a draft vote;
    the street is the site at the live server's address."""
    compound = street_tree.compound_a1
    people = make_people(street_tree, role_user)
    make_chains(street_tree)
    roll_units(compound)
    proposal = draft(compound)
    vote = through_to_vote(proposal, people, compound)
    base = live_server.url
    Site.objects.create(
        hostname=urlsplit(base).hostname,
        port=urlsplit(base).port,
        root_page=street_tree.street,
        is_default_site=True,
        site_name="百官街道",
    )
    Site.clear_site_root_paths_cache()
    public_url = f"{base}/fengming/jinxiu/{proposal.slug}/"
    assert vote.status == VoteStatus.DRAFT
    assert page.context.request.get(public_url).status == 404
    yield AtTheVote(proposal, vote, people, base, public_url)
    Site.clear_site_root_paths_cache()


def to_the_vote(page, base: str) -> None:
    """From the dashboard, by the menu, to the vote's page, as the committee finds it."""
    page.goto(f"{base}/admin/")
    page.get_by_role("link", name="业主大会表决").click()
    row = page.locator("tr", has_text=VOTE_TITLE)
    expect(row).to_contain_text("锦绣花园", timeout=WAIT_MS)
    row.get_by_role("link", name=VOTE_TITLE).click()
    expect(page.locator("main")).to_contain_text("关联议案：3幢电梯维修", timeout=WAIT_MS)


def open_and_print(page) -> tuple[dict[str, str], str]:
    """Open the vote and print the letters: each home's code, and the address they give."""
    page.get_by_role("button", name="开启表决（冻结业主名册）").click()
    expect(page.locator(".messages")).to_contain_text("表决已开启", timeout=WAIT_MS)
    page.get_by_role("link", name="生成表决码 / 打印通知书").click()
    page.get_by_role("button", name="生成表决码并打印通知书").click()
    toolbar = page.locator(".toolbar")
    expect(toolbar).to_contain_text("已为 5 位业主生成表决码", timeout=WAIT_MS)
    codes, vote_url = {}, ""
    for letter in page.locator(".letter").all_inner_texts():
        code = CODE.search(letter).group()
        codes.update(dict.fromkeys(HOME.findall(letter), code))
        vote_url = re.search(r"请用手机访问 (\S+?)，", letter).group(1)
    assert set(codes) >= set(OWNER_HOMES)
    return codes, vote_url


def test_the_owners_vote_a_large_proposal_through_and_it_is_published_with_the_result(
    at_the_vote, page
) -> None:
    proposal, vote, people = at_the_vote.proposal, at_the_vote.vote, at_the_vote.people
    base, public_url = at_the_vote.base, at_the_vote.public_url

    # The committee finds the vote under 业主大会表决.
    sign_in(page, base, "chair_a1", PASSWORD)
    to_the_vote(page, base)
    # It gives the owners ten days rather than the step's default fifteen.
    closes = timezone.localtime(vote.opens_at + timedelta(days=10)).strftime("%Y-%m-%d %H:%M")
    page.get_by_role("link", name="修改").click()
    page.locator("#id_closes_at").fill(closes)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text(f"已保存表决“{VOTE_TITLE}”", timeout=WAIT_MS)
    expect(page.locator("main")).to_contain_text(f"至 {closes}")
    saved = Vote.objects.get(pk=vote.pk)
    assert timezone.localtime(saved.closes_at).strftime("%Y-%m-%d %H:%M") == closes
    assert (saved.proposal_id, saved.status) == (proposal.pk, VoteStatus.DRAFT)
    # It opens the vote, freezing the register, and prints the letters.
    codes, vote_url = open_and_print(page)
    assert vote_url == f"{base}/vote/{vote.pk}/"

    # The owners vote on the public page, each on a browser of their own.
    owner = page.context.browser.new_context(locale="zh-CN")
    try:
        owner_page = owner.new_page()
        cast(owner_page, vote_url, codes, "1幢1单元201室", "同意")  # changed below
        for home, choice in CHOICES.items():
            cast(owner_page, vote_url, codes, home, choice)
        # The proposal is linked from the vote page only once it is public; not yet.
        owner_page.goto(vote_url)
        expect(owner_page.locator("body")).not_to_contain_text("相关议案及材料")
    finally:
        owner.close()
    assert Ballot.objects.filter(elector__vote=vote, superseded_by__isnull=True).count() == 5

    # The close time passes; the committee counts and the preliminary result is public.
    move_clock(vote, closes=-1)
    to_the_vote(page, base)
    page.get_by_role("button", name="截止计票").click()
    expect(page.locator(".messages")).to_contain_text("初步结果已公布", timeout=WAIT_MS)
    assert Vote.objects.get(pk=vote.pk).status == VoteStatus.PRELIMINARY

    owner = page.context.browser.new_context(locale="zh-CN")
    try:
        owner_page = owner.new_page()
        owner_page.goto(vote_url)
        owner_page.get_by_role("link", name="查看表决结果").click()
        result = owner_page.locator("body")
        expect(result).to_contain_text("初步结果", timeout=WAIT_MS)
        expect(result).to_contain_text("通过")
        expect_figures(owner_page.locator("table").first)
        # Owner E objects with their code, from the result page.
        owner_page.get_by_role("link", name="提出异议").click()
        owner_page.locator("#id_code").fill(codes["2幢1单元301室"])
        owner_page.locator("#id_phone_tail").fill(OWNER_HOMES["2幢1单元301室"])
        owner_page.locator("#id_text").fill("我没有收到表决通知书。")
        owner_page.get_by_role("button", name="提交异议").click()
        expect(owner_page.locator("body")).to_contain_text("您的异议已提交", timeout=WAIT_MS)
    finally:
        owner.close()

    # The committee answers the objection in the admin.
    page.reload()
    objections = page.locator("section", has=page.get_by_role("heading", name="异议"))
    expect(objections).to_contain_text("我没有收到表决通知书。", timeout=WAIT_MS)
    objections.locator("textarea[name=response]").fill("通知书已于开启当日送达，物业签收记录可查。")
    objections.get_by_role("button", name="答复").click()
    expect(page.locator(".messages")).to_contain_text("已答复异议", timeout=WAIT_MS)
    assert not ExpenditureProposalPage.objects.get(pk=proposal.pk).live

    # The objection window ends; the periodic job finalises the vote and the step follows it.
    move_clock(vote, deadline=-1)
    assert close_due_votes() == {"closed": 0, "finalised": 1}

    proposal = ExpenditureProposalPage.objects.get(pk=proposal.pk)
    assert proposal.live
    assert Vote.objects.get(pk=vote.pk).status == VoteStatus.FINAL
    workflow = WorkflowState.objects.get(object_id=str(proposal.pk))
    assert workflow.status == WorkflowState.STATUS_APPROVED
    step = AssemblyVoteTaskState.objects.get(vote=vote)
    assert step.status == TaskState.STATUS_APPROVED
    assert "同意 3 人、专有部分面积 360.00 平方米" in step.comment
    assert Notification.objects.filter(recipient=people["drafter"], event="approved").exists()

    # Anyone can read the decision on the proposal's public page, and follow it to the vote.
    visitor = page.context.browser.new_context(locale="zh-CN")
    try:
        reader = visitor.new_page()
        reader.goto(public_url)
        decision = reader.locator("section.decision")
        expect(decision).to_contain_text("审定通过", timeout=WAIT_MS)
        expect(decision).to_contain_text("业主大会审定")
        expect(decision).not_to_contain_text("未获通过")
        expect_figures(decision.locator("table"))
        decision.get_by_role("link", name="查看表决结果详情").click()
        expect(reader.locator("body")).to_contain_text("最终结果", timeout=WAIT_MS)
        expect(reader.locator("body")).to_contain_text("1 条异议均已答复")
        expect_figures(reader.locator("table").first)
        # The vote's page now links to the published proposal.
        reader.goto(vote_url)
        reader.get_by_role("link", name="3幢电梯维修").click()
        reader.wait_for_url(public_url, timeout=WAIT_MS)
        expect(reader.locator("section.decision")).to_contain_text("审定通过")
    finally:
        visitor.close()

    # In the admin the vote is final, with both results on record.
    page.reload()
    main = page.locator("main")
    expect(main).to_contain_text("状态：最终结果", timeout=WAIT_MS)
    expect(main).to_contain_text("初步结果")


def cast(owner_page, vote_url: str, codes: dict[str, str], home: str, choice: str) -> None:
    """An owner votes with the code on their letter and their phone's last four digits."""
    owner_page.goto(vote_url)
    owner_page.locator("#id_code").fill(codes[home])
    owner_page.locator("#id_phone_tail").fill(OWNER_HOMES[home])
    owner_page.get_by_label(choice, exact=True).check()
    owner_page.get_by_role("button", name="提交表决意见").click()
    expect(owner_page.locator(".outcome")).to_have_text(
        f"已记录您的表决意见：{choice}", timeout=WAIT_MS
    )


def owners_vote(page, vote_url: str, codes: dict[str, str], choices: dict[str, str]) -> None:
    """The owners of ``choices`` vote, on a browser other than the committee's."""
    owner = page.context.browser.new_context(locale="zh-CN")
    try:
        owner_page = owner.new_page()
        for home, choice in choices.items():
            cast(owner_page, vote_url, codes, home, choice)
    finally:
        owner.close()


def expect_figures(table) -> None:
    """The figures of CHOICES, in owners and in exclusive area, as ``table`` shows them."""
    for label, heads, area in (
        ("参与表决", "5", "500.00"),
        ("同意", "3", "360.00"),
        ("反对", "1", "80.00"),
        ("弃权", "1", "60.00"),
    ):
        row = table.locator("tr", has=table.page.get_by_text(label, exact=True))
        expect(row.locator("td").last).to_have_text(area)
        expect(row.locator("td").nth(-2)).to_have_text(heads)


def test_a_proposal_the_owners_vote_down_is_published_as_failed(at_the_vote, page) -> None:
    proposal, vote, people = at_the_vote.proposal, at_the_vote.vote, at_the_vote.people
    base = at_the_vote.base
    sign_in(page, base, "chair_a1", PASSWORD)
    to_the_vote(page, base)
    codes, vote_url = open_and_print(page)

    # Four of the five owners vote; only B (80 m²) is for.
    owners_vote(
        page,
        vote_url,
        codes,
        {
            "1幢1单元101室": "反对",
            "1幢1单元201室": "同意",
            "2幢1单元101室": "反对",
            "2幢1单元201室": "反对",
        },
    )

    # The close time passes and the periodic job counts before anyone clicks.
    move_clock(vote, closes=-1)
    assert close_due_votes() == {"closed": 1, "finalised": 0}
    to_the_vote(page, base)
    main = page.locator("main")
    expect(main).to_contain_text("状态：初步结果公示（异议期）", timeout=WAIT_MS)
    expect(page.get_by_role("button", name="截止计票")).to_have_count(0)

    # The committee cannot confirm the result before the objection window is over.
    page.get_by_role("button", name="确认最终结果").click()
    expect(page.locator(".messages")).to_contain_text("届满后才能确认最终结果", timeout=WAIT_MS)
    assert not ExpenditureProposalPage.objects.get(pk=proposal.pk).live

    # Once it is over, it confirms the result, and the proposal is published as failed.
    move_clock(vote, deadline=-1)
    page.reload()
    page.get_by_role("button", name="确认最终结果").click()
    expect(page.locator(".messages")).to_contain_text("最终结果已确认并公布", timeout=WAIT_MS)
    expect(main).to_contain_text("状态：最终结果")

    proposal = ExpenditureProposalPage.objects.get(pk=proposal.pk)
    assert proposal.live
    assert proposal_decision(proposal).passed is False
    step = AssemblyVoteTaskState.objects.get(vote=vote)
    assert step.status == TaskState.STATUS_REJECTED
    assert "反对 3 人、专有部分面积 360.00 平方米" in step.comment
    note = Notification.objects.get(recipient=people["drafter"], event="rejected")
    assert "反对 3 人" in note.body

    visitor = page.context.browser.new_context(locale="zh-CN")
    try:
        reader = visitor.new_page()
        reader.goto(at_the_vote.public_url)
        decision = reader.locator("section.decision")
        expect(decision).to_contain_text("未获通过", timeout=WAIT_MS)
        expect(decision).to_contain_text("本申请未获通过，不得使用该笔资金。")
        expect(decision).not_to_contain_text("审定通过")
        row = decision.locator("tr", has=reader.get_by_text("反对", exact=True))
        expect(row.locator("td")).to_have_text(["3", "360.00"])
        decision.get_by_role("link", name="查看表决结果详情").click()
        expect(reader.locator("body")).to_contain_text("最终结果", timeout=WAIT_MS)
        expect(reader.locator(".outcome")).to_contain_text("未通过")
    finally:
        visitor.close()
