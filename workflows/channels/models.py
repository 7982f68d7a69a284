"""Where an office's notices also go: its mailbox or its work group's robot (钉钉, 企业微信).

Community workers read 浙政钉 and owners' committees their WeCom groups more than e-mail, so a
``Channel`` (declared in the site configuration, per office or role) repeats what the outbox
tells the users holding its roles on its scope, once per message, in that group. Each message is
a ``ChannelMessage`` row written with the step that caused it and sent by the worker, retried
with growing waits, its failures listed in the admin (站点配置 › 通知投递).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import models
from django.utils import timezone
from wagtail.models import Page


class ChannelKind(models.TextChoices):
    EMAIL = "email", "电子邮件"
    DINGTALK = "dingtalk", "钉钉群机器人"
    WECOM = "wecom", "企业微信群机器人"


class Channel(models.Model):
    """One mailbox or group robot, told what the holders of ``roles`` on ``scope`` are told.

    Secrets are never stored: ``secret_env`` names the environment variable holding a DingTalk
    robot's signing secret, and ``address_env`` the one holding a robot's address where the
    address itself is the key (a WeCom robot's ``key=``), so neither the file nor the database
    carries them. The admin shows a robot's host only.
    """

    code = models.SlugField("代码", max_length=64, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=ChannelKind.choices)
    address = models.CharField(
        "地址", max_length=500, blank=True, help_text="邮箱地址，或群机器人的 Webhook 地址。"
    )
    address_env = models.CharField("地址环境变量", max_length=100, blank=True)
    secret_env = models.CharField("签名密钥环境变量", max_length=100, blank=True)
    scope = models.ForeignKey(Page, verbose_name="范围", on_delete=models.CASCADE, related_name="+")
    roles = models.JSONField("角色", default=list)
    events = models.JSONField("事件", default=list, blank=True, help_text="留空为全部事件。")
    active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "通知渠道"
        verbose_name_plural = "通知渠道"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def get_address_display(self) -> str:
        """What the admin shows: a mailbox, or a robot's host (its address carries its key)."""
        if self.address_env:
            return f"（取自环境变量 {self.address_env}）"
        if self.kind == ChannelKind.EMAIL:
            return self.address
        return f"{urlsplit(self.address).netloc}（完整地址含密钥，不在此显示）"

    def takes(self, event: str) -> bool:
        return self.active and (not self.events or event in self.events)


class MessageStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    DELIVERED = "delivered", "已送达"
    FAILED = "failed", "发送失败"


class ChannelMessage(models.Model):
    """One notice to one channel; ``next_attempt_at`` is when the worker (re)tries it."""

    channel = models.ForeignKey(
        Channel, verbose_name="渠道", on_delete=models.CASCADE, related_name="messages"
    )
    event = models.CharField("事件", max_length=16)
    subject = models.CharField("标题", max_length=255)
    body = models.TextField("内容")
    url = models.CharField("链接", max_length=500, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField(
        "下次尝试时间", null=True, blank=True, default=timezone.now
    )
    last_error = models.TextField("最近一次错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知投递"
        verbose_name_plural = "通知投递"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.channel} · {self.subject}"
