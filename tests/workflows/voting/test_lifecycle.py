"""Opening, closing by the periodic job, objections and finalising, with the audit trail."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.models import ModelLogEntry

from cms.celery import app
from content_types.units.models import Unit
from workflows.voting.models import Objection, ResultStage, Vote, VoteStatus
from workflows.voting.services import (
    VotingError,
    answer_objection,
    cast_online,
    close_vote,
    finalise_vote,
    lodge_objection,
    open_vote,
)
from workflows.voting.tasks import close_due_votes

from .conftest import TAIL, A, B, C
from .factories import VoteFactory, move_clock

pytestmark = pytest.mark.django_db


def closed(open_ballot):
    vote = move_clock(open_ballot.vote, closes=-1)
    assert close_due_votes() == {"closed": 1, "finalised": 0}
    vote.refresh_from_db()
    return vote


def test_opening_freezes_one_row_per_owner_with_their_units(compound, roll, committee):
    vote = open_vote(VoteFactory(compound=compound), committee)

    assert vote.status == VoteStatus.OPEN and vote.opened_at is not None
    owners = {e.owner_key: e for e in vote.electors.prefetch_related("units")}
    assert len(owners) == 5
    owner_a = owners[roll[0].owner_key]
    assert sorted(u.label for u in owner_a.units.all()) == ["1幢1单元101室", "1幢1单元102室"]
    assert owner_a.area == 150


def test_units_bulk_loaded_without_an_owner_key_are_counted_by_phone(compound, committee):
    def unit(room, phone):
        return Unit(
            compound=compound,
            building="5幢",
            entrance="1",
            room=room,
            exclusive_area=Decimal("60.00"),
            owner_name="己",
            owner_phone=phone,
        )

    Unit.objects.bulk_create(
        [unit("101", "13900000009"), unit("102", "13900000009"), unit("103", "13900000010")]
    )

    vote = open_vote(VoteFactory(compound=compound), committee)

    assert sorted(vote.electors.values_list("area_centi", flat=True)) == [6000, 12000]


def test_a_vote_of_some_buildings_freezes_only_those(compound, roll, committee):
    vote = open_vote(VoteFactory(compound=compound, buildings=["2幢"]), committee)

    assert vote.electors.count() == 3


@pytest.mark.parametrize(
    "setup, message",
    [
        ("twice", "已经开启"),
        ("past", "已过"),
        ("empty", "没有房屋"),
    ],
)
def test_opening_out_of_turn_is_refused(compound, roll, committee, setup, message):
    vote = VoteFactory(compound=compound, buildings=["9幢"] if setup == "empty" else [])
    if setup == "twice":
        open_vote(vote, committee)
    if setup == "past":
        vote = move_clock(vote, closes=-1)
    electors_before = vote.electors.count()

    with pytest.raises(VotingError, match=message):
        open_vote(vote, committee)

    assert vote.electors.count() == electors_before


def test_the_periodic_job_counts_only_votes_whose_close_has_passed(
    open_ballot, compound, committee
):
    running = open_vote(VoteFactory(compound=compound), committee)
    cast_online(open_ballot.vote, open_ballot.codes[A], TAIL[A], "for", "10.0.0.1")

    vote = closed(open_ballot)

    assert vote.status == VoteStatus.PRELIMINARY
    assert vote.objection_deadline is not None
    result = vote.results.get()
    assert (result.stage, result.for_heads, result.for_area) == (ResultStage.PRELIMINARY, 1, 150)
    assert result.outcome == "failed_participation"
    running.refresh_from_db()
    assert running.status == VoteStatus.OPEN
    assert close_due_votes() == {"closed": 0, "finalised": 0}


def test_closing_before_the_close_time_is_refused(open_ballot):
    with pytest.raises(VotingError, match="届时才能计票"):
        close_vote(open_ballot.vote)
    assert not open_ballot.vote.results.exists()


def test_objections_are_taken_only_in_the_window(open_ballot, committee):
    with pytest.raises(VotingError, match="不在异议期内"):
        lodge_objection(open_ballot.vote, "计票有误", recorded_by=committee)

    vote = closed(open_ballot)
    lodge_objection(vote, "2幢101的纸质票漏录", recorded_by=committee, submitter="2幢101业主")
    with pytest.raises(VotingError, match="请填写异议内容"):
        lodge_objection(vote, "   ", recorded_by=committee)

    vote = move_clock(vote, deadline=-1)
    with pytest.raises(VotingError, match="不在异议期内"):
        lodge_objection(vote, "迟到的异议", recorded_by=committee)
    assert Objection.objects.count() == 1


def test_owners_object_online_with_their_code(client, open_ballot):
    vote = closed(open_ballot)
    url = reverse("voting:objection", args=[vote.pk])

    wrong = client.post(url, {"code": open_ballot.codes[A], "phone_tail": "9999", "text": "x"})
    right = client.post(
        url, {"code": open_ballot.codes[A], "phone_tail": TAIL[A], "text": "我投的是反对票"}
    )

    assert wrong.status_code == 400 and "手机号后四位" in wrong.content.decode()
    assert right.status_code == 200 and "您的异议已提交" in right.content.decode()
    objection = Objection.objects.get()
    assert objection.elector.owner_key and objection.text == "我投的是反对票"


def test_finalising_waits_for_the_window_and_for_answers(open_ballot, committee):
    vote = closed(open_ballot)
    objection = lodge_objection(vote, "计票有误", recorded_by=committee, submitter="业主")

    with pytest.raises(VotingError, match="届满后才能确认最终结果"):
        finalise_vote(vote, committee)
    vote = move_clock(vote, deadline=-1)
    with pytest.raises(VotingError, match="1 条异议尚未答复"):
        finalise_vote(vote, committee)
    assert close_due_votes() == {"closed": 0, "finalised": 0}  # the job waits for the answer

    answer_objection(objection, committee, "经核对纸质票，计票无误。")
    with pytest.raises(VotingError, match="已经答复过"):
        answer_objection(objection, committee, "再答一次")
    assert close_due_votes() == {"closed": 0, "finalised": 1}

    vote.refresh_from_db()
    assert vote.status == VoteStatus.FINAL
    assert list(vote.results.values_list("stage", flat=True).order_by("computed_at")) == [
        ResultStage.PRELIMINARY,
        ResultStage.FINAL,
    ]
    with pytest.raises(VotingError, match="只有处于异议期的表决"):
        finalise_vote(vote, committee)


def test_every_step_is_in_the_votes_audit_log(open_ballot, committee):
    cast_online(open_ballot.vote, open_ballot.codes[B], TAIL[B], "for", "10.0.0.1")
    vote = closed(open_ballot)
    vote = move_clock(vote, deadline=-1)
    finalise_vote(vote, committee)

    actions = list(
        ModelLogEntry.objects.for_instance(vote)
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["voting.open", "voting.codes", "voting.close", "voting.finalise"]


def test_the_result_page_exists_only_once_there_is_a_result(client, open_ballot):
    url = reverse("voting:result", args=[open_ballot.vote.pk])
    assert client.get(url).status_code == 404

    cast_online(open_ballot.vote, open_ballot.codes[C], TAIL[C], "against", "10.0.0.1")
    closed(open_ballot)

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "初步结果" in html and "未通过（参与表决不足）" in html
    assert "丙" not in html and "2幢1单元101室" not in html  # nobody's vote is shown


def test_a_vote_can_be_scoped_and_still_counted_on_close(compound, roll, committee):
    vote = open_vote(VoteFactory(compound=compound, buildings=["1幢"]), committee)
    move_clock(vote, closes=-1)
    close_due_votes()

    result = Vote.objects.get(pk=vote.pk).results.get()
    assert (result.eligible_heads, result.eligible_area) == (2, 230)


def test_beat_schedules_the_registered_closing_task():

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert close_due_votes.name in scheduled
    assert close_due_votes.name in app.tasks
