"""An office's or role's group robot hears what its people are told, signed as its platform asks.

Every robot here is a real HTTP receiver on a loopback port started by the test; the worker's
sending step (``send_due_channel_messages``, what beat runs every minute) is called in-process,
and one test runs the real worker on the configured broker.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from content_types.cases import services
from content_types.cases.models import Case, CaseLevel
from content_types.cases.tasks import escalate_overdue_cases
from content_types.roles.models import Role
from tests.celery_worker import wait_for
from tests.content_types.cases.factories import REPORTER_NAME, REPORTER_PHONE, file
from tests.webhook_receiver import webhook_receiver
from workflows.channels.delivery import delete_old_channel_messages, send_due_channel_messages
from workflows.channels.models import Channel, ChannelMessage, MessageStatus

SECRET = "SECexample0123456789abcdef"  # noqa: S105 - a test's own secret


@pytest.fixture
def receiver() -> Any:
    with webhook_receiver() as running:
        yield running


@pytest.fixture
def people(street_tree, role_user) -> dict[str, Any]:
    return {
        "commissioner_a1": role_user(Role.COMMISSIONER, street_tree.compound_a1, "commissioner_a1"),
        "committee_a1": role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1, "committee_a1"),
        "committee_a2": role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a2, "committee_a2"),
        "office_a": role_user(Role.COMMUNITY_OFFICE, street_tree.community_a, "office_a"),
        "street_office": role_user(Role.STREET_OFFICE, street_tree.street, "street_office"),
    }


def channel(code: str, kind: str, address: str, scope: Any, role: str, **fields: Any) -> Channel:
    return Channel.objects.create(
        code=code, name=code, kind=kind, address=address, scope=scope, roles=[role], **fields
    )


def wecom(receiver: Any, scope: Any, code: str = "a1-wecom") -> Channel:
    return channel(
        code,
        "wecom",
        f"{receiver.url}/cgi-bin/webhook/send?key={code}",
        scope,
        Role.OWNERS_COMMITTEE,
    )


def dingtalk(receiver: Any, street: Any, **fields: Any) -> Channel:
    return channel(
        "street-dingtalk",
        "dingtalk",
        f"{receiver.url}/robot/send?access_token=street",
        street,
        Role.STREET_OFFICE,
        **fields,
    )


@pytest.mark.django_db
def test_a_committee_s_wecom_group_hears_of_a_case_in_its_compound_and_no_other(
    street_tree, people, receiver
) -> None:
    wecom(receiver, street_tree.compound_a1)
    wecom(receiver, street_tree.compound_a2, code="a2-wecom")
    case = file(people["commissioner_a1"], street_tree.compound_a1)

    assert send_due_channel_messages() == 1
    [got] = receiver.received
    assert got.path == "/cgi-bin/webhook/send" and got.query == {"key": "a1-wecom"}
    assert got.content_type.startswith("application/json")
    assert got.body["msgtype"] == "text"
    assert f"【诉求事件】{case.number} 3 幢楼道堆放电动车电池新登记至小区三方" in got.text
    assert "3 幢 2 单元楼道" in got.text and f"/admin/cases/{case.pk}/" in got.text
    # The reporter is personal data: never in a group chat.
    assert REPORTER_NAME not in got.text and REPORTER_PHONE not in got.text
    message = ChannelMessage.objects.get()
    assert (message.status, message.attempts, message.last_error) == (
        MessageStatus.DELIVERED,
        1,
        "",
    )
    assert send_due_channel_messages() == 0  # sent once


@pytest.mark.django_db
def test_a_street_office_s_dingtalk_robot_gets_a_signed_message(
    street_tree, people, receiver, monkeypatch
) -> None:
    monkeypatch.setenv("WEIZHI_TEST_DINGTALK_SECRET", SECRET)
    dingtalk(receiver, street_tree.street, secret_env="WEIZHI_TEST_DINGTALK_SECRET")
    case = file(people["office_a"], street_tree.community_a, title="商铺占道经营")
    services.escalate(case, people["office_a"], "多次劝导无效，请街道协调执法。")

    before = int(time.time() * 1000)
    assert send_due_channel_messages() == 1
    [got] = receiver.at("/robot/send")
    assert got.query["access_token"] == "street"
    assert got.signed_with(SECRET)
    assert before - 1000 <= int(got.query["timestamp"]) <= int(time.time() * 1000)
    assert "商铺占道经营已上报至街道微治办" in got.text and "多次劝导无效" in got.text
    assert not got.signed_with("another secret")


@pytest.mark.django_db
def test_a_failed_message_is_retried_after_its_wait_and_a_lasting_failure_shows_in_the_admin(
    street_tree, people, receiver, client, settings
) -> None:
    settings.WEIZHI_CHANNEL_RETRY_SECONDS = (60, 300)
    wecom(receiver, street_tree.compound_a1)
    receiver.answers = [(500, 0), (200, 93000), (200, 0)]
    file(people["commissioner_a1"], street_tree.compound_a1)
    message = ChannelMessage.objects.get()

    assert send_due_channel_messages() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 1)
    assert message.last_error == "平台返回 HTTP 500。"
    assert timedelta(seconds=55) < message.next_attempt_at - timezone.now() <= timedelta(seconds=60)
    assert send_due_channel_messages() == 0 and len(receiver.received) == 1  # not due yet

    ChannelMessage.objects.update(next_attempt_at=timezone.now())
    assert send_due_channel_messages() == 0
    message.refresh_from_db()
    assert message.attempts == 2 and "errcode 93000" in message.last_error
    assert message.next_attempt_at - timezone.now() > timedelta(seconds=290)

    ChannelMessage.objects.update(next_attempt_at=timezone.now())
    assert send_due_channel_messages() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        MessageStatus.DELIVERED,
        3,
        "",
    )

    # A robot that never answers: after the last wait the message is marked failed, and the
    # street office finds it with its error under 站点配置 › 通知投递.
    dead = wecom(receiver, street_tree.compound_a2, code="a2-wecom")
    Channel.objects.filter(pk=dead.pk).update(address="http://127.0.0.1:9/cgi-bin/webhook/send")
    file(people["office_a"], street_tree.compound_a2, title="消防通道被占")
    for _ in range(3):
        ChannelMessage.objects.filter(status=MessageStatus.PENDING).update(
            next_attempt_at=timezone.now()
        )
        send_due_channel_messages()
    failed = ChannelMessage.objects.get(channel=dead)
    assert (failed.status, failed.attempts, failed.next_attempt_at) == (
        MessageStatus.FAILED,
        3,
        None,
    )
    assert failed.last_error.startswith("无法连接到群机器人地址")

    client.force_login(people["street_office"])
    listing = client.get(reverse("site_config_channelmessage:index"), {"status": "failed"})
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "消防通道被占" in text and "无法连接到群机器人地址" in text and "发送失败" in text
    client.force_login(people["committee_a2"])
    assert client.get(reverse("site_config_channelmessage:index")).status_code in (302, 403)


@pytest.mark.django_db
def test_no_outside_host_is_called_and_a_missing_secret_is_named(
    street_tree, people, receiver, monkeypatch
) -> None:
    monkeypatch.delenv("WEIZHI_TEST_DINGTALK_SECRET", raising=False)
    outside = wecom(receiver, street_tree.compound_a1)
    Channel.objects.filter(pk=outside.pk).update(
        address="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=example"
    )
    dingtalk(receiver, street_tree.street, secret_env="WEIZHI_TEST_DINGTALK_SECRET")
    case = file(people["commissioner_a1"], street_tree.compound_a1)
    Case.objects.filter(pk=case.pk).update(level=CaseLevel.COMMUNITY)
    services.escalate(Case.objects.get(pk=case.pk), people["office_a"], "请街道协调。")

    assert send_due_channel_messages() == 0
    assert receiver.received == []
    errors = dict(ChannelMessage.objects.values_list("channel__code", "last_error"))
    assert errors["a1-wecom"].startswith("本环境只允许发送到 127.0.0.1")
    assert "“qyapi.weixin.qq.com”" in errors["a1-wecom"]
    assert errors["street-dingtalk"] == (
        "环境变量 WEIZHI_TEST_DINGTALK_SECRET 未设置，无法为钉钉消息签名。"
    )


@pytest.mark.django_db
def test_an_office_mailbox_gets_the_notice_by_e_mail(street_tree, people) -> None:
    channel(
        "fengming-mail",
        "email",
        "wzb@fengming.example",
        street_tree.community_a,
        Role.COMMUNITY_OFFICE,
    )
    file(people["office_a"], street_tree.compound_a1)  # the office files: it is not told
    assert ChannelMessage.objects.count() == 0
    case = file(people["commissioner_a1"], street_tree.compound_a1, title="电梯困人")
    services.escalate(case, people["commissioner_a1"], "物业未及时处置。")

    assert send_due_channel_messages() == 1
    [sent] = [m for m in mail.outbox if m.to == ["wzb@fengming.example"]]
    assert "电梯困人已上报至社区微治办" in sent.subject and "物业未及时处置" in sent.body


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_that_escalates_a_case_also_tells_the_robot(
    street_tree, people, receiver, monkeypatch, worker_queue
) -> None:
    channel(
        "fengming-dingtalk",
        "dingtalk",
        f"{receiver.url}/robot/send?access_token=fengming",
        street_tree.community_a,
        Role.COMMUNITY_OFFICE,
    )
    case = file(people["commissioner_a1"], street_tree.compound_a1)
    Case.objects.filter(pk=case.pk).update(deadline_at=timezone.now() - timedelta(minutes=1))
    escalate_overdue_cases.apply_async(queue=worker_queue)

    assert wait_for(lambda: bool(receiver.at("/robot/send")))
    [got] = receiver.at("/robot/send")
    assert "已上报至社区微治办" in got.text and "小区三方逾期未办结" in got.text
    assert wait_for(
        lambda: ChannelMessage.objects.filter(status=MessageStatus.DELIVERED).count() == 1
    )


@pytest.mark.django_db
def test_a_robot_whose_address_is_its_key_is_reached_at_the_address_in_the_environment(
    street_tree, people, receiver, monkeypatch, client
) -> None:
    keyed = wecom(receiver, street_tree.compound_a1)
    Channel.objects.filter(pk=keyed.pk).update(address="", address_env="WEIZHI_TEST_WECOM_URL")
    monkeypatch.setenv("WEIZHI_TEST_WECOM_URL", f"{receiver.url}/cgi-bin/webhook/send?key=secret")
    file(people["commissioner_a1"], street_tree.compound_a1)

    assert send_due_channel_messages() == 1
    assert receiver.received[0].query == {"key": "secret"}
    # The admin never shows a robot's key.
    client.force_login(people["street_office"])
    dingtalk(receiver, street_tree.street)
    for channel in Channel.objects.all():
        page = client.get(
            reverse("site_config_channel:inspect", args=[channel.pk])
        ).content.decode()
        assert "key=" not in page and "access_token" not in page


@pytest.mark.django_db
def test_the_street_office_sends_a_failed_message_again_once_its_cause_is_mended(
    street_tree, people, receiver, client, settings, django_capture_on_commit_callbacks
) -> None:
    settings.WEIZHI_CHANNEL_RETRY_SECONDS = (60,)
    wecom(receiver, street_tree.compound_a1)
    receiver.answers = [(200, 93000)]  # the robot refuses until its key is mended
    file(people["commissioner_a1"], street_tree.compound_a1)
    for _ in range(2):
        ChannelMessage.objects.filter(status=MessageStatus.PENDING).update(
            next_attempt_at=timezone.now()
        )
        send_due_channel_messages()
    message = ChannelMessage.objects.get()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 2)
    url = reverse("site_config_channelmessage:send_again", args=[message.pk])

    client.force_login(people["committee_a1"])
    assert client.post(url).status_code in (302, 403)
    client.force_login(people["street_office"])
    listing = client.get(reverse("site_config_channelmessage:index")).content.decode()
    assert url in listing and "重新发送" in listing
    confirmation = client.get(url).content.decode()
    assert "errcode 93000" in confirmation and "已尝试 2 次" in confirmation
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED  # asking is not sending
    hostile = url.replace(f"/{message.pk}/", "/1%20OR%201=1/")
    assert client.post(hostile).status_code == 404
    assert client.get(url.replace(f"/{message.pk}/", f"/{message.pk + 999}/")).status_code == 404

    receiver.answers = [(200, 0)]
    with django_capture_on_commit_callbacks() as handed_off:
        response = client.post(url, follow=True)
    assert "已安排重新发送" in response.content.decode()
    assert len(handed_off) == 1  # to the worker once committed; the sweep also finds it due
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 0)
    assert send_due_channel_messages() == 1
    message.refresh_from_db()
    assert (message.status, message.last_error) == (MessageStatus.DELIVERED, "")
    assert len(receiver.received) == 3

    # Delivered: nothing to send again, and nothing is sent.
    response = client.post(url, follow=True)
    assert "只有发送失败的通知可以重新发送" in response.content.decode()
    assert send_due_channel_messages() == 0 and len(receiver.received) == 3


@pytest.mark.django_db
def test_old_delivered_and_failed_messages_are_deleted_and_those_still_tried_are_kept(
    street_tree, settings
) -> None:
    robot = channel(
        "a1-mail", "email", "a1@example.com", street_tree.compound_a1, Role.STREET_OFFICE
    )
    ages = {
        ("delivered", 200): "old delivered",
        ("failed", 200): "old failed",
        ("pending", 200): "old pending",
        ("delivered", 10): "recent delivered",
        ("failed", 10): "recent failed",
    }
    for (status, days), subject in ages.items():
        row = ChannelMessage.objects.create(
            channel=robot, event="case", subject=subject, body="…", status=status
        )
        ChannelMessage.objects.filter(pk=row.pk).update(
            created_at=timezone.now() - timedelta(days=days)
        )
    settings.WEIZHI_CHANNEL_MESSAGE_DAYS = 180

    assert delete_old_channel_messages() == 2
    assert set(ChannelMessage.objects.values_list("subject", flat=True)) == {
        "old pending",
        "recent delivered",
        "recent failed",
    }
