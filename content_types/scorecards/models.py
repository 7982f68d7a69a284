"""考评: the scorecards of each period, per compound and per community, and how they are weighed.

A scorecard is computed, never typed: the worker writes it from the data the site holds
(``compute.py``) and a rerun rewrites the same numbers. Each line keeps the figures behind
its indicator and the items it counted, linked to them, so a score explains itself. Who sees
which scorecards is the access module's answer for its scope (a community's offices: their
community and its compounds; the street office: all).
"""

from __future__ import annotations

from django.db import models

from content_types.disclosures.periods import Period
from content_types.roles.models import Role

from .periods import SCORING_PERIODS, ScoringPeriod


def points_field(label: str, *, null: bool = False) -> models.DecimalField:
    return models.DecimalField(label, max_digits=7, decimal_places=2, null=null)


class ScoringPolicy(models.Model):
    """The street's scoring rules (site_config ``scorecards``): the period and, per indicator,
    its weight and target. One row; left out of the file, every registered indicator at its
    default weight and target, by half-year."""

    every = models.CharField(
        "考评周期",
        max_length=16,
        choices=[(code, Period(code).label) for code in SCORING_PERIODS],
        default=Period.HALF_YEAR,
    )
    #: [{"code": ..., "weight": "15", "target": "1"}], in the order the scorecard shows them.
    indicators = models.JSONField("指标", default=list, blank=True)
    #: How many communities the published 赛比争先 list names as 先进.
    honours = models.PositiveSmallIntegerField("赛比争先名额", default=1)

    class Meta:
        verbose_name = "考评规则"
        verbose_name_plural = "考评规则"

    def __str__(self) -> str:
        return "考评规则"

    @classmethod
    def current(cls) -> ScoringPolicy:
        return cls.objects.order_by("pk").first() or cls()


class ScorePeriod(models.Model):
    """One period that was scored; its 赛比争先 list is public once published."""

    key = models.CharField("期次", max_length=8, unique=True)
    label = models.CharField("考评期", max_length=30)
    start = models.DateField("起始日期")
    end = models.DateField("截止日期")
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    published_at = models.DateTimeField("赛比争先榜发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "考评期"
        verbose_name_plural = "考评期"
        ordering = ["-end"]

    def __str__(self) -> str:
        return self.label

    @property
    def period(self) -> ScoringPeriod:
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        return ScoringPeriod(self.start, self.end, months)


class Level(models.TextChoices):
    COMMUNITY = "community", "社区"
    COMPOUND = "compound", "小区"


class Scorecard(models.Model):
    period = models.ForeignKey(
        ScorePeriod, verbose_name="考评期", on_delete=models.CASCADE, related_name="scorecards"
    )
    scope = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="社区或小区",
        on_delete=models.CASCADE,
        related_name="scorecards",
    )
    # Isolated by its community or compound, read by the offices above it.
    scope_field = "scope"
    scope_roles = (Role.STREET_OFFICE, Role.COMMUNITY_OFFICE, Role.COMMUNITY_PARTY)

    level = models.CharField("层级", max_length=16, choices=Level.choices)
    community = models.ForeignKey(
        "structure.CommunityPage",
        verbose_name="所属社区",
        on_delete=models.CASCADE,
        related_name="+",
    )
    total = points_field("总分")
    rank = models.PositiveIntegerField("排名")
    #: A compound's rank among its community's compounds; a community's, as ``rank``.
    rank_in_community = models.PositiveIntegerField("社区内排名")

    class Meta:
        verbose_name = "考评结果"
        verbose_name_plural = "考评结果"
        ordering = ["period", "level", "rank", "scope__path"]
        constraints = [
            models.UniqueConstraint(fields=["period", "scope"], name="scorecard_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.scope.title} {self.period.label}"


class ScoreLine(models.Model):
    """One indicator of a scorecard: what was counted, how it weighs, what it scored."""

    scorecard = models.ForeignKey(
        Scorecard, verbose_name="考评结果", on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveSmallIntegerField("顺序")
    code = models.CharField("指标代码", max_length=50)
    label = models.CharField("指标", max_length=100)
    numerator = models.DecimalField("分子", max_digits=16, decimal_places=2)
    denominator = models.DecimalField("分母", max_digits=16, decimal_places=2)
    value = models.DecimalField("实际值", max_digits=12, decimal_places=4, null=True)
    target = models.DecimalField("目标值", max_digits=12, decimal_places=4)
    weight = points_field("权重")
    points = points_field("得分", null=True)
    items = models.JSONField("明细", default=list)

    class Meta:
        verbose_name = "考评指标"
        verbose_name_plural = "考评指标"
        ordering = ["scorecard", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "code"], name="score_line_once")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def applicable(self) -> bool:
        return self.value is not None
