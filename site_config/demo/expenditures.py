"""四审两公开 in 锦绣花园, and in any compound whose reviewers all have logins in the street file.

Where only the committee has a login (阳光水岸), it takes the committee's short chain and puts a
matter of its own to the owners.

One proposal waits at each of the four reviews (the last with its owners' vote under way: a
re-run, its first vote having fallen short of two-thirds, with partial participation that fades
from building to building); one went through all four, was decided by a finished vote with both
measures, and has its usage report published; one small one took the committee's short chain
and still owes its report.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from content_types.disclosures.models import Fund
from content_types.expenditures.models import (
    ExpenditureProposalPage,
    ProposalQuote,
    UsageReportPage,
)
from content_types.roles.models import Role
from core.civil_code import Matter
from workflows.chains.models import AssemblyVoteTaskState
from workflows.chains.steps.joint_meeting import Party
from workflows.voting.rerun import rerun_vote

from . import governance, voting
from .review import (
    DemoError,
    add_draft,
    approve,
    approve_all,
    has_child,
    person,
    sign_joint_meeting,
    submit,
)

if TYPE_CHECKING:
    from content_types.structure.models import CompoundPage

    from .clock import Clock


@dataclass(frozen=True)
class Proposal:
    slug: str
    title: str
    purpose: str
    amount: str
    fund: str
    days_ago: int  # submitted this many days ago


DECIDED = Proposal(
    "elevator-ropes", "3幢、5幢电梯曳引钢丝绳更换", "两部电梯钢丝绳磨损超标，维保单位建议更换。",
    "126800.00", Fund.MAINTENANCE_FUND, 250,
)  # fmt: skip
AT_VOTE = Proposal(
    "roof-waterproofing", "7幢至9幢屋面防水翻新", "顶层多户渗漏，屋面防水层老化需整体翻新。",
    "238500.00", Fund.MAINTENANCE_FUND, 60,
)  # fmt: skip
AT_JOINT_MEETING = Proposal(
    "fire-pipes", "地下车库消防管网改造", "消防管网锈蚀漏水，消防检测提出整改要求。",
    "96400.00", Fund.MAINTENANCE_FUND, 20,
)  # fmt: skip
AT_PARTY_REVIEW = Proposal(
    "cctv-upgrade", "出入口及周界监控升级", "原有监控设备老化，夜间画面不清。",
    "68200.00", Fund.SHARED_REVENUE, 10,
)  # fmt: skip
AT_FIRST_REVIEW = Proposal(
    "playground", "儿童游乐设施更新", "游乐设施部件松动老化，存在安全隐患。",
    "57600.00", Fund.SHARED_REVENUE, 3,
)  # fmt: skip
SMALL = Proposal(
    "gate-barrier", "南门道闸维修", "南门车辆道闸电机损坏，影响车辆进出。",
    "18600.00", Fund.SHARED_REVENUE, 30,
)  # fmt: skip


def has_own_reviewers(compound: CompoundPage) -> bool:
    """Whether the three parties each have someone to sign, and the Party organisation to review.

    The joint meeting needs a signature of each party: the administrator cannot stand in.
    """
    return all(
        not person(compound, *roles).is_superuser
        for roles in (
            (Role.COMMUNITY_OFFICE, Role.COMMUNITY_PARTY),
            (Role.OWNERS_COMMITTEE,),
            (Role.PROPERTY_FIRM,),
            (Role.COMMUNITY_PARTY,),
        )
    )


def load(clock: Clock, compounds: list[CompoundPage]) -> None:
    """The whole of 四审两公开 where every reviewer has a login; where only the committee has,
    its short chain and a vote it puts to the owners itself (so its screen is full too)."""
    for compound in compounds:
        committee = person(compound, Role.OWNERS_COMMITTEE)
        if committee.is_superuser:
            continue
        if has_own_reviewers(compound):
            voting.register(compound)
            decided(clock, compound, DECIDED)
            at_vote(clock, compound, AT_VOTE)
            at_joint_meeting(clock, compound, AT_JOINT_MEETING)
            submitted(clock, compound, AT_PARTY_REVIEW, approved_steps=1)
            submitted(clock, compound, AT_FIRST_REVIEW, approved_steps=0)
        else:
            voting.rules_vote(clock, compound, committee)
        submitted(clock, compound, SMALL, approved_steps=2)


def proposal(
    clock: Clock, compound: CompoundPage, entry: Proposal, report_due: int
) -> ExpenditureProposalPage:
    author = person(compound, Role.OWNERS_COMMITTEE)
    amount = Decimal(entry.amount)
    maintenance = entry.fund == Fund.MAINTENANCE_FUND
    with clock.at(entry.days_ago + 1, hour=9):
        page = ExpenditureProposalPage(
            title=entry.title,
            slug=entry.slug,
            purpose=entry.purpose,
            amount=amount,
            fund_source=entry.fund,
            matter=Matter.USE_MAINTENANCE_FUND if maintenance else Matter.OTHER_MAJOR,
            usage_report_due=clock.day(-report_due),
            quotes=[
                ProposalQuote(supplier="绍兴市恒安建设工程有限公司", amount=amount, sort_order=0),
                ProposalQuote(
                    supplier="上虞区宏达机电安装有限公司",
                    amount=amount * Decimal("1.08"),
                    sort_order=1,
                ),
            ],
        )
        return add_draft(compound, page, author)


def submitted(clock: Clock, compound: CompoundPage, entry: Proposal, approved_steps: int) -> None:
    """Submitted ``entry.days_ago`` days ago; its first reviews passed a day apart after that."""
    if has_child(compound, entry.slug):
        return
    page = proposal(clock, compound, entry, report_due=120)
    days_ago = entry.days_ago
    with clock.at(days_ago, hour=9):
        submit(page, person(compound, Role.OWNERS_COMMITTEE))
    for step in range(approved_steps):
        with clock.at(days_ago - 1 - step, hour=16):
            approve(page, comment="材料齐全，同意。")


def through_joint_meeting(
    clock: Clock, compound: CompoundPage, entry: Proposal, meeting_days_ago: int, parties: tuple
) -> ExpenditureProposalPage:
    submitted(clock, compound, entry, approved_steps=2)
    page = ExpenditureProposalPage.objects.get(path__startswith=compound.path, slug=entry.slug)
    meeting = governance.meeting(
        clock,
        compound,
        meeting_days_ago,
        f"审议“{entry.title}”资金使用申请",
        "同意提交业主大会表决。",
    )
    with clock.at(meeting_days_ago, hour=17):
        sign_joint_meeting(page, meeting, parties, "经三方联席会议审议同意。")
    return page


def at_joint_meeting(clock: Clock, compound: CompoundPage, entry: Proposal) -> None:
    if not has_child(compound, entry.slug):
        through_joint_meeting(clock, compound, entry, 5, (Party.COMMITTEE,))


def vote_of(page: ExpenditureProposalPage):
    state = AssemblyVoteTaskState.objects.filter(workflow_state__object_id=str(page.pk)).first()
    if state is None or state.vote is None:
        raise DemoError(f"“{page.title}”没有到达业主大会审定。")
    return state.vote


def at_vote(clock: Clock, compound: CompoundPage, entry: Proposal) -> None:
    """Through three reviews fifty days ago; its first vote closed with fewer than two-thirds
    taking part, so the committee put it to the owners again ten days ago, and they are
    voting since — the progress view's example, still short of two-thirds."""
    if has_child(compound, entry.slug):
        return
    page = through_joint_meeting(clock, compound, entry, 50, tuple(Party.values))
    committee = person(compound, Role.OWNERS_COMMITTEE)
    first = voting.open_and_cast(clock, vote_of(page), committee, 49, days=12, turnout=9)
    voting.close_and_finalise(clock, first, committee)
    with clock.at(10, hour=10):
        rerun = rerun_vote(first, committee)
    rerun = voting.open_and_cast(clock, rerun, committee, 9, days=9, turnout=voting.fading)
    with clock.at(2, hour=18):
        voting.remind_the_furthest_behind(rerun, committee)


def decided(clock: Clock, compound: CompoundPage, entry: Proposal) -> None:
    """Passed by the owners long ago, money spent, usage report published."""
    if has_child(compound, entry.slug):
        return
    page = through_joint_meeting(clock, compound, entry, entry.days_ago - 8, tuple(Party.values))
    committee = person(compound, Role.OWNERS_COMMITTEE)
    vote = voting.open_and_cast(
        clock, vote_of(page), committee, entry.days_ago - 9, days=12, turnout=15
    )
    voting.close_and_finalise(clock, vote, committee)
    page.refresh_from_db()
    if not page.live:
        raise DemoError(f"“{page.title}”表决通过后未公开。")
    author = person(compound, Role.PROPERTY_FIRM)
    with clock.at(150, hour=10):
        report = UsageReportPage(
            title=f"{page.title}使用情况公开",
            slug="usage-report",
            amount_spent=page.amount - Decimal("2300.00"),
            description="工程已于上月完工，经业委会、物业和监理三方验收合格，结余资金退回专项维修资金账户。",
        )
        add_draft(page, report, author)
        submit(report, author)
    with clock.at(149, hour=10):
        approve_all(report, comment="票据齐全，同意公开。")
