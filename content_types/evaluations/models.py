"""培育优质物业: owners' satisfaction surveys, the committee's and community's evaluations, and
the score each firm earns per period, ranked across the street.

A survey belongs to one compound, one period and the firm serving it; its roll is the units
register frozen when it opens (one answer per unit), and owners answer with a personal code and
the last four digits of their registered phone, like the assembly vote (``workflows.surveys``).
Answers are append-only: a changed answer is a new row, and the latest one counts. The score of
a period is computed once, when the street closes the period, and kept with the figures behind
each part, so the ranking never moves after it is published.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from content_types.firms.models import PropertyFirm
from content_types.roles.models import Role
from content_types.structure.models import CompoundPage
from content_types.units.models import Unit, unit_label

# 很满意 … 很不满意, as owners tick them; the points each rating is worth.
RATING_CHOICES = [(5, "很满意"), (4, "满意"), (3, "一般"), (2, "不满意"), (1, "很不满意")]
RATING_VALUES = frozenset(value for value, _ in RATING_CHOICES)
POINTS_PER_RATING = 20


class PeriodStatus(models.TextChoices):
    OPEN = "open", "测评中"
    CLOSED = "closed", "已结束（得分已公布）"


class EvaluationPeriod(models.Model):
    """One round of evaluation across the street, e.g. 2026年上半年."""

    title = models.CharField("测评期", max_length=50, unique=True, help_text="如：2026年上半年。")
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("结束日期")
    status = models.CharField(
        "状态", max_length=16, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "测评期"
        verbose_name_plural = "测评期"
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="evaluation_period_ends_after_start",
                violation_error_message="结束日期不能早于起始日期。",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == PeriodStatus.CLOSED


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    OPEN = "open", "测评中"
    CLOSED = "closed", "已截止"


class Survey(models.Model):
    """满意度测评 of one compound's firm in one period."""

    period = models.ForeignKey(
        EvaluationPeriod, verbose_name="测评期", on_delete=models.PROTECT, related_name="surveys"
    )
    compound = models.ForeignKey(
        CompoundPage, verbose_name="小区", on_delete=models.PROTECT, related_name="surveys"
    )
    # Isolated by compound (``content_types.roles.permissions``), run like a vote.
    scope_field = "compound"
    scope_roles = Role.VOTE_ORGANISERS
    firm = models.ForeignKey(
        PropertyFirm, verbose_name="物业服务企业", on_delete=models.PROTECT, related_name="surveys"
    )
    questions = models.JSONField(
        "测评题目", default=list, blank=True, help_text="开启时从站点配置复制，测评期间不再变化。"
    )
    opens_at = models.DateTimeField("开始时间")
    closes_at = models.DateTimeField("截止时间")
    status = models.CharField(
        "状态", max_length=16, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    opened_at = models.DateTimeField("名册冻结时间", null=True, blank=True)

    class Meta:
        verbose_name = "物业满意度测评"
        verbose_name_plural = "物业满意度测评"
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "compound", "firm"], name="one_survey_per_compound_firm_period"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_opening",
                violation_error_message="截止时间必须晚于开始时间。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.compound.title} · {self.period.title}物业满意度测评"

    def accepts_answers_at(self, when: Any) -> bool:
        return self.status == SurveyStatus.OPEN and self.opens_at <= when < self.closes_at


class Respondent(models.Model):
    """A unit on the survey's frozen roll: it answers once (its latest answer counts)."""

    survey = models.ForeignKey(
        Survey, verbose_name="测评", on_delete=models.CASCADE, related_name="respondents"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="名册中的房屋", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    building = models.CharField("楼栋", max_length=20)
    entrance = models.CharField("单元", max_length=20, blank=True)
    room = models.CharField("室", max_length=20)
    phone_tail_digest = models.CharField("手机号后四位摘要", max_length=64)

    class Meta:
        verbose_name = "测评名册中的房屋"
        verbose_name_plural = "测评名册中的房屋"
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "building", "entrance", "room"], name="one_respondent_per_unit"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return unit_label(self.building, self.entrance, self.room)


class SurveyCode(models.Model):
    """A unit's personal code for one survey, kept only as a keyed digest."""

    respondent = models.ForeignKey(
        Respondent, verbose_name="房屋", on_delete=models.CASCADE, related_name="codes"
    )
    digest = models.CharField("测评码摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = "测评码"
        verbose_name_plural = "测评码"

    def __str__(self) -> str:
        return f"测评码 #{self.pk}"


class Channel(models.TextChoices):
    ONLINE = "online", "网上填写"
    PAPER = "paper", "纸质问卷"


class PaperAnswerEntry(models.Model):
    """One user's keying of one paper questionnaire; two matching keyings make an answer."""

    respondent = models.ForeignKey(
        Respondent, verbose_name="房屋", on_delete=models.PROTECT, related_name="paper_entries"
    )
    ratings = models.JSONField("各题评分", default=dict)
    received_at = models.DateTimeField("收到时间")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    paired = models.BooleanField("已配对计入", default=False)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = "纸质问卷录入"
        verbose_name_plural = "纸质问卷录入"

    def __str__(self) -> str:
        return f"纸质问卷录入 #{self.pk}"


class SurveyAnswer(models.Model):
    """One unit's ratings as recorded; never changed, the latest per unit counts."""

    respondent = models.ForeignKey(
        Respondent, verbose_name="房屋", on_delete=models.PROTECT, related_name="answers"
    )
    ratings = models.JSONField("各题评分")
    channel = models.CharField("方式", max_length=8, choices=Channel.choices)
    answered_at = models.DateTimeField("填写（收到）时间")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    code = models.ForeignKey(
        SurveyCode,
        verbose_name="使用的测评码",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answers",
    )
    first_entry = models.OneToOneField(
        PaperAnswerEntry,
        verbose_name="第一次录入",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answer_as_first",
    )
    second_entry = models.OneToOneField(
        PaperAnswerEntry,
        verbose_name="复核录入",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answer_as_second",
    )

    class Meta:
        verbose_name = "测评答卷"
        verbose_name_plural = "测评答卷"
        indexes = [models.Index(fields=["respondent", "-answered_at", "-id"], name="answer_latest")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(channel=Channel.ONLINE, code__isnull=False, first_entry__isnull=True)
                    | Q(
                        channel=Channel.PAPER,
                        code__isnull=True,
                        first_entry__isnull=False,
                        second_entry__isnull=False,
                    )
                ),
                name="survey_answer_channel_evidence",
            )
        ]

    def __str__(self) -> str:
        return f"测评答卷 #{self.pk}"


