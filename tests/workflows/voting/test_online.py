"""Owners vote online at /vote/<id>/ with the code from their letter and their phone's last four."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page

from workflows.voting.models import Ballot, Channel, VoteStatus
from workflows.voting.selectors import count_votes
from workflows.voting.services import issue_codes, open_vote

from .conftest import TAIL, A, B, C
from .factories import VoteFactory, codes_by_unit, move_clock

pytestmark = pytest.mark.django_db


def cast(client, vote, code, tail, choice="for", ip="10.0.0.1"):
    return client.post(
        reverse("voting:detail", args=[vote.pk]),
        {"code": code, "phone_tail": tail, "choice": choice},
        REMOTE_ADDR=ip,
    )


def test_the_voting_page_shows_the_matter_and_takes_a_ballot(client, open_ballot):
    vote = open_ballot.vote
    page = client.get(reverse("voting:detail", args=[vote.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert vote.title in html and "第9项：有关共有和共同管理权利的其他重大事项" in html
    assert "表决码" in html and "手机号后四位" in html

    # Codes are typed as people type them: lower case, spaces instead of dashes.
    typed = open_ballot.codes[A].lower().replace("-", " ")
    response = cast(client, vote, typed, TAIL[A], "against")

    assert response.status_code == 200
    assert "已记录您的表决意见：反对" in response.content.decode()
    ballot = Ballot.objects.get()
    assert (ballot.choice, ballot.channel) == ("against", Channel.ONLINE)


def test_an_owner_may_change_their_vote_and_the_last_one_counts(client, open_ballot):
    vote = open_ballot.vote
    cast(client, vote, open_ballot.codes[A], TAIL[A], "for")
    cast(client, vote, open_ballot.codes[A], TAIL[A], "abstain")

    first, second = Ballot.objects.order_by("pk")
    assert second.supersedes == first  # kept, and pointed at by its replacement
    counted = count_votes(vote)
    assert (counted.for_.heads, counted.abstain.heads, counted.participating.heads) == (0, 1, 1)


def test_a_draft_proposal_is_linked_only_once_it_is_published(client, open_ballot, compound):
    # A proposal in review is shown while it is voted on (test_proposal_while_voting); a
    # draft that is in no review is not.
    proposal = compound.add_child(instance=Page(title="更换电梯的申请", slug="lift", live=False))
    vote = open_ballot.vote
    vote.proposal = proposal
    vote.save()
    url = reverse("voting:detail", args=[vote.pk])

    assert "更换电梯的申请" not in client.get(url).content.decode()

    proposal.live = True
    proposal.save()
    assert "更换电梯的申请" in client.get(url).content.decode()


def test_a_draft_vote_is_not_public(client, compound, roll):
    draft = VoteFactory(compound=compound)

    assert client.get(reverse("voting:detail", args=[draft.pk])).status_code == 404
    assert draft.title not in client.get(reverse("voting:list")).content.decode()


@pytest.mark.parametrize(
    "code_for, tail, message",
    [
        ("unknown", TAIL[A], "表决码不正确"),
        ("other vote", TAIL[A], "该表决码不属于本次表决"),
        ("revoked", TAIL[A], "该表决码已作废"),
        ("own", "9999", "手机号后四位与业主名册登记的不一致"),
        ("own", TAIL[B], "手机号后四位与业主名册登记的不一致"),  # another owner's digits
    ],
)
def test_bad_credentials_are_refused_and_nothing_is_recorded(
    client, open_ballot, committee, compound, code_for, tail, message
):
    vote = open_ballot.vote
    code = open_ballot.codes[A]
    if code_for == "unknown":
        code = "ABCD-EFGH-JKLM"
    elif code_for == "other vote":
        other = open_vote(VoteFactory(compound=compound), committee)
        code = codes_by_unit(issue_codes(other, committee))[A]
    elif code_for == "revoked":
        issue_codes(vote, committee, building="1幢", entrance="1", room="101")

    response = cast(client, vote, code, tail)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_vote_before_it_opens_is_refused(client, open_ballot):
    vote = move_clock(open_ballot.vote, opens=30)
    page = client.get(reverse("voting:detail", args=[vote.pk])).content.decode()
    assert "开始，届时可以投票" in page and 'name="choice"' not in page

    response = cast(client, vote, open_ballot.codes[A], TAIL[A])

    assert response.status_code == 400
    assert "本次表决尚未开始" in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_vote_after_the_close_is_refused_even_before_the_count(client, open_ballot):
    vote = move_clock(open_ballot.vote, closes=-1)
    assert vote.status == VoteStatus.OPEN  # the periodic job has not run yet

    response = cast(client, vote, open_ballot.codes[A], TAIL[A])

    assert response.status_code == 400
    assert "已于" in response.content.decode() and "截止，不能再投票" in response.content.decode()
    assert not Ballot.objects.exists()


def test_an_incomplete_form_is_refused_in_chinese(client, open_ballot):
    response = client.post(
        reverse("voting:detail", args=[open_ballot.vote.pk]),
        {"code": open_ballot.codes[A], "phone_tail": "12"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "请输入业主名册登记的手机号后四位" in html and "请选择同意、反对或弃权" in html
    assert not Ballot.objects.exists()


def test_guessing_codes_is_throttled_per_client_and_vote(client, open_ballot):
    vote = open_ballot.vote
    for attempt in range(5):
        assert cast(client, vote, f"AAAA-BBBB-CC{attempt}{attempt}", TAIL[A]).status_code == 400

    blocked = cast(client, vote, open_ballot.codes[A], TAIL[A])  # even the right code

    assert blocked.status_code == 429
    assert "输入错误次数过多" in blocked.content.decode()
    assert not Ballot.objects.exists()
    # Another client is not punished for the first one's guesses.
    assert cast(client, vote, open_ballot.codes[C], TAIL[C], ip="10.0.0.2").status_code == 200


def test_guessing_the_four_digits_of_one_code_is_throttled_across_clients(client, open_ballot):
    vote = open_ballot.vote
    for attempt in range(5):
        cast(client, vote, open_ballot.codes[A], f"900{attempt}", ip=f"10.0.1.{attempt}")

    blocked = cast(client, vote, open_ballot.codes[A], TAIL[A], ip="10.0.2.1")

    assert blocked.status_code == 429
    assert "该表决码验证失败次数过多" in blocked.content.decode()
    assert not Ballot.objects.exists()


def test_public_pages_show_no_personal_data(client, open_ballot, roll):
    cast(client, open_ballot.vote, open_ballot.codes[A], TAIL[A], "for")
    pages = [
        client.get(reverse("voting:list")),
        client.get(reverse("voting:detail", args=[open_ballot.vote.pk])),
    ]

    for page in pages:
        html = page.content.decode()
        for unit in roll:
            assert unit.owner_phone not in html and unit.owner_name not in html
            assert unit.owner_key not in html


def test_the_public_list_takes_the_same_queries_however_many_votes(
    client, compound, roll, committee, django_assert_num_queries
):
    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("voting:list")).status_code == 200
        return len(captured)

    open_vote(VoteFactory(compound=compound), committee)
    few = count_queries()
    for _ in range(4):
        open_vote(VoteFactory(compound=compound), committee)

    with django_assert_num_queries(few):
        client.get(reverse("voting:list"))
