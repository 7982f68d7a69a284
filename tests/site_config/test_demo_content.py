"""The demo's year of content: loaded through the chains and services, once, and alive on screens.

The demo is sizeable, so it is loaded once for the module (and loaded again once, to show the
second load changes nothing); the module's tests read it and roll it all back at the end.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page, TaskState, WorkflowState

from api.models import Screen
from cms.management.commands.load_demo import DEMO_CONFIG
from content_types.audits.media import AUDIT_COLLECTION_NAME
from content_types.audits.models import Audit, AuditStatus
from content_types.committees.models import (
    CommitteeMember,
    MemberEvaluation,
    MemberWithdrawal,
    OwnersCommittee,
    TrainingSession,
    WithdrawalStatus,
    members_trained_in,
)
from content_types.configured_disclosures.models import ConfiguredDisclosurePage
from content_types.disclosures.kinds import KINDS
from content_types.disclosures.models import FinanceStatementPage, Fund
from content_types.evaluations.models import EvaluationPeriod, PeriodStatus, SurveyAnswer
from content_types.evaluations.services import firm_scores
from content_types.expenditures.models import ExpenditureProposalPage
from content_types.expenditures.usage_reports import overdue_usage_reports
from content_types.governance_tasks.models import GovernanceTask, TaskStatus, TaskUpdate
from content_types.notices.models import NoticePage
from content_types.reports.dues import DueState, report_dues
from content_types.reports.models import Report, ReportStatus
from content_types.scorecards.models import Level, Scorecard, ScorePeriod
from content_types.structure.models import CompoundPage
from core.civil_code import Outcome
from core.civil_code.election import ElectionOutcome
from site_config.apply import plan_file
from site_config.models import DisclosureSchedule
from site_config.schedules import compounds_with_disclosures, missing, watched
from workflows.channels.models import Channel, ChannelKind, ChannelMessage
from workflows.voting.models import (
    PRE_REVIEWED_MATTERS,
    Election,
    ResultStage,
    Vote,
    VotePreReview,
    VoteResult,
    VoteStatus,
    election_decision,
)
from workflows.voting.participation import turnout, turnout_by_building

pytestmark = pytest.mark.django_db
ADDRESS = re.compile(r"(http://\S+/screen/((?:community/)?[\w-]+)/)#token=(\S+)")
PROJECT_APPS = (
    "content_types.",
    "workflows.",
    "api",
    "site_config",
    "wagtail",
    "django.contrib.auth",
)


@dataclass
class Demo:
    first_output: str
    second_output: str
    after_first: dict[str, object]
    after_second: dict[str, object]


def snapshot() -> dict[str, object]:
    """Rows of every model of the project and of Wagtail, and what each page's latest state is."""
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith(PROJECT_APPS) and model._meta.managed
    }
    counts["pages_live"] = Page.objects.filter(live=True).count()
    counts["workflows_in_progress"] = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS
    ).count()
    counts["steps_in_progress"] = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS
    ).count()
    counts["screen_tokens"] = list(Screen.objects.order_by("pk").values_list("token_hash"))
    return counts


def load_demo(base_url: str = "http://testserver") -> str:
    output = StringIO()
    call_command("load_demo", base_url=base_url, stdout=output)
    return output.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Demo:
    with (
        django_db_blocker.unblock(),
        override_settings(VAR_DIR=tmp_path_factory.mktemp("var")),
        transaction.atomic(),
    ):
        first = load_demo()
        after_first = snapshot()
        second = load_demo()
        yield Demo(first, second, after_first, snapshot())
        transaction.set_rollback(True)


def test_loading_the_demo_again_changes_nothing(demo: Demo) -> None:
    assert demo.after_first["voting.Ballot"] > 400
    assert demo.after_first["wagtailcore.Revision"] > 100
    assert demo.after_second == demo.after_first
    # The printed addresses, tokens included, stay the same.
    assert ADDRESS.findall(demo.second_output) == ADDRESS.findall(demo.first_output)
    # The content leaves what the street's file manages as the file says.
    assert plan_file(DEMO_CONFIG)[1].is_empty


