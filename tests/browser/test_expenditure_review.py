"""A large expenditure proposal through its first reviews of 四审两公开, in real Chromium.

The compound's commissioner opens a draft proposal to spend 80,000 yuan of the
maintenance fund and submits it from the page editor; being over 50,000 yuan,
it goes to the four-review chain. The owners' committee, signed in after them,
finds it in the "待我审核" panel of its dashboard at the first step (业委会初审)
and approves it; the community's Party organisation then finds it there at the
second step (社区(小区)党组织审核) and approves it in turn. At the third step
(三方联席会议审议) the community, the committee and the property firm each open it
from their dashboard and sign in the editor's dialog, naming the meeting with its
minutes; with the third signature it goes to the owners' assembly vote. All along
the proposal stays off the public site.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from wagtail.models import TaskState

from content_types.disclosures.models import Fund
from content_types.expenditures.models import ExpenditureProposalPage
from content_types.structure.models import CompoundPage
from core.civil_code import Matter
from tests.workflows.chains.factories import JointMeetingFactory
from workflows.chains.models import JointMeetingTaskState

from .admin_session import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_MS = 15_000
TITLE = "3幢电梯曳引钢丝绳更换"


def current_step(proposal: ExpenditureProposalPage) -> str:
    return TaskState.objects.get(
        workflow_state__object_id=str(proposal.pk), status=TaskState.STATUS_IN_PROGRESS
    ).task.name


def is_live(proposal: ExpenditureProposalPage) -> bool:
    return ExpenditureProposalPage.objects.get(pk=proposal.pk).live


def queued_row(page):
    """The proposal's row in the "待我审核" panel of the dashboard on screen."""
    queue = page.locator("section", has=page.get_by_role("heading", name="待我审核"))
    return queue.locator("tr", has_text=TITLE)


def test_a_large_proposal_passes_three_reviews_to_the_vote_and_stays_unpublished(
    live_server, page, wagtail_root
) -> None:
    call_command("load_demo", structure_only=True)
    compound = CompoundPage.objects.get(slug="jinxiu")
    proposal = ExpenditureProposalPage(
        title="3幢电梯维修（草稿）",
        slug="lift-repair",
        purpose="更换3幢两部电梯的曳引钢丝绳和制动器。",
        amount=Decimal("80000.00"),
        fund_source=Fund.MAINTENANCE_FUND,
        matter=Matter.USE_MAINTENANCE_FUND,
        usage_report_due=date(2027, 6, 30),
        live=False,
    )
    compound.add_child(instance=proposal)
    proposal.save_revision()
    meeting = JointMeetingFactory(compound=compound)
    base = live_server.url
    edit_url = f"{base}/admin/pages/{proposal.pk}/edit/"
    public_url = f"{base}/fengming/jinxiu/lift-repair/"
    queue = page.locator("section", has=page.get_by_role("heading", name="待我审核"))

    # The commissioner submits it from the editor, to the chain its amount calls for.
    sign_in(page, base, "commissioner")
    page.goto(edit_url)
    page.locator("#id_title").fill(TITLE)
    page.locator("footer .w-dropdown__toggle").click()
    page.get_by_role("button", name="提交给大额资金使用（四审两公开）").click()
    expect(page.locator(".messages")).to_contain_text("已经提交进行审核", timeout=WAIT_MS)
    sign_out(page, base, "锦绣花园小区专员")

    assert current_step(proposal) == "业委会初审"
    assert not is_live(proposal)

    # The owners' committee holds the first step and approves from its dashboard.
    sign_in(page, base, "committee")
    expect(queue).to_contain_text("共 1 项等待您审核", timeout=WAIT_MS)
    expect(queued_row(page)).to_contain_text("业委会初审（第 1/4 步）")
    expect(queued_row(page)).to_contain_text("锦绣花园小区专员")  # who submitted it
    queued_row(page).get_by_role("button", name="通过").click()
    page.wait_for_url(edit_url, timeout=WAIT_MS)
    # The editor, locked to the committee now, names the step the proposal waits at.
    expect(page.locator(".messages")).to_contain_text("社区(小区)党组织审核", timeout=WAIT_MS)
    page.goto(f"{base}/admin/")
    expect(queue).to_contain_text("目前没有等待您审核的内容", timeout=WAIT_MS)
    sign_out(page, base, "锦绣花园业委会")

    assert current_step(proposal) == "社区(小区)党组织审核"
    assert not is_live(proposal)
    assert page.context.request.get(public_url).status == 404

    # The community's Party organisation holds the second step.
    sign_in(page, base, "community_party")
    expect(queue).to_contain_text("共 1 项等待您审核", timeout=WAIT_MS)
    expect(queued_row(page)).to_contain_text("社区(小区)党组织审核（第 2/4 步）")
    queued_row(page).get_by_role("button", name="通过").click()
    page.wait_for_url(edit_url, timeout=WAIT_MS)

    # It now waits for the joint meeting, where the community is one of the three
    # parties: back on the dashboard it is waiting on them again, one step further, and
    # each party signs in the editor, naming the meeting the decision was taken at.
    page.goto(f"{base}/admin/")
    expect(queued_row(page)).to_contain_text("三方联席会议审议（第 3/4 步）", timeout=WAIT_MS)
    sign_joint_meeting(page, edit_url, "社区", comment="社区同意提交业主大会。")
    sign_out(page, base, "凤鸣社区党委")

    assert current_step(proposal) == "三方联席会议审议"
    state = JointMeetingTaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS)
    assert (state.meeting, state.community_by.username) == (meeting, "community_party")
    assert "社区同意提交业主大会。" in state.comment

    for username, party, full_name in (
        ("committee", "业委会", "锦绣花园业委会"),
        ("property", "物业服务企业", "锦绣花园物业"),
    ):
        sign_in(page, base, username)
        sign_joint_meeting(page, edit_url, party)
        sign_out(page, base, full_name)

    # With all three signatures the proposal goes to the owners' assembly vote.
    assert current_step(proposal) == "业主大会审定"
    assert not is_live(proposal)
    assert page.context.request.get(public_url).status == 404


def sign_joint_meeting(page, edit_url: str, party: str, comment: str = "") -> None:
    """Sign for ``party`` from the dashboard: to the editor, the action, the meeting, submit."""
    expect(queued_row(page)).to_contain_text("三方联席会议审议", timeout=WAIT_MS)
    queued_row(page).get_by_role("link", name="查看并签署").click()
    page.wait_for_url(edit_url, timeout=WAIT_MS)
    page.locator("footer .w-dropdown__toggle").click()
    page.get_by_role("button", name=f"签署同意（{party}）").click()
    dialog = page.locator(".modal-content", has_text="三方联席会议审议须")
    expect(dialog).to_be_visible(timeout=WAIT_MS)
    dialog.locator("#id_meeting").select_option(index=1)
    if comment:
        dialog.locator("textarea[name=comment]").fill(comment)
    dialog.get_by_role("button", name=f"签署同意（{party}）").click()
    expect(page.locator(".messages")).to_contain_text("已被更新", timeout=WAIT_MS)
