"""Whole votes through the web: created and run in the admin, voted on at /vote/, published.

The roll is the conftest's: five owners, 500 m² (A holds two units, 150 m²).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from workflows.voting.models import Vote, VoteStatus
from workflows.voting.tasks import close_due_votes

from .conftest import TAIL, A, B, C, D, E
from .factories import CODE, move_clock

pytestmark = pytest.mark.django_db
HOME = re.compile(r"\d+幢\d+单元\d+室")


def create_and_open(client, compound, matter: str, title: str) -> tuple[Vote, dict[str, str]]:
    """What the committee does in the admin: create, open, print the letters."""
    now = timezone.localtime()
    client.post(
        reverse("voting_admin:create"),
        {
            "compound": compound.pk,
            "matter": matter,
            "title": title,
            "opens_at": (now - timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M"),
            "closes_at": (now + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
            "objection_days": 5,
        },
    )
    vote = Vote.objects.get(title=title)
    assert client.post(reverse("voting_admin:open", args=[vote.pk])).status_code == 302
    letters = client.post(reverse("voting_admin:codes", args=[vote.pk]), {}).content.decode()
    codes = {}
    for letter in letters.split('class="letter"')[1:]:
        code = CODE.search(letter).group()
        codes.update(dict.fromkeys(HOME.findall(letter), code))
    return vote, codes


def vote_online(client, vote, codes, home, choice, ip="10.1.0.1"):
    response = client.post(
        reverse("voting:detail", args=[vote.pk]),
        {"code": codes[home], "phone_tail": TAIL[home], "choice": choice},
        REMOTE_ADDR=ip,
    )
    assert response.status_code == 200, response.content.decode()


def figures(html: str) -> list[tuple[str, str, str]]:
    return re.findall(r"<tr><td>(\S+?)</td><td>(\d+)</td><td>([\d.]+)</td></tr>", html)


def test_a_vote_passes_end_to_end_with_online_and_paper_ballots(
    client, compound, roll, committee, committee2
):
    client.force_login(committee)
    vote, codes = create_and_open(client, compound, "use_maintenance_fund", "更换 1 幢电梯")
    assert set(codes) == {A, "1幢1单元102室", B, C, D, E}

    vote_online(client, vote, codes, A, "for")
    vote_online(client, vote, codes, B, "against")
    vote_online(client, vote, codes, B, "for")  # B changes their mind; the last one counts
    vote_online(client, vote, codes, C, "for")
    received = (timezone.localtime() - timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M")
    paper = {
        "building": "2幢",
        "entrance": "1",
        "room": "201",
        "choice": "against",
        "received_at": received,
    }
    client.post(reverse("voting_admin:paper", args=[vote.pk]), paper)
    client.force_login(committee2)
    client.post(reverse("voting_admin:paper", args=[vote.pk]), paper)

    move_clock(vote, closes=-1)
    assert close_due_votes()["closed"] == 1

    result_url = reverse("voting:result", args=[vote.pk])
    preliminary = client.get(result_url).content.decode()
    assert "初步结果" in preliminary and ">通过<" in preliminary
    assert figures(preliminary) == [
        ("业主总数", "5", "500.00"),
        ("参与表决", "4", "440.00"),
        ("同意", "3", "350.00"),
        ("反对", "1", "90.00"),
        ("弃权", "0", "0.00"),
    ]
    assert "参与表决的业主人数占比 80.00%" in preliminary  # decide()'s own reason

    objected = client.post(
        reverse("voting:objection", args=[vote.pk]),
        {"code": codes[E], "phone_tail": TAIL[E], "text": "我没有收到表决通知书。"},
    )
    assert "您的异议已提交" in objected.content.decode()
    objection = vote.objections.get()
    detail = reverse("voting_admin:detail", args=[vote.pk])
    too_early = client.post(reverse("voting_admin:finalise", args=[vote.pk]), follow=True)
    assert "届满后才能确认最终结果" in too_early.content.decode()
    client.post(
        reverse("voting_admin:answer", args=[vote.pk, objection.pk]),
        {"response": "通知书已于开启当日送达，物业签收记录可查。"},
    )
    move_clock(vote, deadline=-1)
    finalised = client.post(reverse("voting_admin:finalise", args=[vote.pk]), follow=True)
    assert finalised.redirect_chain[-1][0] == detail
    assert "最终结果已确认并公布" in finalised.content.decode()

    final = client.get(result_url).content.decode()
    assert "最终结果" in final and ">通过<" in final and "1 条异议均已答复" in final
    assert figures(final) == figures(preliminary)
    for unit in roll:  # who voted how, or who anyone is, is never public
        assert unit.owner_name not in final and unit.label not in final
    assert Vote.objects.get(pk=vote.pk).status == VoteStatus.FINAL


def test_a_special_matter_fails_for_want_of_three_quarters(client, compound, roll, committee):
    client.force_login(committee)
    vote, codes = create_and_open(client, compound, "rebuild", "拆除 2 幢违章附属建筑后重建车棚")
    for home, choice in ((A, "for"), (B, "against"), (C, "against"), (D, "for")):
        vote_online(client, vote, codes, home, choice)

    move_clock(vote, closes=-1)
    close_due_votes()
    move_clock(vote, deadline=-1)
    assert close_due_votes()["finalised"] == 1  # no objections: the job finalises

    final = client.get(reverse("voting:result", args=[vote.pk])).content.decode()
    assert "最终结果" in final and "未通过（同意不足）" in final
    assert "同意的业主人数占参与表决人数的比例 50.00%（2/4 人），未达到四分之三。" in final
    assert ("同意", "2", "240.00") in figures(final)
    # Voting after the close is refused on the page too.
    late = client.post(
        reverse("voting:detail", args=[vote.pk]),
        {"code": codes[E], "phone_tail": TAIL[E], "choice": "for"},
    )
    assert late.status_code == 400 and "截止，不能再投票" in late.content.decode()