def screen_feed(client, page_url: str, token: str) -> dict:
    """What the screen at ``page_url`` reads: the page, then its persisted feed with its token."""
    assert client.get(page_url).status_code == 200
    slug = page_url.rstrip("/").rsplit("/", 1)[-1]
    query_id, variable = (
        ("communityScreenFeed", "community")
        if "/screen/community/" in page_url
        else ("screenFeed", "compound")
    )
    response = client.get(
        "/graphql/",
        {"id": query_id, "variables": json.dumps({variable: slug})},
        HTTP_AUTHORIZATION=f"Screen {token}",
    )
    assert response.status_code == 200, response.content
    return response.json()["data"][query_id]


def test_every_printed_screen_address_shows_every_panel_at_once(demo: Demo, client) -> None:
    addresses = ADDRESS.findall(demo.first_output)
    assert {slug for _, slug, _ in addresses} == {"jinxiu", "yangguang", "community/fengming"}
    for page_url, slug, token in addresses:
        feed = screen_feed(client, page_url, token)
        titles = [notice["title"] for notice in feed["notices"]]
        if slug.startswith("community/"):
            assert titles and "防范电信网络诈骗提示" in titles
            assert [row["compound"]["slug"] for row in feed["compounds"]] == ["jinxiu", "yangguang"]
            for row in feed["compounds"]:
                owed = {due["name"] for due in row["disclosures"] if due["state"] != "published"}
                # Only 锦绣花园's latest fire-safety check is still in review.
                jinxiu = row["compound"]["slug"] == "jinxiu"
                assert row["disclosures"] and owed == ({"消防设施检查公示"} if jinxiu else set())
                assert row["disclosuresOnTime"] or jinxiu, row
                assert row["feeCollectionRate"], row
            assert feed["compounds"][0]["openProposals"] >= 1
            continue
        assert len(titles) >= 4 and feed["notices"][0]["pinned"], slug
        assert "防台防汛安全提示" not in titles  # expired months ago
        assert any(notice["images"] for notice in feed["notices"]), slug
        assert feed["financeStatement"]["lines"] and feed["feeCollection"]["collectionRate"], slug
        steps = {proposal["step"] for proposal in feed["proposals"]}
        assert "审定结果已公开" in steps and steps <= {"审定结果已公开", "业主大会审定"}, slug
        passed = [result for result in feed["voteResults"] if result["passed"]]
        assert len(passed) == 1, slug
        assert passed[0]["participatingHeads"] < passed[0]["eligibleHeads"], slug
        assert feed["assetLists"]["items"], slug
        assert feed["propertyFirms"] and feed["propertyFirms"][0]["officePhone"], slug


def test_jinxius_screen_shows_the_vote_owners_are_answering(demo: Demo, client) -> None:
    page_url, _, token = next(
        found for found in ADDRESS.findall(demo.first_output) if found[1] == "jinxiu"
    )
    [vote] = screen_feed(client, page_url, token)["openVotes"]
    assert 0 < vote["answeredHeads"] < vote["eligibleHeads"]
    assert not vote["participationReached"]


def test_every_compound_discloses_on_time_but_one_check_in_review_and_balances(demo: Demo) -> None:
    assert DisclosureSchedule.objects.exists()
    schedules = watched(timezone.localdate())
    for compound in compounds_with_disclosures(CompoundPage.objects.live(), schedules):
        owed = [item.name for item in missing(compound, schedules)]
        # Only 锦绣花园's latest fire-safety check is still in review, so it is owed.
        assert owed == (["消防设施检查公示"] if compound.slug == "jinxiu" else []), compound.title
    assert not overdue_usage_reports().exists()
    for compound in CompoundPage.objects.all():
        statements = FinanceStatementPage.objects.live().descendant_of(compound)
        assert set(statements.values_list("fund", flat=True)) == set(Fund.values), compound
        for statement in statements:
            statement.full_clean()  # the balance holds: opening + income − expenditure = closing


