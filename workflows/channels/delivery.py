"""Channel messages: written with the step, sent by the worker, retried with growing waits.

``record`` runs inside the transaction of whatever notified (a review step, a case's
escalation), so a message is written or rolled back with it and the request never waits for
a robot. The worker sends it after commit; a failed attempt waits
``WEIZHI_CHANNEL_RETRY_SECONDS[n]`` before the next, and after the last the message is marked
失败 and stays listed in the admin with its error, where the street office can send it again
once the cause is mended (``send_again``). ``send_due_channel_messages`` (beat, every minute)
sends what is due: retries, and what a broker outage kept from the direct hand-off;
``delete_old_channel_messages`` (nightly) deletes the delivered and failed ones after
``WEIZHI_CHANNEL_MESSAGE_DAYS``, as their texts may name people.
"""

from __future__ import annotations

import logging
import os
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import HTTPRedirectHandler, ProxyHandler, Request, build_opener

from celery import current_task, shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from content_types.roles.models import RoleAssignment

from .models import Channel, ChannelKind, ChannelMessage, MessageStatus
from .signing import dingtalk_url, refusal_of, text_payload

if TYPE_CHECKING:
    from collections.abc import Iterable

logger = logging.getLogger(__name__)

# While one worker sends a message, no other takes it; longer than any request may last.
LEASE = timedelta(minutes=5)
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class DeliveryFailed(Exception):
    """An attempt that did not reach the group; the message (Chinese) goes to the admin."""


def follow_up_options() -> dict[str, Any]:
    """Send follow-up work to the queue the running task came from (none outside a task)."""
    request = getattr(current_task, "request", None)
    queue = (getattr(request, "delivery_info", None) or {}).get("routing_key")
    return {"queue": queue} if queue else {}


def record(recipient_ids: Iterable[int], event: str, subject: str, body: str, url: str) -> None:
    """Write a message for every active channel of an office or role among the recipients.

    A channel matches when one of the recipients holds one of its roles on its own scope: the
    street office's robot hears what the street office is told, not every message of the site.
    """
    channels = [channel for channel in Channel.objects.all() if channel.takes(event)]
    if not channels:
        return
    held = set(
        RoleAssignment.objects.filter(
            user_id__in=list(recipient_ids),
            role__in={role for channel in channels for role in channel.roles},
            scope_id__in={channel.scope_id for channel in channels},
        ).values_list("role", "scope_id")
    )
    rows = ChannelMessage.objects.bulk_create(
        ChannelMessage(channel=channel, event=event, subject=subject, body=body, url=url)
        for channel in channels
        if any((role, channel.scope_id) in held for role in channel.roles)
    )
    ids = [row.pk for row in rows]
    if ids:
        options = follow_up_options()
        transaction.on_commit(lambda: hand_off(ids, options))


def send_again(message: ChannelMessage) -> None:
    """A failed message is due again now, with every retry of a new message, once committed."""
    ChannelMessage.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
        status=MessageStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    transaction.on_commit(lambda: hand_off([message.pk], {}))


def hand_off(ids: list[int], options: dict[str, Any]) -> None:
    try:
        deliver_channel_messages.apply_async(args=[ids], retry=False, **options)
    except Exception:  # any broker failure: the rows stay due for the sweep
        logger.warning("消息队列不可用，%d 条渠道通知将在队列恢复后补发。", len(ids), exc_info=True)


def text_of(message: ChannelMessage) -> str:
    link = f"{settings.WAGTAILADMIN_BASE_URL}{message.url}" if message.url else ""
    return "\n".join(part for part in (message.subject, message.body, link) if part)


