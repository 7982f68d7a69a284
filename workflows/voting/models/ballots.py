"""Ballots, paper entries, objections and results: append-only (see the package)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.civil_code import Decision, Matter, Measure, TallyCounts, decide

from .votes import CHOICE_CHOICES, AppendOnlyError, Channel, Elector, Vote, VotingCode


class PaperEntry(models.Model):
    """One user's keying of one paper ballot; two matching entries make a ``Ballot``."""

    elector = models.ForeignKey(
        Elector, verbose_name="业主", on_delete=models.PROTECT, related_name="paper_entries"
    )
    choice = models.CharField("表决意见", max_length=8, choices=CHOICE_CHOICES)
    # An election's ballot: candidate (``ElectionCandidate.key``) → choice; ``choice`` is blank.
    answers = models.JSONField("各候选人意见", default=dict, blank=True)
    received_at = models.DateTimeField("收到时间")
    corrects = models.ForeignKey(
        "Ballot",
        verbose_name="所更正的表决票",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="作废人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "纸质票录入"
        verbose_name_plural = "纸质票录入"

    def __str__(self) -> str:
        return f"纸质票录入 #{self.pk}"

    @classmethod
    def pending(cls) -> models.QuerySet[PaperEntry]:
        """First entries still waiting for their twin."""
        return cls.objects.filter(
            voided_at__isnull=True, ballot_as_first__isnull=True, ballot_as_second__isnull=True
        )


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk updates and deletes would bypass ``Ballot.save``/``delete``, so they are refused."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError


class Ballot(models.Model):
    """One owner's answer as recorded, online or from a double-entered paper ballot."""

    elector = models.ForeignKey(
        Elector, verbose_name="业主", on_delete=models.PROTECT, related_name="ballots"
    )
    choice = models.CharField("表决意见", max_length=8, choices=CHOICE_CHOICES)
    answers = models.JSONField("各候选人意见", default=dict, blank=True)
    channel = models.CharField("投票方式", max_length=8, choices=Channel.choices)
    cast_at = models.DateTimeField("投票（收到）时间")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    supersedes = models.ForeignKey(
        "self",
        verbose_name="取代的表决票",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    code = models.ForeignKey(
        VotingCode,
        verbose_name="使用的表决码",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ballots",
    )
    first_entry = models.OneToOneField(
        PaperEntry,
        verbose_name="第一次录入",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ballot_as_first",
    )
    second_entry = models.OneToOneField(
        PaperEntry,
        verbose_name="复核录入",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ballot_as_second",
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "表决票"
        verbose_name_plural = "表决票"
        indexes = [models.Index(fields=["elector", "-cast_at", "-id"], name="ballot_latest")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        channel=Channel.ONLINE,
                        code__isnull=False,
                        first_entry__isnull=True,
                        second_entry__isnull=True,
                    )
                    | Q(
                        channel=Channel.PAPER,
                        code__isnull=True,
                        first_entry__isnull=False,
                        second_entry__isnull=False,
                    )
                ),
                name="ballot_channel_evidence",
            )
        ]

    def __str__(self) -> str:
        return f"表决票 #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError


class Objection(models.Model):
    """An objection to the preliminary result, lodged by an owner online or recorded by staff."""

    vote = models.ForeignKey(
        Vote, verbose_name="表决", on_delete=models.CASCADE, related_name="objections"
    )
    elector = models.ForeignKey(
        Elector,
        verbose_name="提出异议的业主",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objections",
    )
    submitter = models.CharField("异议人", max_length=100, blank=True)
    text = models.TextField("异议内容")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    response = models.TextField("答复", blank=True)
    responded_at = models.DateTimeField("答复时间", null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"异议 #{self.pk}"


class ResultStage(models.TextChoices):
    PRELIMINARY = "preliminary", "初步结果"
    FINAL = "final", "最终结果"


class VoteResult(models.Model):
    """The figures counted at one stage; the decision is re-derived from them by the rules."""

    vote = models.ForeignKey(
        Vote, verbose_name="表决", on_delete=models.CASCADE, related_name="results"
    )
    stage = models.CharField("阶段", max_length=16, choices=ResultStage.choices)
    eligible_heads = models.PositiveIntegerField("业主总人数")
    eligible_area = models.DecimalField("专有部分总面积", max_digits=14, decimal_places=2)
    participating_heads = models.PositiveIntegerField("参与表决人数")
    participating_area = models.DecimalField("参与表决面积", max_digits=14, decimal_places=2)
    for_heads = models.PositiveIntegerField("同意人数")
    for_area = models.DecimalField("同意面积", max_digits=14, decimal_places=2)
    against_heads = models.PositiveIntegerField("反对人数")
    against_area = models.DecimalField("反对面积", max_digits=14, decimal_places=2)
    abstain_heads = models.PositiveIntegerField("弃权人数")
    abstain_area = models.DecimalField("弃权面积", max_digits=14, decimal_places=2)
    outcome = models.CharField("结果", max_length=32)
    reason = models.TextField("理由")
    computed_at = models.DateTimeField("计票时间", auto_now_add=True)

    class Meta:
        verbose_name = "表决结果"
        verbose_name_plural = "表决结果"
        constraints = [
            models.UniqueConstraint(fields=["vote", "stage"], name="unique_result_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.vote} · {self.get_stage_display()}"

    @classmethod
    def from_decision(cls, vote: Vote, stage: str, decision: Decision) -> VoteResult:
        counts = decision.counts
        fields: dict[str, Any] = {}
        for name in ("eligible", "participating", "for", "against", "abstain"):
            measure: Measure = getattr(counts, "for_" if name == "for" else name)
            fields[f"{name}_heads"] = measure.heads
            fields[f"{name}_area"] = measure.area
        return cls(
            vote=vote, stage=stage, outcome=decision.outcome, reason=decision.reason, **fields
        )

    @property
    def counts(self) -> TallyCounts:
        def measure(name: str) -> Measure:
            return Measure(getattr(self, f"{name}_heads"), getattr(self, f"{name}_area"))

        return TallyCounts(
            eligible=measure("eligible"),
            participating=measure("participating"),
            for_=measure("for"),
            against=measure("against"),
            abstain=measure("abstain"),
        )

    @property
    def decision(self) -> Decision:
        """The stored figures judged again, so the page shows the rules' own checks and wording."""
        return decide(Matter(self.vote.matter), self.counts)