def test_a_proposal_waits_at_each_review_and_one_was_decided_by_the_owners(demo: Demo) -> None:
    jinxiu = CompoundPage.objects.get(slug="jinxiu")
    waiting = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__object_id__in=[
            str(pk)
            for pk in ExpenditureProposalPage.objects.descendant_of(jinxiu).values_list(
                "pk", flat=True
            )
        ],
    )
    assert sorted(waiting.values_list("task__name", flat=True)) == sorted(
        ["业委会初审", "社区(小区)党组织审核", "三方联席会议审议", "业主大会审定"]
    )
    final = VoteResult.objects.get(
        stage=ResultStage.FINAL,
        vote__compound=jinxiu,
        vote__election__isnull=True,
        outcome=Outcome.PASSED,
    )
    assert final.vote.status == VoteStatus.FINAL and final.vote.proposal.live
    # Owners with two homes: the head count and the area measure differ.
    assert final.eligible_heads < jinxiu.units.count()
    assert final.for_area > final.participating_area / 2


def test_the_open_vote_is_a_rerun_still_short_of_two_thirds_spread_over_buildings(
    demo: Demo,
) -> None:
    jinxiu = CompoundPage.objects.get(slug="jinxiu")
    [vote] = Vote.objects.filter(compound=jinxiu, status=VoteStatus.OPEN)
    first = vote.rerun_of
    assert first is not None and first.proposal_id == vote.proposal_id
    assert first.results.get(stage=ResultStage.FINAL).outcome == Outcome.FAILED_PARTICIPATION

    overall = turnout(vote)
    assert overall.answered_heads > 0 and not overall.reached
    buildings = turnout_by_building(vote)
    assert len(buildings) > 3 and all(building.answered_heads for building in buildings)
    # Some buildings are further along than others: the door-to-door round has a target,
    # and the one furthest behind has its reminder on the noticeboard until the close.
    assert buildings[0].heads_percent > buildings[-1].heads_percent
    reminder = NoticePage.objects.live().child_of(jinxiu).get(title__startswith="【表决提醒】")
    assert reminder.pinned and reminder.expire_at == vote.closes_at


# What a public page says where a section has nothing to show.
EMPTY_SECTION = re.compile(r"暂无|暂未选派|没有找到")


def test_the_demo_compound_community_and_street_pages_show_every_section_filled(
    demo: Demo, client
) -> None:
    compound = CompoundPage.objects.get(slug="jinxiu")
    pages = {
        "compound": compound.url,
        "community": compound.get_parent().url,
        "street": "/",
        "archive": f"/scope/{compound.pk}/notices/archive/",
    }
    texts = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        texts[name] = response.text
        assert EMPTY_SECTION.findall(response.text) == [], name

    for kind in KINDS:
        assert f'data-kind="{kind.code}"' in texts["compound"], kind.code
    compound_page = texts["compound"]
    assert "【置顶】" in compound_page and "业主大会审定" in compound_page
    assert "表决结果详情" in compound_page and "使用情况公开</a>" in compound_page
    assert "主任" in compound_page and "服务电话" in compound_page
    assert "小区专员" in compound_page and "办公电话" in compound_page
    assert "到期" in texts["archive"]


def test_a_decided_demo_proposal_shows_each_step_of_its_chain_on_its_own_page(
    demo: Demo, client
) -> None:
    compound = CompoundPage.objects.get(slug="jinxiu")
    pages = [
        client.get(proposal.url).text
        for proposal in ExpenditureProposalPage.objects.live().child_of(compound)
    ]

    assert all("“四审两公开”进程" in text for text in pages)
    # Decided by the owners: the vote step passed. (The roof proposal, put to a second vote,
    # is live and waits at that step.)
    decided = [text for text in pages if "<td>业主大会审定</td>" in text and "审定通过" in text]
    assert decided
    assert all('<td>业主大会审定</td><td class="passed">通过</td>' in text for text in decided)


def test_jinxiu_elected_its_committee_and_the_new_term_waits_for_review(demo: Demo) -> None:
    election = Election.objects.select_related("vote", "committee").get(
        vote__compound__slug="jinxiu"
    )
    final = election.vote.results.get(stage=ResultStage.FINAL)
    decision = election_decision(final, election)
    assert decision.outcome == ElectionOutcome.ELECTED
    assert len(decision.elected) == election.seats == 5
    assert election.candidates.count() == 7
    assert all(c.candidate.live for c in election.candidates.select_related("candidate"))
    # Both measures differ: some owners hold two homes.
    assert final.participating_heads < final.participating_area
    committee = election.committee
    assert committee is not None and not committee.live
    names = {c.key: c.name for c in election.candidates.all()}
    assert [m.name for m in committee.members.all()] == [names[k] for k in decision.elected]


