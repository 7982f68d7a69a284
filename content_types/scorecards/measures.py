"""The built-in indicators, each one small function over the data the site already holds.

Everything is counted as of the period's last day from dated facts (a page's first
publication, a meeting's date, a case's steps), so a rerun over the same data gives the same
numbers. Each function counts every compound at once, in a fixed number of queries.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Page, WorkflowState

from content_types.cases.models import Case, CaseStatus, CaseStep, StepAction
from content_types.committees.models import CommitteeCandidate, CommitteeMember, OwnersCommittee
from content_types.disclosures.models import FeeCollectionPage
from content_types.expenditures.models import ExpenditureProposalPage, UsageReportPage
from content_types.firms.models import PartyOrganisationStatus, PropertyFirm
from content_types.governance_tasks.models import GovernanceTask, TaskStatus
from content_types.meetings.models import JointMeeting

from .indicators import STREET, Indicator, Item, Scopes, Tally, child_of, register, tallies

if TYPE_CHECKING:
    import datetime

    from django.db.models import Model

    from .periods import ScoringPeriod


def edit_url(instance: Model) -> str:
    """The admin address of what an item counts (its own view checks who may open it)."""
    return AdminURLFinder().get_edit_url(instance) or ""


def local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def percent_text(part: Decimal, whole: Decimal) -> str:
    return f"{(part * 100 / whole).quantize(Decimal('0.01'))}%" if whole else "—"


# 物业费收缴率: collected over due, of the fee collection disclosures whose period ends in it.
def fee_collection(scopes: Scopes, period: ScoringPeriod) -> dict[int, Tally]:
    paths = scopes.compound_paths()
    found = tallies(paths.values())
    pages = FeeCollectionPage.objects.live().filter(
        period_end__range=(period.start, period.end), depth=scopes_depth(scopes) + 1
    )
    for page in pages.order_by("path"):
        compound = child_of(paths, page.path)
        if compound is None:
            continue
        detail = (
            f"实收 {page.amount_collected} 元 / 应收 {page.amount_due} 元"
            f"（{percent_text(page.amount_collected, page.amount_due)}）"
        )
        found[compound].add(
            page.amount_collected, page.amount_due, Item(page.title, detail, None, edit_url(page))
        )
    return found


def scopes_depth(scopes: Scopes) -> int:
    return scopes.compounds[0].depth if scopes.compounds else 0


# 四审两公开: proposals whose usage report fell due in the period, decided through their chain
# and with the usage published by the day it was due.
def approved_pages() -> Q:
    states = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        status=WorkflowState.STATUS_APPROVED,
    ).values("object_id")
    return Q(pk_text__in=states)


def expenditures(scopes: Scopes, period: ScoringPeriod) -> dict[int, Tally]:
    paths = scopes.compound_paths()
    found = tallies(paths.values())
    proposals = list(
        ExpenditureProposalPage.objects.live()
        .filter(usage_report_due__range=(period.start, period.end))
        .annotate(pk_text=Cast("pk", CharField()))
        .order_by("path")
    )
    decided = set(
        ExpenditureProposalPage.objects.annotate(pk_text=Cast("pk", CharField()))
        .filter(approved_pages(), pk__in=[proposal.pk for proposal in proposals])
        .values_list("pk", flat=True)
    )
    reports: dict[str, datetime.date] = {}
    for path, published in (
        UsageReportPage.objects.live()
        .filter(depth=scopes_depth(scopes) + 2)
        .order_by("first_published_at")
        .values_list("path", "first_published_at")
    ):
        reports.setdefault(path[:-4], local_day(published))  # type: ignore[arg-type]
    for proposal in proposals:
        compound = child_of(paths, proposal.path)
        if compound is None:
            continue
        reported = reports.get(proposal.path)
        chain = "经审核流程审定" if proposal.pk in decided else "未经审核流程审定"
        if reported is None:
            usage = f"使用情况未公开（应于 {proposal.usage_report_due:%Y-%m-%d} 前）"
        elif reported > proposal.usage_report_due:
            usage = f"使用情况 {reported:%Y-%m-%d} 公开，逾期"
        else:
            usage = f"使用情况 {reported:%Y-%m-%d} 按时公开"
        ok = proposal.pk in decided and reported is not None
        ok = ok and reported is not None and reported <= proposal.usage_report_due
        found[compound].add(
            int(ok), 1, Item(proposal.title, f"{chain}；{usage}", ok, edit_url(proposal))
        )
    return found


# 三方联席会议: meetings held per quarter of the period.
def joint_meetings(scopes: Scopes, period: ScoringPeriod) -> dict[int, Tally]:
    found = tallies(compound.pk for compound in scopes.compounds)
    for tally in found.values():
        tally.add(0, period.quarters)
    meetings = JointMeeting.objects.filter(
        compound__in=list(found), date__range=(period.start, period.end)
    ).order_by("compound_id", "date", "pk")
    for meeting in meetings:
        found[meeting.compound_id].add(
            1,
            0,
            Item(
                f"{meeting.date:%Y-%m-%d} 三方联席会议",
                meeting.agenda[:60],
                True,
                edit_url(meeting),
            ),
        )
    return found


def current_committees(scopes: Scopes, period: ScoringPeriod) -> dict[int, OwnersCommittee]:
    """Each compound's live committee serving on the period's last day (the latest term)."""
    committees: dict[int, OwnersCommittee] = {}
    for committee in (
        OwnersCommittee.objects.filter(
            live=True,
            compound__in=[compound.pk for compound in scopes.compounds],
            term_start__lte=period.end,
            term_end__gte=period.end,
        )
        .prefetch_related("members__training_attendances__session")
        .order_by("compound_id", "-term_start", "-pk")
    ):
        committees.setdefault(committee.compound_id, committee)
    return committees


# 业委会党员比例: Party members among the serving committee's members.
def committee_party_share(scopes: Scopes, period: ScoringPeriod) -> dict[int, Tally]:
    found = tallies(compound.pk for compound in scopes.compounds)
    for compound_id, committee in current_committees(scopes, period).items():
        members = list(committee.members.all())
        party = sum(member.is_party_member for member in members)
        found[compound_id].add(
            party,
            len(members),
            Item(
                str(committee),
                f"党员 {party} 人 / 委员 {len(members)} 人",
                None,
                edit_url(committee),
            ),
        )
    return found


def trained(member: CommitteeMember, period: ScoringPeriod) -> bool:
    """Trained in the period's year by its last day (履职期间每年参加培训1次以上), by the
    attendance records (prefetched with the committees)."""
    return any(
        attended.session.date.year == period.end.year and attended.session.date <= period.end
        for attended in member.training_attendances.all()
    )


# 业委会培训覆盖率: the serving committee's members trained this year.
def training_coverage(scopes: Scopes, period: ScoringPeriod) -> dict[int, Tally]:
    found = tallies(compound.pk for compound in scopes.compounds)
    for compound_id, committee in current_committees(scopes, period).items():
        members = list(committee.members.all())
        done = sum(trained(member, period) for member in members)
        found[compound_id].add(
            done,
            len(members),
            Item(
                str(committee),
                f"{period.end.year}年已培训 {done} 人 / 委员 {len(members)} 人",
                done == len(members),
                edit_url(committee),
            ),
        )
    return found


def firm_covered(firm: PropertyFirm) -> bool:
    """两个覆盖: the firm has the Party organisation its full members call for (measure 11)."""
    return (
        firm.party_status != PartyOrganisationStatus.NONE and not firm.needs_own_party_organisation
    )


# 物业党组织“两个覆盖”: the firms serving the compound with their Party organisation set up.
def firm_coverage(scopes: Scopes, period: ScoringPeriod) -> dict[int, Tally]:
    found = tallies(compound.pk for compound in scopes.compounds)
    firms = PropertyFirm.objects.filter(live=True, compounds__in=list(found)).distinct()
    for firm in firms.prefetch_related("compounds").order_by("name", "pk"):
        ok = firm_covered(firm)
        detail = f"{firm.get_party_status_display()}，正式党员 {firm.full_party_member_count} 人"
        for compound in firm.compounds.all():
            if compound.pk in found:
                found[compound.pk].add(int(ok), 1, Item(firm.name, detail, ok, edit_url(firm)))
    return found


def reserve(scopes: Scopes, period: ScoringPeriod) -> dict[int, list[CommitteeCandidate]]:
    """The candidates each compound had in the pool (passed vetting) on the period's last day."""
    pool: dict[int, list[CommitteeCandidate]] = {compound.pk: [] for compound in scopes.compounds}
    candidates = CommitteeCandidate.objects.filter(live=True, compound__in=list(pool)).filter(
        Q(first_published_at__isnull=True) | Q(first_published_at__date__lte=period.end)
    )
    for candidate in candidates.order_by("compound_id", "pk"):
        pool[candidate.compound_id].append(candidate)
    return pool


