"""Notification channels in the file (``notification_channels``): values, checks and saving.

A channel belongs to an office or role: the holders of ``roles`` on ``scope``, so each role
must be one granted on that level. The rows are ``workflows.channels.models.Channel``; the
worker sends through them (``workflows.channels.delivery``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from content_types.roles.models import ROLE_SCOPE_LEVEL, Role, ScopeLevel
from workflows.chains.outbox import Notification
from workflows.channels.models import Channel, ChannelKind

from .models import ManagedObject

if TYPE_CHECKING:
    from . import schema
    from .handlers.context import Context
    from .plan import Change
    from .state import State


def _ordered(codes: list[str], order: list[str]) -> tuple[str, ...]:
    """Codes once each, in the models' order, so the file's order is not a change."""
    return tuple(code for code in order if code in set(codes))


def file_values(channel: schema.NotificationChannel) -> dict[str, Any]:
    return {
        "name": channel.name,
        "type": channel.type,
        "address": channel.address,
        "address_env": channel.address_env,
        "secret_env": channel.secret_env,
        "scope": channel.scope,
        "roles": _ordered(channel.roles, Role.values),
        "events": _ordered(channel.events, Notification.Event.values),
        "active": channel.active,
    }


def problems(
    channel: schema.NotificationChannel, levels: dict[str, str]
) -> list[tuple[tuple[Any, ...], str]]:
    """What is wrong with a channel of the file, by its path within the channel."""
    found: list[tuple[tuple[Any, ...], str]] = []
    if bool(channel.address) == bool(channel.address_env):
        found.append((("address",), "请填写 address 或 address_env 其中之一。"))
    elif channel.address_env:
        pass  # read when sending; a missing variable shows as the message's error
    elif channel.type == ChannelKind.EMAIL:
        try:
            validate_email(channel.address)
        except ValidationError:
            found.append((("address",), f"“{channel.address}”不是有效的邮箱地址。"))
    else:
        parts = urlsplit(channel.address)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            found.append(
                (("address",), "群机器人地址应为 http:// 或 https:// 开头的 Webhook 地址。")
            )
    if channel.secret_env and channel.type != ChannelKind.DINGTALK:
        found.append((("secret_env",), "只有钉钉群机器人使用签名密钥，请删去 secret_env。"))
    level = levels.get(channel.scope)
    for index, role in enumerate(channel.roles):
        if level is not None and ROLE_SCOPE_LEVEL[role] != level:
            found.append(
                (
                    ("roles", index),
                    f"“{Role(role).label}”授予在{ScopeLevel(ROLE_SCOPE_LEVEL[role]).label}上，"
                    f"“{channel.scope}”是{ScopeLevel(level).label}。",
                )
            )
    return found


def current_values(state: State, slug_by_id: dict[int, str]) -> None:
    """The channels the database holds, into ``state`` (one query)."""
    for channel in Channel.objects.order_by("sort_order", "code"):
        state.values["channel"][channel.code] = {
            "name": channel.name,
            "type": channel.kind,
            "address": channel.address,
            "address_env": channel.address_env,
            "secret_env": channel.secret_env,
            "scope": slug_by_id.get(channel.scope_id, ""),
            "roles": _ordered(channel.roles, Role.values),
            "events": _ordered(channel.events, Notification.Event.values),
            "active": channel.active,
        }
        state.objects["channel"][channel.code] = channel
        state.managed["channel"].add(channel.code)


def save_channel(change: Change, context: Context) -> None:
    values = change.values
    channel = context.current.objects["channel"].get(change.key) or Channel(code=change.key)
    channel.name = values["name"]
    channel.kind = values["type"]
    channel.address = values["address"]
    channel.address_env = values["address_env"]
    channel.secret_env = values["secret_env"]
    channel.scope = context.pages[values["scope"]]
    channel.roles = list(values["roles"])
    channel.events = list(values["events"])
    channel.active = values["active"]
    channel.sort_order = [c.code for c in context.config.notification_channels].index(change.key)
    channel.save()


def remove_channel(change: Change, context: Context) -> None:
    ManagedObject.objects.filter(kind="channel", key=change.key).delete()
    context.current.objects["channel"][change.key].delete()


def export_values(state: State) -> list[dict[str, Any]]:
    channels = []
    for code, values in state.values["channel"].items():
        item: dict[str, Any] = {"code": code, "name": values["name"], "type": values["type"]}
        for key in ("address", "address_env"):
            if values[key]:
                item[key] = values[key]
        if values["secret_env"]:
            item["secret_env"] = values["secret_env"]
        item.update(scope=values["scope"], roles=list(values["roles"]))
        if values["events"]:
            item["events"] = list(values["events"])
        if not values["active"]:
            item["active"] = False
        channels.append(item)
    return channels
