"""A vote, its frozen electorate and the codes owners vote with (see the package)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from wagtail.models import Page

from content_types.accounts.personal_data import EncryptedCharField
from content_types.roles.models import Role
from content_types.structure.models import CompoundPage
from content_types.units.models import Unit, unit_label
from core.civil_code import Choice, Matter
from core.civil_code.election import SeatOrder

if TYPE_CHECKING:
    from datetime import datetime

MATTER_CHOICES = [(matter.value, f"第{matter.item}项：{matter.label}") for matter in Matter]
CHOICE_CHOICES = [(choice.value, choice.label) for choice in Choice]


def centi_to_area(centi: int) -> Decimal:
    """Hundredths of a square metre back to an exact Decimal of square metres."""
    return Decimal(centi).scaleb(-2)


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove a recorded ballot."""

    def __init__(self) -> None:
        super().__init__(
            "表决票一经记录不得修改或删除；如需更正，请录入一张新的表决票并注明所更正的票。"
        )


class VoteStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    OPEN = "open", "表决中"
    PRELIMINARY = "preliminary", "初步结果公示（异议期）"
    FINAL = "final", "最终结果"


class Channel(models.TextChoices):
    ONLINE = "online", "网络投票"
    PAPER = "paper", "纸质票"


class Vote(models.Model):
    """One matter put to the owners' assembly of one compound (or some of its buildings)."""

    compound = models.ForeignKey(
        CompoundPage, verbose_name="小区", on_delete=models.PROTECT, related_name="votes"
    )
    # Isolated by compound (``content_types.roles.permissions``); run by the committee and
    # the offices above it, which may do everything to the votes of their compounds.
    scope_field = "compound"
    scope_roles = Role.VOTE_ORGANISERS
    proposal = models.ForeignKey(
        Page,
        verbose_name="关联议案",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assembly_votes",
        help_text="如大额资金使用申请；选举业委会等单独表决的事项可不填。",
    )
    # A vote that failed for want of participation, put to the owners again by this one.
    rerun_of = models.OneToOneField(
        "self",
        verbose_name="重新表决的原表决",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rerun",
    )
    matter = models.CharField("事项类别", max_length=32, choices=MATTER_CHOICES)
    title = models.CharField("表决事项", max_length=200)
    description = models.TextField("事项说明", blank=True)
    buildings = models.JSONField(
        "表决范围（楼栋）", default=list, blank=True, help_text="为空表示全小区。"
    )
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("截止时间")
    objection_days = models.PositiveSmallIntegerField(
        "异议期（天）",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="初步结果公布后，业主可在此期间内提出异议。",
    )
    status = models.CharField(
        "状态", max_length=16, choices=VoteStatus.choices, default=VoteStatus.DRAFT
    )
    opened_at = models.DateTimeField("名册冻结时间", null=True, blank=True)
    closed_at = models.DateTimeField("计票时间", null=True, blank=True)
    objection_deadline = models.DateTimeField("异议期截止", null=True, blank=True)
    finalised_at = models.DateTimeField("最终结果确认时间", null=True, blank=True)
    # When the roll and ballots lost their link to persons (``retention``).
    anonymised_at = models.DateTimeField("个人信息匿名化时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "业主大会表决"
        verbose_name_plural = "业主大会表决"
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="vote_closes_after_opening",
                violation_error_message="截止时间必须晚于开始时间。",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def matter_enum(self) -> Matter:
        return Matter(self.matter)

    @property
    def scope_label(self) -> str:
        return "、".join(self.buildings) if self.buildings else "全小区"

    def accepts_ballots_at(self, when: datetime) -> bool:
        return self.status == VoteStatus.OPEN and self.opens_at <= when < self.closes_at

    def takes_objections_at(self, when: datetime) -> bool:
        deadline = self.objection_deadline
        return self.status == VoteStatus.PRELIMINARY and deadline is not None and when < deadline


SEAT_ORDER_CHOICES = [
    (SeatOrder.HEADS_THEN_AREA.value, "先比同意人数，再比同意面积"),
    (SeatOrder.AREA_THEN_HEADS.value, "先比同意面积，再比同意人数"),
]


class VotingPolicy(models.Model):
    """What the site configuration's ``voting:`` section decides for the street's votes; one row.

    Until a vote closes, its participation is the organisers' working figure, not public;
    a street may choose to show owners the overall turnout (heads and area, never per
    building, never a choice) on the voting page to draw the rest in. The seat order ranks
    the candidates who pass a committee election when they outnumber the seats.
    """

    public_turnout = models.BooleanField("表决期间公开总体参与情况", default=False)
    seat_order = models.CharField(
        "业委会选举席位排序",
        max_length=20,
        choices=SEAT_ORDER_CHOICES,
        default=SeatOrder.HEADS_THEN_AREA.value,
    )

    class Meta:
        verbose_name = "表决规则"
        verbose_name_plural = "表决规则"

    def __str__(self) -> str:
        return "表决规则"

    @classmethod
    def current(cls) -> VotingPolicy:
        return cls.objects.order_by("pk").first() or cls()


class Elector(models.Model):
    """One owner on a vote's frozen roll: one head, the total area of the units they hold."""

    vote = models.ForeignKey(
        Vote, verbose_name="表决", on_delete=models.CASCADE, related_name="electors"
    )
    owner_key = models.CharField("业主标识", max_length=64)
    area_centi = models.PositiveBigIntegerField("专有部分面积（0.01 平方米）")

    class Meta:
        verbose_name = "表决业主名册"
        verbose_name_plural = "表决业主名册"
        constraints = [
            models.UniqueConstraint(fields=["vote", "owner_key"], name="unique_elector_per_vote")
        ]

    def __str__(self) -> str:
        return f"{self.vote} · {self.owner_key}"

    @property
    def area(self) -> Decimal:
        return centi_to_area(self.area_centi)


class ElectorUnit(models.Model):
    """A unit as it stood in the register when the vote opened, with its second-factor digest."""

    elector = models.ForeignKey(
        Elector, verbose_name="业主", on_delete=models.CASCADE, related_name="units"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="名册中的房屋",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    building = models.CharField("楼栋", max_length=20)
    entrance = models.CharField("单元", max_length=20, blank=True)
    room = models.CharField("室", max_length=20)
    owner_name = EncryptedCharField("业主姓名", max_length=100)
    area_centi = models.PositiveIntegerField("专有部分面积（0.01 平方米）")
    phone_tail_digest = models.CharField("手机号后四位摘要", max_length=64)

    class Meta:
        verbose_name = "表决名册中的房屋"
        verbose_name_plural = "表决名册中的房屋"
        indexes = [models.Index(fields=["building", "entrance", "room"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return unit_label(self.building, self.entrance, self.room)

    @property
    def area(self) -> Decimal:
        return centi_to_area(self.area_centi)


class VotingCode(models.Model):
    """An owner's personal code for one vote, kept only as a keyed digest."""

    elector = models.ForeignKey(
        Elector, verbose_name="业主", on_delete=models.CASCADE, related_name="codes"
    )
    digest = models.CharField("表决码摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = "表决码"
        verbose_name_plural = "表决码"

    def __str__(self) -> str:
        return f"表决码 #{self.pk}"
