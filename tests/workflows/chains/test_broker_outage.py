"""A broker outage delays a notification; it never loses a review step or its e-mail.

Runs against a Redis server of the test's own (the shared one stays up for
everyone else), stopped while a reviewer approves and started again after.
"""

from __future__ import annotations

import socket
import subprocess
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from content_types.roles.models import Role
from content_types.structure.models import CompoundPage
from tests.celery_worker import celery_broker, celery_worker, wait_for
from tests.workflows.chains.chain_setup import COMPOUND_CONTENT_CHAIN, attach, ensure_scoped_chain
from workflows.chains.models import Notification
from workflows.chains.outbox import send_pending_notifications

from .admin_actions import review, submit_for_review

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


class PrivateRedis:
    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        assert wait_for(self.answers, 10), "Redis did not start"

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def answers(self) -> bool:
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", self.port)) == 0


@pytest.fixture
def private_redis(monkeypatch: pytest.MonkeyPatch) -> Iterator[PrivateRedis]:
    if subprocess.run(["which", "redis-server"], capture_output=True).returncode != 0:
        pytest.skip("redis-server is not installed")
    redis = PrivateRedis()
    try:
        with celery_broker(redis.url, monkeypatch):
            yield redis
    finally:
        redis.stop()


def as_user(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_approval_while_redis_is_down_still_publishes_and_mails_once_it_is_back(
    street_tree, role_user, private_redis, tmp_path: Path
) -> None:
    compound = street_tree.compound_a1
    attach(ensure_scoped_chain(*COMPOUND_CONTENT_CHAIN), [compound])
    author = role_user(Role.COMMISSIONER, compound, "commissioner_a1")
    author.email = "commissioner@weizhi.test"
    author.save()
    role_user(Role.COMMUNITY_OFFICE, street_tree.community_a, "office_a")

    submit_for_review(as_user("commissioner_a1"), compound, address="凤鸣路 101 号 1 幢")
    assert not private_redis.answers()  # the broker has been down all along

    response = review(as_user("office_a"), compound, "approve")

    assert response.status_code == 302
    assert CompoundPage.objects.get(pk=compound.pk).address == "凤鸣路 101 号 1 幢"
    approved = Notification.objects.get(event=Notification.Event.APPROVED)
    assert approved.delivered_at is None

    private_redis.start()
    mail_dir = tmp_path / "mail"
    with celery_worker(
        private_redis.url,
        WEIZHI_TEST_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        WEIZHI_TEST_EMAIL_DIR=str(mail_dir),
        WEIZHI_NOTIFICATION_SWEEP_GRACE_SECONDS="0",
    ) as queue:
        send_pending_notifications.apply_async(queue=queue)
        assert wait_for(lambda: not Notification.objects.filter(delivered_at=None).exists())

    sent = "".join(path.read_text() for path in mail_dir.iterdir())
    # The reviewer's "please review" and the author's "approved", each exactly once.
    assert Notification.objects.count() == 2
    assert sent.count("Subject:") == 2
    assert "To: commissioner@weizhi.test" in sent
    assert "To: office_a@weizhi.test" in sent