class Evaluator(models.TextChoices):
    COMMITTEE = "committee", "业委会评价"
    COMMUNITY = "community", "社区评价"


class FirmEvaluation(models.Model):
    """The committee's or the community's rating of the firm in one compound and period, item by
    item against the service standards the firm disclosed (物业服务与公共能耗公示)."""

    period = models.ForeignKey(
        EvaluationPeriod,
        verbose_name="测评期",
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    compound = models.ForeignKey(
        CompoundPage, verbose_name="小区", on_delete=models.PROTECT, related_name="firm_evaluations"
    )
    scope_field = "compound"
    scope_roles = (Role.OWNERS_COMMITTEE, Role.COMMUNITY_OFFICE, Role.STREET_OFFICE)
    firm = models.ForeignKey(
        PropertyFirm,
        verbose_name="物业服务企业",
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    evaluator = models.CharField("评价方", max_length=16, choices=Evaluator.choices)
    # [{"item": 保洁, "standard": 楼道每日清扫一次…, "rating": 4}, …]
    items = models.JSONField("逐项评价", default=list)
    comment = models.TextField("评价意见", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        verbose_name = "物业服务评价"
        verbose_name_plural = "物业服务评价"
        ordering = ["-period__starts_on", "compound__path", "evaluator"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "compound", "firm", "evaluator"],
                name="one_evaluation_per_party",
            )
        ]

    def __str__(self) -> str:
        return f"{self.compound.title} · {self.period.title} · {self.get_evaluator_display()}"


class FirmScore(models.Model):
    """A firm's score for a closed period, with the figures behind every part (``scoring``)."""

    period = models.ForeignKey(
        EvaluationPeriod, verbose_name="测评期", on_delete=models.PROTECT, related_name="scores"
    )
    firm = models.ForeignKey(
        PropertyFirm, verbose_name="物业服务企业", on_delete=models.PROTECT, related_name="scores"
    )
    total = models.DecimalField("综合得分", max_digits=5, decimal_places=2)
    rank = models.PositiveSmallIntegerField("街道排名")
    excellent = models.BooleanField("优质物业", default=False)
    # [{"part": "survey", "label": …, "weight": 40, "score": "86.50", "basis": "…"}, …]
    parts = models.JSONField("分项得分及依据")
    computed_at = models.DateTimeField("计算时间", auto_now_add=True)

    class Meta:
        verbose_name = "物业服务得分"
        verbose_name_plural = "物业服务得分"
        ordering = ["period", "rank", "firm__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "firm"], name="one_score_per_firm_period")
        ]

    def __str__(self) -> str:
        return f"{self.firm} · {self.period} · {self.total}"


class EvaluationPolicy(models.Model):
    """What the site configuration's ``firm_evaluation:`` section decides; one row."""

    questions = models.JSONField("满意度测评题目", default=list)
    weights = models.JSONField("得分构成权重", default=dict)
    excellent_min = models.DecimalField(
        "优质物业最低得分", max_digits=5, decimal_places=2, default=Decimal("85.00")
    )
    complaint_deduction = models.DecimalField(
        "每件服务投诉扣分", max_digits=5, decimal_places=2, default=Decimal("5.00")
    )

    class Meta:
        verbose_name = "物业测评规则"
        verbose_name_plural = "物业测评规则"

    def __str__(self) -> str:
        return "物业测评规则"

    @classmethod
    def current(cls) -> EvaluationPolicy:
        return cls.objects.order_by("pk").first() or cls(
            questions=DEFAULT_QUESTIONS, weights=DEFAULT_WEIGHTS
        )


# The parts of a firm's score, in the order they are shown, with their labels.
PARTS: dict[str, str] = {
    "survey": "业主满意度测评",
    "committee": "业委会评价",
    "community": "社区评价",
    "fee_collection": "物业费收缴率",
    "cases": "服务投诉",
    "party": "党组织覆盖（两个覆盖）",
}
DEFAULT_WEIGHTS: dict[str, int] = {
    "survey": 40,
    "committee": 15,
    "community": 15,
    "fee_collection": 10,
    "cases": 10,
    "party": 10,
}
DEFAULT_QUESTIONS: list[dict[str, Any]] = [
    {"key": "overall", "text": "对物业服务的总体评价", "weight": 1},
]
