"""A small street scored by hand: what each compound did in 2026年上半年, one indicator at a time.

``build()`` makes it over the conftest's street tree (凤鸣社区: 锦绣花园 a1, 阳光水岸 a2;
龙山社区: 龙山公寓 b1, 翠竹苑 b2); ``EXPECTED`` is the scorecard worked out by hand from it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, Workflow, WorkflowState

from content_types.cases.models import Case, CaseCategory, CaseStatus, CaseStep, StepAction
from content_types.firms.models import PartyOrganisationStatus
from content_types.governance_tasks.models import TaskStatus
from site_config.models import DisclosureSchedule
from tests.content_types.committees.factories import (
    CommitteeCandidateFactory,
    CommitteeMemberFactory,
    OwnersCommitteeFactory,
)
from tests.content_types.disclosures.factories import FeeCollectionPageFactory
from tests.content_types.expenditures.factories import (
    ExpenditureProposalPageFactory,
    UsageReportPageFactory,
)
from tests.content_types.firms.factories import PropertyFirmFactory
from tests.content_types.governance_tasks.factories import GovernanceTaskFactory
from tests.content_types.meetings.factories import JointMeetingFactory

if TYPE_CHECKING:
    from tests.conftest import StreetTree

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def published(page: Page, day: datetime.date) -> Page:
    Page.objects.filter(pk=page.pk).update(first_published_at=at(day))
    return page


def fees(compound: Page, start: datetime.date, end: datetime.date, due: str, got: str, day):
    page = FeeCollectionPageFactory(
        parent=compound,
        period_start=start,
        period_end=end,
        households_total=100,
        households_paid=90,
        amount_due=Decimal(due),
        amount_collected=Decimal(got),
    )
    return published(page, day)


def proposal(compound: Page, due: datetime.date, *, chained: bool, reported: datetime.date | None):
    page = ExpenditureProposalPageFactory(parent=compound, usage_report_due=due)
    if chained:
        WorkflowState.objects.create(
            content_type=ContentType.objects.get_for_model(page),
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id=str(page.pk),
            workflow=Workflow.objects.get_or_create(name="四审两公开")[0],
            status=WorkflowState.STATUS_APPROVED,
        )
    if reported:
        published(UsageReportPageFactory(parent=page), reported)
    return page


def committee(compound: Page, party: int, trained: list[datetime.date | None], **fields: Any):
    made = OwnersCommitteeFactory(
        compound=compound, term_start=D(2024, 1, 1), term_end=D(2028, 12, 31), **fields
    )
    for number, day in enumerate(trained):
        CommitteeMemberFactory(
            committee=made, is_party_member=number < party, trained_on=day or False
        )
    return made


def firm(status: str, members: int, *compounds: Page):
    made = PropertyFirmFactory(party_status=status, full_party_member_count=members)
    made.compounds.set(compounds)
    made.save()
    return made


def case(scope: Page, resolved: datetime.date, deadline: datetime.date, *, escalated=False):
    made = Case.objects.create(
        scope=scope,
        title="楼道堆放杂物",
        category=CaseCategory.HAZARD,
        place="3 幢",
        description="楼道堆放杂物。",
        status=CaseStatus.RESOLVED,
        filed_at=at(resolved) - datetime.timedelta(days=3),
        deadline_at=at(deadline, 18),
    )
    CaseStep.objects.create(case=made, action=StepAction.FILED, at=made.filed_at)
    if escalated:
        CaseStep.objects.create(
            case=made, action=StepAction.ESCALATED, at=made.filed_at + datetime.timedelta(days=1)
        )
    CaseStep.objects.create(case=made, action=StepAction.RESOLVED, at=at(resolved))
    return made


def build(tree: StreetTree) -> None:
    a1, a2, b1, b2 = tree.compound_a1, tree.compound_a2, tree.compound_b1, tree.compound_b2
    # 公开频次: the fee collection each quarter, 15 days' grace. Due in 2026 H1: 2025 Q4 (by
    # 1月15日) and 2026 Q1 (by 4月15日); 2026 Q2 is due on 7月15日, in the next period.
    DisclosureSchedule.objects.create(
        code="fees",
        name="物业费收缴公开",
        page_type="disclosures.feecollectionpage",
        period="quarter",
        grace_days=15,
        scope=tree.street,
    )
    q4, q1 = (D(2025, 10, 1), D(2025, 12, 31)), (D(2026, 1, 1), D(2026, 3, 31))
    fees(a1, *q4, "90000.00", "81000.00", D(2026, 1, 10))  # on time; ended before the period
    fees(a1, *q1, "100000.00", "85000.00", D(2026, 4, 20))  # five days late
    fees(a2, *q4, "50000.00", "45000.00", D(2026, 1, 15))  # on the last day
    fees(a2, *q1, "50000.00", "50000.00", D(2026, 4, 1))
    fees(b2, *q1, "80000.00", "60000.00", D(2026, 4, 10))  # b2 missed 2025 Q4; b1 both

    # 四审两公开: a1 has one proposal through the chain and reported in time, one published
    # without the chain; a2's falls due in the next period.
    proposal(a1, D(2026, 5, 31), chained=True, reported=D(2026, 5, 20))
    proposal(a1, D(2026, 6, 30), chained=False, reported=D(2026, 6, 1))
    proposal(a2, D(2026, 8, 31), chained=True, reported=None)

    # 三方联席会议: two quarters in the period.
    for day in (D(2025, 12, 20), D(2026, 1, 8), D(2026, 3, 2), D(2026, 6, 30)):
        JointMeetingFactory(compound=a1, date=day)
    JointMeetingFactory(compound=a2, date=D(2026, 2, 14))
    JointMeetingFactory(compound=b2, date=D(2026, 1, 20))
    JointMeetingFactory(compound=b2, date=D(2026, 4, 20))

    # 业委会: a1 five members, two Party members, three trained in 2026 by 6月30日; a2 four,
    # two Party members, all trained (its earlier term is over); b1's committee is a draft.
    committee(a1, 2, [D(2026, 3, 1), D(2026, 6, 30), D(2026, 2, 1), D(2025, 11, 1), D(2026, 7, 5)])
    committee(a2, 2, [D(2026, 5, 8)] * 4)
    OwnersCommitteeFactory(compound=a2, term_start=D(2020, 1, 1), term_end=D(2025, 12, 31))
    committee(b1, 3, [D(2026, 5, 8)] * 3, live=False)

    # 两个覆盖: standalone with five members, and joint with two, are covered; joint with four
    # (it should stand alone) and none are not.
    firm(PartyOrganisationStatus.STANDALONE, 5, a1, b1)
    firm(PartyOrganisationStatus.JOINT, 2, a2)
    firm(PartyOrganisationStatus.JOINT, 4, b2)
    firm(PartyOrganisationStatus.NONE, 0, a1)

    # 人选储备库: a1 four in the pool, three Party members; a2 one, and one still in vetting.
    for party in (True, True, True, False):
        CommitteeCandidateFactory(compound=a1, is_party_member=party, live=True)
    CommitteeCandidateFactory(compound=a2, is_party_member=False, live=True)
    CommitteeCandidateFactory(compound=a2, is_party_member=True, live=False)

    # 诉求事件: a1 one in time, one passed up for being late, one resolved after the period;
    # 凤鸣社区's own case resolved after its deadline; b2 one in time.
    case(a1, D(2026, 2, 10), D(2026, 2, 12))
    case(a1, D(2026, 3, 10), D(2026, 3, 15), escalated=True)
    case(a1, D(2026, 7, 2), D(2026, 7, 5))
    case(tree.community_a, D(2026, 4, 1), D(2026, 3, 30))
    case(b2, D(2026, 5, 5), D(2026, 5, 6))

    # 年度任务: due by 6月30日 are 2025年10月 (done), 2026年3月 (done), 2026年6月 (in progress).
    GovernanceTaskFactory(year=2026, deadline_month=D(2025, 10, 1), status=TaskStatus.DONE)
    GovernanceTaskFactory(year=2026, deadline_month=D(2026, 3, 1), status=TaskStatus.DONE)
    GovernanceTaskFactory(year=2026, deadline_month=D(2026, 6, 1), status=TaskStatus.IN_PROGRESS)
    GovernanceTaskFactory(year=2026, deadline_month=D(2026, 9, 1), status=TaskStatus.NOT_STARTED)
    GovernanceTaskFactory(
        year=2026, deadline_month=None, is_long_term=True, status=TaskStatus.ONGOING
    )


def row(numerator: str, denominator: str, points: str | None) -> tuple:
    return (Decimal(numerator), Decimal(denominator), None if points is None else Decimal(points))


# By hand: value = numerator / denominator to four places; points = weight × min(value /
# target, 1) to two places (default weights and targets); an indicator with nothing to count
# is left out, and the total is the points over the weights that counted, × 100.
TASKS = row("2", "3", "3.33")  # 0.6667 × 5 = 3.3335
EXPECTED: dict[str, dict[str, tuple]] = {
    "锦绣花园": {
        "disclosures_on_time": row("1", "2", "7.50"),
        "fee_collection": row("85000", "100000", "9.44"),  # 0.85 / 0.90 × 10
        "expenditures": row("1", "2", "7.50"),
        "joint_meetings": row("3", "2", "10.00"),
        "committee_party_share": row("2", "5", "8.00"),
        "training_coverage": row("3", "5", "3.00"),
        "firm_coverage": row("1", "2", "5.00"),
        "reserve_size": row("4", "1", "5.00"),
        "reserve_party_share": row("3", "4", "5.00"),
        "cases_in_time": row("1", "2", "5.26"),  # 0.5 / 0.95 × 10
        "annual_tasks": TASKS,
        "total": (Decimal("69.03"), 2, 2),
    },
    "阳光水岸": {
        "disclosures_on_time": row("2", "2", "15.00"),
        "fee_collection": row("50000", "50000", "10.00"),
        "expenditures": row("0", "0", None),
        "joint_meetings": row("1", "2", "5.00"),
        "committee_party_share": row("2", "4", "10.00"),
        "training_coverage": row("4", "4", "5.00"),
        "firm_coverage": row("1", "1", "10.00"),
        "reserve_size": row("1", "1", "1.67"),  # 1 / 3 × 5
        "reserve_party_share": row("0", "1", "0.00"),
        "cases_in_time": row("0", "0", None),
        "annual_tasks": TASKS,
        "total": (Decimal("80.00"), 1, 1),  # 60.00 of 75
    },
    "龙山公寓": {
        "disclosures_on_time": row("0", "2", "0.00"),
        "fee_collection": row("0", "0", None),
        "expenditures": row("0", "0", None),
        "joint_meetings": row("0", "2", "0.00"),
        "committee_party_share": row("0", "0", None),
        "training_coverage": row("0", "0", None),
        "firm_coverage": row("1", "1", "10.00"),
        "reserve_size": row("0", "1", "0.00"),
        "reserve_party_share": row("0", "0", None),
        "cases_in_time": row("0", "0", None),
        "annual_tasks": TASKS,
        "total": (Decimal("29.62"), 4, 2),  # 13.33 of 45
    },
    "翠竹苑": {
        "disclosures_on_time": row("1", "2", "7.50"),
        "fee_collection": row("60000", "80000", "8.33"),
        "expenditures": row("0", "0", None),
        "joint_meetings": row("2", "2", "10.00"),
        "committee_party_share": row("0", "0", None),
        "training_coverage": row("0", "0", None),
        "firm_coverage": row("0", "1", "0.00"),
        "reserve_size": row("0", "1", "0.00"),
        "reserve_party_share": row("0", "0", None),
        "cases_in_time": row("1", "1", "10.00"),
        "annual_tasks": TASKS,
        "total": (Decimal("60.25"), 3, 1),  # 39.16 of 65
    },
    "凤鸣社区": {
        "disclosures_on_time": row("3", "4", "11.25"),
        "fee_collection": row("135000", "150000", "10.00"),
        "expenditures": row("1", "2", "7.50"),
        "joint_meetings": row("4", "4", "10.00"),
        "committee_party_share": row("4", "9", "8.89"),  # 0.4444 / 0.5 × 10
        "training_coverage": row("7", "9", "3.89"),  # 0.7778 × 5
        "firm_coverage": row("2", "3", "6.67"),
        "reserve_size": row("5", "2", "4.17"),  # 2.5 / 3 × 5
        "reserve_party_share": row("3", "5", "5.00"),
        "cases_in_time": row("1", "3", "3.51"),  # its own late case and a1's two
        "annual_tasks": TASKS,
        "total": (Decimal("74.21"), 1, 1),
    },
    "龙山社区": {
        "disclosures_on_time": row("1", "4", "3.75"),
        "fee_collection": row("60000", "80000", "8.33"),
        "expenditures": row("0", "0", None),
        "joint_meetings": row("2", "4", "5.00"),
        "committee_party_share": row("0", "0", None),
        "training_coverage": row("0", "0", None),
        "firm_coverage": row("1", "2", "5.00"),
        "reserve_size": row("0", "2", "0.00"),
        "reserve_party_share": row("0", "0", None),
        "cases_in_time": row("1", "1", "10.00"),
        "annual_tasks": TASKS,
        "total": (Decimal("54.48"), 2, 2),  # 35.41 of 65
    },
}
