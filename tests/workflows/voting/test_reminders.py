"""A building's reminder goes out through the site's channels and never names anyone.

The roll (conftest): 甲 and 乙 in 1幢; 丙, 丁 and 戊 in 2幢. 丙 has answered.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from content_types.notices.models import NoticePage
from content_types.roles.models import Role
from tests.api.factories import post_graphql, screen_token
from workflows.chains.outbox import Notification, deliver_notifications
from workflows.voting.services import cast_online, close_vote

from .conftest import TAIL, C
from .factories import move_clock

pytestmark = pytest.mark.django_db

NAMES = ("甲", "乙", "丙", "丁", "戊")
NOT_SAID = (*NAMES, "2幢1单元", "还差", "已表决", "参与表决，占", "13800000")
FEED = 'query { screenFeed(compound: "jinxiu") { notices { title summary expiresAt pinned } } }'


@pytest.fixture
def passers_on(role_user, compound, street_tree):
    return {
        "firm": role_user(Role.PROPERTY_FIRM, compound, username="firm_a1"),
        "commissioner": role_user(Role.COMMISSIONER, compound, username="commissioner_a1"),
        "other_firm": role_user(Role.PROPERTY_FIRM, street_tree.compound_a2, username="firm_a2"),
    }


@pytest.fixture
def one_answered(open_ballot):
    cast_online(open_ballot.vote, open_ballot.codes[C], TAIL[C], "for", "10.0.0.1")
    return open_ballot.vote


def send(client, vote, building: str):
    return client.post(
        reverse("voting_admin:reminder", args=[vote.pk]), {"building": building}, follow=True
    )


def test_the_reminder_is_published_and_sent_and_names_no_one(
    client, public_site, one_answered, committee, passers_on, django_capture_on_commit_callbacks
):
    vote = one_answered
    client.force_login(committee)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, vote, "2幢")
    assert "已将“【表决提醒】2幢业主：请参加业主大会表决”发布到小区公告栏" in (
        response.content.decode()
    )

    notice = NoticePage.objects.get(title="【表决提醒】2幢业主：请参加业主大会表决")
    assert notice.live and notice.pinned and notice.show_on_screens
    assert notice.expire_at == vote.closes_at  # off the board and the screens at the close
    public = client.get(notice.url).content.decode()
    assert vote.title in public and reverse("voting:detail", args=[vote.pk]) in public
    assert timezone.localtime(vote.closes_at).strftime("%Y年%m月%d日 %H:%M") in public
    assert not [word for word in NOT_SAID if word in public]

    feed = post_graphql(client, FEED, token=screen_token(vote.compound)).json()
    [on_screen] = feed["data"]["screenFeed"]["notices"]
    assert on_screen["title"] == notice.title and on_screen["pinned"] is True
    assert not [word for word in NOT_SAID if word in on_screen["summary"]]

    # Those who post it and pass it on are told, in the admin and by e-mail; not the sender,
    # not another compound's firm.
    sent = Notification.objects.filter(event=Notification.Event.VOTE_REMINDER)
    assert {row.recipient.username for row in sent} == {"firm_a1", "commissioner_a1"}
    for row in sent:
        assert "2幢" in row.subject and row.url == notice.url
        assert not [word for word in NOT_SAID if word in row.subject + row.body]
    deliver_notifications([row.pk for row in sent])
    assert len(mail.outbox) == 2
    assert not [word for word in NOT_SAID for message in mail.outbox if word in message.body]


def test_sending_again_refreshes_the_same_notice(client, public_site, one_answered, committee):
    client.force_login(committee)
    send(client, one_answered, "2幢")
    send(client, one_answered, "2幢")
    send(client, one_answered, "1幢")
    titles = sorted(
        NoticePage.objects.filter(title__startswith="【表决提醒】").values_list("title", flat=True)
    )
    assert titles == [
        "【表决提醒】1幢业主：请参加业主大会表决",
        "【表决提醒】2幢业主：请参加业主大会表决",
    ]


def test_an_unknown_building_or_a_closed_vote_is_refused_and_nothing_is_published(
    client, public_site, one_answered, committee
):
    client.force_login(committee)
    response = send(client, one_answered, "9幢")
    assert "本次表决的业主名册中没有“9幢”。" in response.content.decode()
    close_vote(move_clock(one_answered, closes=-1), committee)
    assert send(client, one_answered, "2幢").status_code == 404
    assert not NoticePage.objects.filter(title__startswith="【表决提醒】").exists()
    assert not Notification.objects.exists()