def _post(address: str, payload: bytes) -> bytes:
    host = urlsplit(address).hostname or ""
    allowed = settings.WEIZHI_CHANNEL_HOSTS
    if allowed is not None and host not in allowed:
        raise DeliveryFailed(f"本环境只允许发送到 {', '.join(allowed)}，未发送到“{host}”。")
    handlers: list[Any] = [_NoRedirect()]
    if host in LOOPBACK:
        handlers.append(ProxyHandler({}))  # a proxy of the environment never sees loopback
    request = Request(  # noqa: S310 - the scheme is checked before (``send``)
        address, data=payload, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with build_opener(*handlers).open(
            request, timeout=settings.WEIZHI_CHANNEL_TIMEOUT_SECONDS
        ) as response:
            return response.read(64 * 1024)
    except HTTPError as error:
        raise DeliveryFailed(f"平台返回 HTTP {error.code}。") from error
    except (URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DeliveryFailed(f"无法连接到群机器人地址：{reason}") from error


class _NoRedirect(HTTPRedirectHandler):
    """A robot's address answers itself; a redirect elsewhere is refused, not followed."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def address_of(channel: Channel) -> str:
    if not channel.address_env:
        return channel.address
    address = os.environ.get(channel.address_env, "")
    if not address:
        raise DeliveryFailed(f"环境变量 {channel.address_env} 未设置，不知道发送地址。")
    return address


def secret_of(channel: Channel) -> str:
    if not channel.secret_env:
        return ""
    secret = os.environ.get(channel.secret_env, "")
    if not secret:
        raise DeliveryFailed(f"环境变量 {channel.secret_env} 未设置，无法为钉钉消息签名。")
    return secret


def send(message: ChannelMessage) -> None:
    """One attempt; raises ``DeliveryFailed`` with the reason."""
    channel = message.channel
    text = text_of(message)
    address = address_of(channel)
    if channel.kind == ChannelKind.EMAIL:
        try:
            send_mail(message.subject, text, None, [address])
        except Exception as error:
            raise DeliveryFailed(f"邮件发送失败：{error}") from error
        return
    if urlsplit(address).scheme not in ("http", "https"):
        raise DeliveryFailed("群机器人地址应为 http:// 或 https:// 开头的 Webhook 地址。")
    if channel.kind == ChannelKind.DINGTALK:
        address = dingtalk_url(address, secret_of(channel), int(time.time() * 1000))
    refusal = refusal_of(_post(address, text_payload(text)))
    if refusal:
        raise DeliveryFailed(refusal)


def deliver(message_id: int) -> bool:
    """Try one due message once, even if two workers race for it; True when it arrived."""
    now = timezone.now()
    claimed = ChannelMessage.objects.filter(
        pk=message_id, status=MessageStatus.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE)
    if not claimed:
        return False
    message = ChannelMessage.objects.select_related("channel").get(pk=message_id)
    attempts = message.attempts + 1
    try:
        send(message)
    except Exception as error:  # any failure is this message's, never the worker's
        if not isinstance(error, DeliveryFailed):
            error = DeliveryFailed(f"发送出错：{error!r}")
        waits = settings.WEIZHI_CHANNEL_RETRY_SECONDS
        given_up = attempts > len(waits)
        ChannelMessage.objects.filter(pk=message_id).update(
            attempts=attempts,
            last_error=str(error)[:2000],
            status=MessageStatus.FAILED if given_up else MessageStatus.PENDING,
            next_attempt_at=None if given_up else now + timedelta(seconds=waits[attempts - 1]),
        )
        logger.warning("渠道通知 %s 第 %d 次发送失败：%s", message_id, attempts, error)
        return False
    ChannelMessage.objects.filter(pk=message_id).update(
        attempts=attempts,
        status=MessageStatus.DELIVERED,
        delivered_at=timezone.now(),
        last_error="",
    )
    return True


@shared_task(name="workflows.channels.deliver_channel_messages")
def deliver_channel_messages(ids: list[int]) -> int:
    return sum(deliver(pk) for pk in ids)


@shared_task(name="workflows.channels.send_due_channel_messages")
def send_due_channel_messages() -> int:
    """Retries whose wait is over, and messages the direct hand-off missed."""
    due = ChannelMessage.objects.filter(
        status=MessageStatus.PENDING, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at")
    return sum(deliver(pk) for pk in list(due.values_list("pk", flat=True)[:200]))


@shared_task(name="workflows.channels.delete_old_channel_messages")
def delete_old_channel_messages() -> int:
    """Delete delivered and failed messages older than ``WEIZHI_CHANNEL_MESSAGE_DAYS``; how
    many went. A message still being tried is kept whatever its age."""
    cutoff = timezone.now() - timedelta(days=settings.WEIZHI_CHANNEL_MESSAGE_DAYS)
    deleted, _ = ChannelMessage.objects.filter(
        status__in=[MessageStatus.DELIVERED, MessageStatus.FAILED], created_at__lt=cutoff
    ).delete()
    return deleted
