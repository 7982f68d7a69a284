"""重新表决 in real Chromium: a proposal's vote closes with two owners of five, and is re-run.

The proposal of ``test_assembly_vote`` waits at 业主大会审定. Two owners vote (2 of 5 heads,
230 of 500 m²), the vote closes and its result, failed for want of participation, is final.
The committee finds 重新表决 on the vote, reads what it will do, confirms, and lands on the new
draft vote, which names the first; owners reading the proposal see both votes, and the page no
longer says the proposal failed.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.workflows.voting.factories import move_clock
from workflows.voting.models import Vote, VoteStatus
from workflows.voting.services import close_vote, finalise_vote

from .admin_session import sign_in
from .test_assembly_vote import (
    PASSWORD,
    WAIT_MS,
    at_the_vote,
    open_and_print,
    owners_vote,
    to_the_vote,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["at_the_vote"]  # the fixture, shared with the vote's own browser test


def test_the_committee_reruns_a_vote_short_of_two_thirds(at_the_vote, page) -> None:
    vote, people, base = at_the_vote.vote, at_the_vote.people, at_the_vote.base
    sign_in(page, base, "chair_a1", PASSWORD)
    to_the_vote(page, base)
    codes, vote_url = open_and_print(page)
    owners_vote(page, vote_url, codes, dict.fromkeys(("1幢1单元101室", "1幢1单元201室"), "同意"))
    close_vote(move_clock(vote, closes=-1), people["chair"])
    vote.refresh_from_db()
    finalise_vote(move_clock(vote, deadline=-1), people["chair"])

    to_the_vote(page, base)
    page.get_by_role("link", name="重新表决", exact=True).click()
    main = page.locator("main")
    expect(main).to_contain_text(
        "将以同一申请“3幢电梯维修”发起一次新的业主大会表决", timeout=WAIT_MS
    )
    expect(main).to_contain_text("已通过的前置审核不再重复")
    page.get_by_role("button", name="确认发起重新表决").click()
    expect(page.locator(".messages")).to_contain_text("已发起重新表决", timeout=WAIT_MS)
    expect(main).to_contain_text("状态：草稿")
    expect(main).to_contain_text(f"本表决是“{vote.title}”")
    rerun = Vote.objects.get(rerun_of=vote)
    assert rerun.status == VoteStatus.DRAFT

    # The first vote now links to the re-run and offers no second one.
    main.get_by_role("link", name=f"“{vote.title}”").click()
    expect(main).to_contain_text(f"已发起重新表决：{rerun.title}", timeout=WAIT_MS)
    expect(page.get_by_role("link", name="重新表决", exact=True)).to_have_count(0)

    visitor = page.context.browser.new_context(locale="zh-CN")
    try:
        reader = visitor.new_page()
        reader.goto(at_the_vote.public_url)
        expect(reader.locator("section.decision")).to_contain_text("尚未审定", timeout=WAIT_MS)
        expect(reader.locator("section.votes")).to_contain_text(vote.title)
    finally:
        visitor.close()