# 人选储备库规模: candidates in the pool per compound.
def reserve_size(scopes: Scopes, period: ScoringPeriod) -> dict[int, Tally]:
    found = tallies(compound.pk for compound in scopes.compounds)
    for compound_id, candidates in reserve(scopes, period).items():
        found[compound_id].add(len(candidates), 1)
        for candidate in candidates:
            found[compound_id].items.append(
                Item(
                    candidate.name,
                    "中共党员" if candidate.is_party_member else "",
                    None,
                    edit_url(candidate),
                )
            )
    return found


# 储备库党员比例: Party members among the pool's candidates.
def reserve_party_share(scopes: Scopes, period: ScoringPeriod) -> dict[int, Tally]:
    found = tallies(compound.pk for compound in scopes.compounds)
    for compound_id, candidates in reserve(scopes, period).items():
        party = sum(candidate.is_party_member for candidate in candidates)
        if candidates:
            found[compound_id].add(
                party,
                len(candidates),
                Item("人选储备库", f"党员 {party} 人 / 人选 {len(candidates)} 人"),
            )
    return found


# 诉求事件按期办结率: cases resolved in the period, resolved within the level's deadline and
# never passed up for being late.
def cases_in_time(scopes: Scopes, period: ScoringPeriod) -> dict[int, Tally]:
    keys: list[int] = [page.pk for page in scopes.compounds] + [
        page.pk for page in scopes.communities
    ]
    found = tallies(keys)
    resolved: dict[int, datetime.datetime] = {}
    late: set[int] = set()
    steps = CaseStep.objects.filter(case__scope__in=keys).filter(
        Q(action=StepAction.RESOLVED) | Q(action=StepAction.ESCALATED, actor__isnull=True)
    )
    for case_id, action, at in steps.order_by("at", "pk").values_list("case_id", "action", "at"):
        if action == StepAction.RESOLVED:
            resolved[case_id] = at
        else:
            late.add(case_id)
    cases = Case.objects.filter(
        pk__in=[pk for pk, at in resolved.items() if period.contains(timezone.localdate(at))],
        status__in=[CaseStatus.RESOLVED, CaseStatus.CLOSED],
    )
    for case in cases.order_by("filed_at", "pk"):
        at = resolved[case.pk]
        ok = case.pk not in late and at <= case.deadline_at
        detail = f"{timezone.localtime(at):%Y-%m-%d} 办结，" + (
            "按期" if ok else "逾期上报" if case.pk in late else "超过期限"
        )
        found[case.scope_id].add(
            int(ok), 1, Item(f"{case.number} {case.title}", detail, ok, edit_url(case))
        )
    return found


