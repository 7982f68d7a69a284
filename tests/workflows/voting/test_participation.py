"""Reaching the quorum: turnout against two-thirds while the vote is open, and who to ask.

The roll (conftest): 甲 150 m² and 乙 80 m² in 1幢, 丙 120, 丁 90 and 戊 60 m² in 2幢; five
owners, 500 m². Two-thirds is 4 owners and 333.34 m² (areas are kept to 0.01 m²).
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from content_types.accounts.models import AuditAction, AuditEvent
from core.civil_code import PARTICIPATION_THRESHOLD
from workflows.voting.paper import enter_paper_ballot
from workflows.voting.participation import needed_to_meet, turnout, turnout_by_building
from workflows.voting.services import cast_online, close_vote

from .conftest import TAIL, A
from .factories import move_clock
from .test_paper import sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_answered(open_ballot, committee, committee2):
    """甲 answers online; 丙's paper ballot is keyed twice, so it counts."""
    vote = open_ballot.vote
    cast_online(vote, open_ballot.codes[A], TAIL[A], "against", "10.0.0.1")
    paper = sheet(building="2幢", room="101", choice="for")
    enter_paper_ballot(vote, committee, paper)
    enter_paper_ballot(vote, committee2, paper)
    return vote


def test_turnout_and_what_is_missing_to_two_thirds(two_answered):
    overall = turnout(two_answered)
    assert (overall.answered_heads, overall.eligible_heads) == (2, 5)
    assert (overall.answered.area, overall.eligible.area) == (Decimal("270.00"), Decimal("500.00"))
    assert overall.missing_heads == 2
    assert overall.missing_area == Decimal("63.34")
    assert overall.shortfall == "还差 2 位业主、63.34 平方米。"
    assert not overall.reached

    buildings = {item.label: item for item in turnout_by_building(two_answered)}
    assert list(buildings) == ["1幢", "2幢"]
    one, two = buildings["1幢"], buildings["2幢"]
    assert (one.answered_heads, one.eligible_heads, one.answered.area, one.eligible.area) == (
        1,
        2,
        Decimal("150.00"),
        Decimal("230.00"),
    )
    assert (two.answered_heads, two.eligible_heads, two.answered.area, two.eligible.area) == (
        1,
        3,
        Decimal("120.00"),
        Decimal("270.00"),
    )


def test_a_keyed_once_paper_ballot_is_not_yet_an_answer(open_ballot, committee):
    enter_paper_ballot(open_ballot.vote, committee, sheet(building="2幢", room="101"))
    assert turnout(open_ballot.vote).answered_heads == 0


@given(whole=st.integers(min_value=1, max_value=10**9))
def test_the_missing_part_is_exactly_what_meets_the_line(whole):
    needed = needed_to_meet(PARTICIPATION_THRESHOLD, whole)
    assert PARTICIPATION_THRESHOLD.is_met(needed, whole)
    assert not PARTICIPATION_THRESHOLD.is_met(needed - 1, whole)


def test_the_committee_sees_progress_and_homes_but_no_choice(client, two_answered, committee):
    client.force_login(committee)
    detail = client.get(reverse("voting_admin:detail", args=[two_answered.pk])).content.decode()
    assert "还差 2 位业主、63.34 平方米。" in detail
    assert "当前计票" not in detail and "反对" not in detail

    url = reverse("voting_admin:participation", args=[two_answered.pk])
    page = client.get(url, {"building": "2幢"}).content.decode()
    assert "还差 2 位业主、63.34 平方米。" in page
    # 丙 answered; 丁 and 戊 are still to ask, each with a link to reprint their letter.
    assert "2幢1单元201室" in page and "2幢1单元301室" in page
    assert "2幢1单元101室" not in page
    assert page.count("补发表决码通知书") == 2
    assert "同意" not in page and "反对" not in page


def test_the_unanswered_list_exports_and_prints_and_each_copy_is_audited(
    client, two_answered, committee
):
    client.force_login(committee)
    response = client.get(reverse("voting_admin:unanswered_export", args=[two_answered.pk]))
    sheet_rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert sheet_rows[0][:4] == ("楼栋", "单元", "室", "业主姓名")
    assert [row[:4] for row in sheet_rows[1:]] == [
        ("1幢", "1", "201", "乙"),
        ("2幢", "1", "201", "丁"),
        ("2幢", "1", "301", "戊"),
    ]
    assert Decimal(str(sheet_rows[1][4])) == Decimal("80")

    printed = client.get(
        reverse("voting_admin:unanswered_print", args=[two_answered.pk]), {"building": "1幢"}
    ).content.decode()
    assert "1幢1单元201室" in printed and "2幢1单元" not in printed
    assert "@page" in printed

    events = AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_EXPORT).order_by("pk")
    assert [(event.user, event.details["rows"]) for event in events] == [
        (committee, 3),
        (committee, 1),
    ]


def test_the_building_reminder_says_how_to_vote_and_names_no_one(client, two_answered, committee):
    client.force_login(committee)
    notice = client.get(
        reverse("voting_admin:reminder", args=[two_answered.pk]), {"building": "2幢"}
    ).content.decode()
    assert "2幢业主：请参加业主大会表决" in notice
    assert reverse("voting:detail", args=[two_answered.pk]) in notice and "<svg" in notice
    assert not any(name in notice for name in ("丙", "丁", "戊", "还差", "已表决"))


def test_another_compounds_committee_and_the_firm_see_nothing(
    client, two_answered, other_committee
):
    client.force_login(other_committee)
    for name in ("participation", "unanswered_print", "unanswered_export", "reminder"):
        response = client.get(reverse(f"voting_admin:{name}", args=[two_answered.pk]))
        assert response.status_code == 404, name
    assert not AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_EXPORT).exists()


def test_progress_exists_only_while_the_vote_is_open(client, two_answered, committee):
    client.force_login(committee)
    close_vote(move_clock(two_answered, closes=-1), committee)
    response = client.get(reverse("voting_admin:participation", args=[two_answered.pk]))
    assert response.status_code == 404
    detail = client.get(reverse("voting_admin:detail", args=[two_answered.pk])).content.decode()
    assert "当前计票" in detail and "反对" in detail


def test_progress_is_read_in_a_fixed_number_of_queries(
    client, two_answered, committee, django_assert_max_num_queries
):
    client.force_login(committee)
    url = reverse("voting_admin:participation", args=[two_answered.pk])
    client.get(url, {"building": "2幢"})
    with django_assert_max_num_queries(30) as captured:
        client.get(url, {"building": "2幢"})
    # One each for the overall turnout, the buildings and the homes, whatever the roll's size.
    voting_queries = [query for query in captured if "voting_elector" in query["sql"]]
    assert len(voting_queries) == 3