def test_jinxiu_reports_at_every_state_and_the_dashboard_has_reports_to_chase(demo: Demo) -> None:
    reports = Report.objects.filter(compound__slug="jinxiu")
    assert set(reports.values_list("status", flat=True)) == {
        ReportStatus.ACKNOWLEDGED,
        ReportStatus.RETURNED,
        ReportStatus.SUBMITTED,
        ReportStatus.DRAFT,
    }
    returned = reports.get(status=ReportStatus.RETURNED)
    assert "维修资金使用明细" in returned.review_comment
    assert all(section.body for section in returned.sections.all())
    dues = report_dues(CompoundPage.objects.all(), timezone.localdate())
    missing = [due for due in dues if due.missing]
    assert {due.state for due in missing} <= {DueState.DUE, DueState.OVERDUE}
    assert {due.schedule.code for due in missing if due.compound.slug == "jinxiu"} == {
        "commissioner-quarterly"
    }
    assert {due.compound.slug for due in missing} > {"jinxiu"}


def test_the_demo_audits_are_planned_under_way_with_open_findings_and_closed(demo: Demo) -> None:
    audits = {a.status: a for a in Audit.objects.prefetch_related("findings")}
    assert set(audits) == {AuditStatus.PLANNED, AuditStatus.IN_PROGRESS, AuditStatus.CLOSED}
    under_way = audits[AuditStatus.IN_PROGRESS]
    assert under_way.open_finding_count == 2 and under_way.is_overdue()
    closed = audits[AuditStatus.CLOSED]
    assert closed.open_finding_count == 0 and closed.findings_amount == Decimal("22920.50")
    # The report is kept where only the coordination offices read it.
    assert closed.report.collection.name == AUDIT_COLLECTION_NAME
    assert closed.report.collection.get_view_restrictions().exists()


def test_the_demo_holds_two_periods_of_scorecards_and_the_earlier_list_is_public(
    demo: Demo, client
) -> None:
    periods = list(ScorePeriod.objects.order_by("end"))
    assert len(periods) == 2 and periods[1].period.previous() == periods[0].period
    assert periods[0].published_at is not None and periods[1].published_at is None
    for period in periods:
        cards = Scorecard.objects.filter(period=period)
        assert cards.filter(level=Level.COMMUNITY).count() == 3
        assert cards.filter(level=Level.COMPOUND).count() == 6
    jinxiu = {
        card.period.key: card.total
        for card in Scorecard.objects.filter(scope__slug="jinxiu").select_related("period")
    }
    assert len(set(jinxiu.values())) == 2  # a trend, not a flat line
    html = client.get(f"/kaoping/{periods[0].key}/").content.decode()
    assert f"{periods[0].label}赛比争先榜" in html and "先进社区" in html


def test_two_half_years_score_and_rank_every_firm_with_a_trend(demo: Demo) -> None:
    periods = list(EvaluationPeriod.objects.order_by("starts_on"))
    assert [period.status for period in periods] == [PeriodStatus.CLOSED] * 2
    older, newer = (firm_scores(period) for period in periods)
    assert set(older) == set(newer) and len(newer) == 3
    by_name = {score.firm.name: (older[firm].total, score.total) for firm, score in newer.items()}
    jincheng, jiangcheng = by_name["上虞锦程物业服务有限公司"], by_name["上虞江城物业服务有限公司"]
    assert jincheng[1] > jincheng[0] and jiangcheng[1] < jiangcheng[0]  # one rises, one slips
    best = min(newer.values(), key=lambda score: score.rank)
    assert best.firm.name == "上虞锦程物业服务有限公司" and best.excellent
    for score in newer.values():
        # Every part has its figures; the surveys had answers online and on paper.
        assert all(part["basis"] for part in score.parts)
        assert score.parts[0]["score"] is not None
    channels = set(SurveyAnswer.objects.values_list("channel", flat=True))
    assert channels == {"online", "paper"}


