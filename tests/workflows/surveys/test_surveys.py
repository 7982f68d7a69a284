"""Owners answer the satisfaction survey at /survey/<id>/ with their unit's code and phone tail;
the committee keys paper questionnaires twice. One answer per unit, the latest counting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from content_types.evaluations.models import Channel, SurveyAnswer
from content_types.evaluations.scoring import latest_answers
from content_types.roles.models import Role
from tests.content_types.evaluations.factories import SurveyFactory
from tests.workflows.voting.conftest import TAIL as OWNER_TAIL
from tests.workflows.voting.conftest import A, C
from workflows.surveys.services import PaperAnswerInput, enter_paper_answer
from workflows.voting.services import FAILURE_LIMIT, VotingError

# Two units of owner A (one phone), and owner C's.
U1, U2, U3 = A, "1幢1单元102室", C
TAIL = {**OWNER_TAIL, U2: OWNER_TAIL[A]}

pytestmark = pytest.mark.django_db


def answer(client, survey, code, tail, cleaning="5", security="4", ip="10.0.0.1"):
    return client.post(
        reverse("surveys:detail", args=[survey.pk]),
        {"code": code, "phone_tail": tail, "q_cleaning": cleaning, "q_security": security},
        REMOTE_ADDR=ip,
    )


def test_an_owner_answers_online_changes_the_answer_and_the_latest_counts(client, open_one):
    survey = open_one.survey
    page = client.get(reverse("surveys:detail", args=[survey.pk]))
    html = page.content.decode()
    assert "测评码" in html and "1. 保洁服务" in html and "很不满意" in html

    typed = open_one.codes[U1].lower().replace("-", " ")
    first = answer(client, survey, typed, TAIL[U1], "5", "4")
    assert "已记录您的测评答卷" in first.content.decode()
    answer(client, survey, open_one.codes[U1], TAIL[U1], "2", "3")

    # Two units of one owner answer once each: the survey is per unit, not per owner.
    answer(client, survey, open_one.codes[U2], TAIL[U2], "4", "4")
    counted = {a.respondent.label: a.ratings for a in latest_answers([survey.pk])}
    assert counted == {
        U1: {"cleaning": 2, "security": 3},
        U2: {"cleaning": 4, "security": 4},
    }
    assert SurveyAnswer.objects.count() == 3  # the replaced answer is kept


@pytest.mark.parametrize(
    ("code_of", "tail", "message"),
    [
        ("nobody", TAIL[U1], "测评码不正确"),
        (U1, "9999", "手机号后四位与业主名册登记的不一致"),
        (U1, TAIL[U3], "手机号后四位与业主名册登记的不一致"),
    ],
)
def test_bad_credentials_are_refused_and_nothing_is_recorded(
    client, open_one, code_of, tail, message
):
    code = open_one.codes.get(code_of, "AAAA-BBBB-CCCC")
    response = answer(client, open_one.survey, code, tail)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SurveyAnswer.objects.exists()


def test_guessing_is_throttled_like_the_vote(client, open_one):
    survey = open_one.survey
    for _ in range(FAILURE_LIMIT):
        answer(client, survey, open_one.codes[U1], "9999", ip="10.0.0.9")
    # The code is paused even from another address, the right digits too.
    stopped = answer(client, survey, open_one.codes[U1], TAIL[U1], ip="10.0.0.10")

    assert stopped.status_code == 429
    assert "已暂停使用 10 分钟" in stopped.content.decode()
    assert not SurveyAnswer.objects.exists()


def test_an_unanswered_question_or_a_closed_survey_is_refused(client, open_one):
    survey = open_one.survey
    missing = client.post(
        reverse("surveys:detail", args=[survey.pk]),
        {"code": open_one.codes[U1], "phone_tail": TAIL[U1], "q_cleaning": "5"},
    )
    assert missing.status_code == 400
    assert "请对“秩序维护”作出评价。" in missing.content.decode()

    survey.closes_at = timezone.now() - timedelta(minutes=1)
    survey.save()
    late = answer(client, survey, open_one.codes[U1], TAIL[U1])
    assert "本次测评已于" in late.content.decode()
    assert not SurveyAnswer.objects.exists()


def test_a_draft_survey_is_not_public(client, compound, roll, firm):
    draft = SurveyFactory(compound=compound, firm=firm)

    assert client.get(reverse("surveys:detail", args=[draft.pk])).status_code == 404
    assert compound.title not in client.get(reverse("surveys:list")).content.decode()


def paper(ratings, received_at, room="101"):
    return PaperAnswerInput(
        building="2幢", entrance="1", room=room, ratings=ratings, received_at=received_at
    )


def test_paper_answers_count_once_two_people_key_them_alike(open_one, committee, committee2):
    survey = open_one.survey
    keyed = {"cleaning": 3, "security": 5}
    received = timezone.now() - timedelta(minutes=30)  # the survey opened an hour ago

    assert enter_paper_answer(survey, committee, paper(keyed, received)) is None
    with pytest.raises(VotingError, match="须由另一位工作人员复核录入"):
        enter_paper_answer(survey, committee, paper(keyed, received))
    with pytest.raises(VotingError, match="不一致（各题评分）"):
        enter_paper_answer(survey, committee2, paper({"cleaning": 3, "security": 4}, received))
    assert not SurveyAnswer.objects.exists()

    counted = enter_paper_answer(survey, committee2, paper(keyed, received))
    assert counted is not None
    assert (counted.channel, counted.ratings) == (Channel.PAPER, keyed)
    assert counted.respondent.label == U3


def test_paper_for_a_unit_outside_the_roll_is_refused(open_one, committee):
    with pytest.raises(VotingError, match="不在本次测评的房屋名册中"):
        enter_paper_answer(
            open_one.survey, committee, paper({"cleaning": 3}, timezone.now(), room="999")
        )


def test_another_compounds_committee_cannot_reach_the_survey(
    client, open_one, role_user, street_tree
):
    outsider = role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a2, username="committee_a2")
    client.force_login(outsider)
    survey = open_one.survey
    for name in ("detail", "codes", "paper"):
        assert client.get(reverse(f"surveys_admin:{name}", args=[survey.pk])).status_code == 404
    assert str(survey) not in client.get(reverse("surveys_admin:index")).content.decode()
