"""A firm's score per period: built from the survey, both evaluations, the published fee rate,
the complaints filed and Party coverage, with the figures behind each part, ranked across the
street when the street closes the period."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content_types.cases.models import CaseCategory
from content_types.evaluations.models import (
    EvaluationPeriod,
    Evaluator,
    FirmScore,
    PeriodStatus,
    SurveyStatus,
)
from content_types.evaluations.services import EvaluationError, close_period, firm_scores
from content_types.firms.models import PartyOrganisationStatus
from content_types.roles.models import Role
from tests.content_types.cases.factories import file
from tests.content_types.disclosures.factories import FeeCollectionPageFactory
from tests.content_types.units.factories import UnitFactory
from workflows.surveys.services import (
    PaperAnswerInput,
    answer_online,
    enter_paper_answer,
    issue_codes,
    open_survey,
)

from .factories import (
    EvaluationPeriodFactory,
    FirmEvaluationFactory,
    SurveyFactory,
    firm_serving,
    policy,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(street_tree, role_user):
    """锦绣花园's firm with every part of the score; 阳光水岸's with only complaints and Party."""
    a1, a2 = street_tree.compound_a1, street_tree.compound_a2
    policy(excellent_min=Decimal("80.00"))
    period = EvaluationPeriodFactory(title="2026年下半年")
    good = firm_serving(
        a1, name="百官物业", party_status=PartyOrganisationStatus.JOINT, full_party_member_count=2
    )
    plain = firm_serving(a2, name="水岸物业")
    committee = role_user(Role.OWNERS_COMMITTEE, a1, username="committee_a1")
    second = role_user(Role.OWNERS_COMMITTEE, a1, username="committee_a1_b")
    for room, phone in (("101", "13800000001"), ("102", "13800000002"), ("103", "13800000003")):
        UnitFactory(compound=a1, building="1幢", entrance="", room=room, owner_phone=phone)
    survey = open_survey(SurveyFactory(period=period, compound=a1, firm=good), committee)
    codes = {item.respondent.room: item.code for item in issue_codes(survey, committee)}
    answer_online(survey, codes["101"], "0001", {"cleaning": 5, "security": 4}, "10.0.0.1")
    answer_online(survey, codes["101"], "0001", {"cleaning": 4, "security": 4}, "10.0.0.1")
    keyed = PaperAnswerInput(
        "1幢", "", "102", {"cleaning": 3, "security": 5}, timezone.now() - timedelta(minutes=5)
    )
    enter_paper_answer(survey, committee, keyed)
    enter_paper_answer(survey, second, keyed)
    FirmEvaluationFactory(period=period, compound=a1, firm=good, ratings=(5, 4))
    FirmEvaluationFactory(
        period=period, compound=a1, firm=good, evaluator=Evaluator.COMMUNITY, ratings=(3,)
    )
    FeeCollectionPageFactory(
        parent=a1,
        period_start=period.starts_on,
        period_end=period.ends_on,
        amount_due=Decimal("1000.00"),
        amount_collected=Decimal("900.00"),
    )
    commissioner = role_user(Role.COMMISSIONER, a1, username="commissioner_a1")
    file(commissioner, a1, category=CaseCategory.COMPLAINT, title="保洁不到位")
    file(commissioner, a1, category=CaseCategory.HAZARD)  # not about the firm's service
    return period, good, plain, survey


def test_closing_the_period_scores_ranks_and_explains_every_firm(scored, street_tree):
    period, good, plain, survey = scored
    close_period(period, None)

    scores = firm_scores(period)
    best, other = scores[good.pk], scores[plain.pk]
    parts = {part["part"]: part for part in best.parts}
    # 保洁 (×2): 4 and 3 → 80 and 60 points, mean 70; 秩序维护: 4 and 5 → 90; (2×70 + 90) / 3.
    assert parts["survey"]["score"] == "76.67"
    assert "共 3 户，2 户作答" in parts["survey"]["basis"]
    assert "保洁服务 70.00 分" in parts["survey"]["basis"]
    assert (parts["committee"]["score"], parts["community"]["score"]) == ("90.00", "60.00")
    assert parts["fee_collection"]["score"] == "90.00"
    assert "应收 1000.00 元，实收 900.00 元" in parts["fee_collection"]["basis"]
    assert parts["cases"]["score"] == "95.00"
    assert "服务投诉 1 件" in parts["cases"]["basis"]
    assert parts["party"]["score"] == "100.00"
    # (40×76.67 + 15×90 + 15×60 + 10×90 + 10×95 + 10×100) / 100, in exact fractions.
    assert best.total == Decimal("81.67")
    # No survey, evaluation or fee figures: only complaints (100) and Party (0) count, 10 each.
    assert other.total == Decimal("50.00")
    assert [part["score"] for part in other.parts][:4] == [None, None, None, None]
    assert (best.rank, best.excellent, other.rank, other.excellent) == (1, True, 2, False)

    period.refresh_from_db()
    survey.refresh_from_db()
    assert (period.status, survey.status) == (PeriodStatus.CLOSED, SurveyStatus.CLOSED)
    with pytest.raises(EvaluationError, match="已经结束"):
        close_period(period, None)
    assert FirmScore.objects.count() == 2


def test_an_open_period_has_no_scores_yet(scored):
    period, *_ = scored
    assert firm_scores(period) == {}
    assert firm_scores("2026年下半年") == {}


def test_the_firm_reads_its_own_score_and_the_public_reads_the_ranking(
    scored, street_tree, role_user, client
):
    period, good, plain, _ = scored
    close_period(period, None)
    best = FirmScore.objects.get(firm=good)
    own = role_user(Role.PROPERTY_FIRM, street_tree.compound_a1, username="firm_a1")
    other = role_user(Role.PROPERTY_FIRM, street_tree.compound_a2, username="firm_a2")

    client.force_login(own)
    detail = client.get(reverse("evaluations_admin:score", args=[best.pk]))
    assert detail.status_code == 200
    assert "81.67" in detail.content.decode() and "服务投诉 1 件" in detail.content.decode()

    client.force_login(other)
    assert client.get(reverse("evaluations_admin:score", args=[best.pk])).status_code == 404
    ranking = client.get(reverse("evaluations_admin:scores")).content.decode()
    assert "百官物业" in ranking and "第 1 名" in ranking  # totals and ranks are public anyway

    client.logout()
    public = client.get(reverse("evaluations:excellent")).content.decode()
    assert "2026年下半年" in public and "百官物业" in public and "81.67" in public
    assert "应收" not in public and "服务投诉 1 件" not in public  # the figures stay in the admin


def test_the_ranking_and_the_evaluation_list_cost_the_same_for_more_firms(
    street_tree, role_user, client
):
    policy()
    street = role_user(Role.STREET_OFFICE, street_tree.street, username="street_office")
    client.force_login(street)
    urls = [reverse("evaluations_admin:scores"), reverse("evaluations_admin:evaluations")]

    def cost() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    EvaluationPeriodFactory(title="上期")
    firm_serving(street_tree.compound_a1)
    close_period(EvaluationPeriod.objects.get(title="上期"), None)
    EvaluationPeriodFactory(title="本期")
    few = cost()
    for compound in (street_tree.compound_a2, street_tree.compound_b1, street_tree.compound_b2):
        firm_serving(compound)
    close_period(EvaluationPeriodFactory(title="又一期"), None)
    assert cost() == few