def test_committees_hold_two_years_of_trainings_and_evaluations(demo: Demo) -> None:
    year = timezone.localdate().year
    committees = OwnersCommittee.objects.filter(live=True).current()
    members = CommitteeMember.objects.filter(committee__in=committees)
    assert members.exists()
    for held in (year - 1, year):
        assert TrainingSession.objects.filter(date__year=held).exists()
    # Everyone trained last year; this year two of each roster are still due (the dashboard's flag).
    assert members_trained_in(year - 1).filter(pk__in=members).count() == members.count()
    assert members.untrained_in(year).exists()
    for evaluated in (year - 2, year - 1):
        assert MemberEvaluation.objects.filter(year=evaluated, member__in=members).count() == (
            members.count()
        )
    statuses = set(MemberWithdrawal.objects.values_list("status", flat=True))
    assert statuses == {WithdrawalStatus.OPEN, WithdrawalStatus.STARTED}


def test_the_demo_votes_the_committee_called_passed_their_pre_review(demo: Demo) -> None:
    stand_alone = Vote.objects.filter(
        proposal__isnull=True, rerun_of__isnull=True, matter__in=PRE_REVIEWED_MATTERS
    ).exclude(status=VoteStatus.DRAFT)
    assert stand_alone.exists()
    for vote in stand_alone:
        assert VotePreReview.objects.get(vote=vote).live, vote.title


def test_the_demo_s_group_robots_are_told_as_in_real_use_and_stay_on_this_machine(
    demo: Demo,
) -> None:
    robots = Channel.objects.exclude(kind=ChannelKind.EMAIL)
    assert {robot.kind for robot in robots} == {ChannelKind.DINGTALK, ChannelKind.WECOM}
    assert {urlsplit(robot.address).hostname for robot in robots} == {"127.0.0.1"}
    street = ChannelMessage.objects.filter(channel__code="baiguan-street-office-dingtalk")
    assert street.filter(subject__contains="街道微治办（执法督查组）").exists()
    committee = ChannelMessage.objects.filter(channel__code="jinxiu-committee-wecom")
    assert committee.filter(event="case").exists()


def test_the_declared_kinds_have_pages_published_through_their_chain(demo: Demo, client) -> None:
    pages = ConfiguredDisclosurePage.objects.select_related("kind")
    assert {page.kind.code for page in pages} == {"elevator-maintenance", "fire-safety"}
    waiting = [page for page in pages if not page.live]
    assert len(waiting) == 1 and waiting[0].current_workflow_state is not None
    fire = pages.filter(kind__code="fire-safety", live=True).first()
    assert fire.rows[1]["pass_rate"] == "90.00"  # 9 of 10 hydrants passed
    jinxiu = CompoundPage.objects.get(slug="jinxiu")
    html = client.get(jinxiu.url).content.decode()
    assert "电梯维保公示" in html and "消防设施检查公示" in html
    assert waiting[0].title not in html


def test_the_demo_holds_two_years_of_task_lists_with_progress_and_evidence(demo: Demo) -> None:
    years = sorted(set(GovernanceTask.objects.values_list("year", flat=True)))
    assert years[0] == 2023 and len(years) == 2
    for year in years:
        assert GovernanceTask.objects.filter(year=year, live=True).count() == 34
        updates = TaskUpdate.objects.filter(task__year=year)
        assert updates.filter(evidence__isnull=False).exists(), year
        assert updates.filter(community__isnull=False).exists(), year
    first = GovernanceTask.objects.get(year=2023, number=1)
    assert first.status == TaskStatus.DONE
    copied = GovernanceTask.objects.get(year=years[1], number=1)
    assert copied.origin == first
    assert TaskUpdate.objects.filter(first_task=first, task=first).exists()  # its 2023 history
    # Each office's evidence is kept in its own restricted collection.
    document = TaskUpdate.objects.filter(evidence__isnull=False).first().evidence.first()
    assert document.collection.get_view_restrictions().exists()