def tasks_due(period: ScoringPeriod) -> list[GovernanceTask]:
    """The tasks of the period's year's list due by the period's last day."""
    return list(
        GovernanceTask.objects.filter(
            year=period.end.year, live=True, is_long_term=False, deadline_month__lte=period.end
        ).order_by("number")
    )


# 年度任务完成率: the street's annual tasks due by the period's end that are done.
def annual_tasks(scopes: Scopes, period: ScoringPeriod) -> dict[int, Tally]:
    tally = Tally()
    for task in tasks_due(period):
        ok = task.status == TaskStatus.DONE
        tally.add(
            int(ok),
            1,
            Item(
                str(task),
                f"{task.deadline_display}，{task.get_status_display()}",
                ok,
                edit_url(task),
            ),
        )
    return {STREET: tally}


PERCENT = "percent"
BUILT_IN = (
    Indicator(
        "fee_collection",
        "物业费收缴率",
        PERCENT,
        ("实收金额", "应收金额"),
        fee_collection,
        Decimal(10),
        Decimal("0.90"),
        why="本期截止的物业费收缴公开，按金额计。",
    ),
    Indicator(
        "expenditures",
        "四审两公开执行率",
        PERCENT,
        ("合规", "应公开使用情况"),
        expenditures,
        Decimal(15),
        Decimal(1),
        why="使用情况公开截止日在本期的大额资金使用申请：经审核流程审定，且按期公开使用情况。",
    ),
    Indicator(
        "joint_meetings",
        "三方联席会议",
        "次/季度",
        ("召开次数", "季度数"),
        joint_meetings,
        Decimal(10),
        Decimal(1),
        why="本期召开的三方联席会议，按季度平均。",
    ),
    Indicator(
        "committee_party_share",
        "业委会党员比例",
        PERCENT,
        ("党员", "委员"),
        committee_party_share,
        Decimal(10),
        Decimal("0.50"),
        why="期末在任业委会中党员所占比例（逐步提高至50%左右）。",
    ),
    Indicator(
        "training_coverage",
        "业委会培训覆盖率",
        PERCENT,
        ("已培训", "委员"),
        training_coverage,
        Decimal(5),
        Decimal(1),
        why="期末在任业委会委员中当年已参加培训的比例（每年至少1次）。",
    ),
    Indicator(
        "firm_coverage",
        "物业党组织“两个覆盖”",
        PERCENT,
        ("已覆盖", "服务企业"),
        firm_coverage,
        Decimal(10),
        Decimal(1),
        why="服务本小区的物业服务企业中按规定建立党组织的比例。",
    ),
    Indicator(
        "reserve_size",
        "人选储备库规模",
        "人/小区",
        ("人选", "小区"),
        reserve_size,
        Decimal(5),
        Decimal(3),
        why="通过审查入库的业委会后备人选，按小区平均。",
    ),
    Indicator(
        "reserve_party_share",
        "储备人选党员比例",
        PERCENT,
        ("党员", "人选"),
        reserve_party_share,
        Decimal(5),
        Decimal("0.50"),
        why="人选储备库中党员不少于50%。",
    ),
    Indicator(
        "cases_in_time",
        "诉求事件按期办结率",
        PERCENT,
        ("按期办结", "办结"),
        cases_in_time,
        Decimal(10),
        Decimal("0.95"),
        why="本期办结的诉求事件中，未逾期上报且在期限内办结的比例。",
    ),
    Indicator(
        "annual_tasks",
        "年度任务完成率",
        PERCENT,
        ("已完成", "到期任务"),
        annual_tasks,
        Decimal(5),
        Decimal(1),
        street_wide=True,
        why="年度任务清单中期末前到期的任务已完成的比例（全街道统一）。",
    ),
)
for indicator in BUILT_IN:
    register(indicator)
