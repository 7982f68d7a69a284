"""While a vote is open, owners see its overall turnout only where the street chose to show it.

The roll (conftest): five owners, 500 m²; 甲 (150 m², 1幢) and 丙 (120 m², 2幢) have answered.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from workflows.voting.models import VotingPolicy
from workflows.voting.services import cast_online, close_vote

from .conftest import TAIL, A, C
from .factories import move_clock

pytestmark = pytest.mark.django_db

OVERALL = "已有 <strong>2</strong> 位业主参与表决，占业主总人数 5 人的 40.00%"
AREA = "参与表决的专有部分面积 <strong>270.00</strong> 平方米，占总面积 500.00 平方米的 54.00%"


@pytest.fixture
def two_answered(open_ballot):
    vote = open_ballot.vote
    cast_online(vote, open_ballot.codes[A], TAIL[A], "against", "10.0.0.1")
    cast_online(vote, open_ballot.codes[C], TAIL[C], "for", "10.0.0.2")
    return vote


def page(client, vote) -> str:
    return client.get(reverse("voting:detail", args=[vote.pk])).content.decode()


def test_by_default_owners_see_no_participation_while_the_vote_is_open(client, two_answered):
    html = page(client, two_answered)
    assert "提交表决意见" in html
    assert "参与表决，占" not in html and "270.00" not in html and "还差" not in html


def test_where_the_street_allows_it_owners_see_the_overall_turnout_and_nothing_more(
    client, two_answered, committee
):
    VotingPolicy.objects.create(public_turnout=True)
    html = page(client, two_answered)
    assert OVERALL in html and AREA in html
    assert "还差 2 位业主、63.34 平方米。" in html
    # Never per building, never a choice.
    for hidden in ("1幢", "2幢", "150.00", "120.00", "同意 1", "反对 1"):
        assert hidden not in html

    # Once closed, the turnout is the result's, on the result page.
    close_vote(move_clock(two_answered, closes=-1), committee)
    assert OVERALL not in page(client, two_answered)
