"""A firm's score for a period: six parts, each from figures the site already holds, weighted by
the site configuration, and kept with the figures behind it.

Every part is a score out of 100, computed with exact fractions and rounded half up to the
hundredth at the end, so the same data always gives the same score:

- 业主满意度测评: each answered question is worth 20 points per rating step (很满意 = 100 …
  很不满意 = 20); a question's score is the mean over the units that answered it (each unit's
  latest answer), and the part is the mean of the questions by their configured weights,
  over all the compounds the firm serves.
- 业委会评价 / 社区评价: each standard item rated the same way; the mean over the items of one
  evaluation, then over the firm's compounds.
- 物业费收缴率: the amount collected over the amount due, in percent, summed over the fee
  collection disclosures published for the firm's compounds whose period falls in this one.
- 服务投诉: 100 less the configured deduction for each 服务投诉 case filed in the firm's
  compounds during the period (never below 0).
- 党组织覆盖: 100 when the firm's Party organisation is set up as measure 11 asks (its own with
  three or more full members, joined with the community's or compound's otherwise), 60 when it
  has one but should have its own, 0 when it has none.

A part without data (no answers, no evaluation, no published fee figures) is left out and the
other weights count in its place; the explanation says so.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from content_types.cases.models import Case, CaseCategory
from content_types.disclosures.models import FeeCollectionPage, round_half_up
from content_types.firms.models import OWN_ORGANISATION_THRESHOLD, PartyOrganisationStatus

from .models import (
    PARTS,
    POINTS_PER_RATING,
    EvaluationPeriod,
    EvaluationPolicy,
    Evaluator,
    FirmEvaluation,
    SurveyAnswer,
)

if TYPE_CHECKING:
    from content_types.firms.models import PropertyFirm

PARTIAL_PARTY_SCORE = 60


@dataclass(frozen=True)
class Part:
    """One part of a score: its weight, its score out of 100 (None without data) and why."""

    code: str
    weight: int
    score: Fraction | None
    basis: str

    def as_json(self) -> dict[str, Any]:
        return {
            "part": self.code,
            "label": PARTS[self.code],
            "weight": self.weight,
            "score": None if self.score is None else str(round_half_up(self.score, 2)),
            "basis": self.basis,
        }


def fixed(value: Fraction) -> str:
    return f"{round_half_up(value, 2)}"


def latest_answers(surveys: Any) -> list[SurveyAnswer]:
    """Each unit's latest answer in the given surveys: one query, however many units."""
    latest = SurveyAnswer.objects.filter(respondent=OuterRef("respondent")).order_by(
        "-answered_at", "-pk"
    )
    return list(
        SurveyAnswer.objects.filter(respondent__survey__in=surveys)
        .filter(pk=Subquery(latest.values("pk")[:1]))
        .select_related("respondent__survey")
    )


def survey_part(firm: PropertyFirm, period: EvaluationPeriod, weight: int) -> Part:
    surveys = list(period.surveys.filter(firm=firm).select_related("compound"))
    answers = latest_answers([survey.pk for survey in surveys])
    units = sum(survey.respondents.count() for survey in surveys)
    sums: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    for answer in answers:
        for key, rating in answer.ratings.items():
            sums[key] += int(rating) * POINTS_PER_RATING
            counts[key] += 1
    questions: dict[str, tuple[str, int]] = {}
    for survey in surveys:
        for question in survey.questions:
            questions.setdefault(question["key"], (question["text"], int(question["weight"])))
    means = {key: Fraction(sums[key], counts[key]) for key in questions if counts[key]}
    if not means:
        return Part("survey", weight, None, "本期没有业主作答，不计入。")
    total_weight = sum(questions[key][1] for key in means)
    score = sum((questions[key][1] * mean for key, mean in means.items()), Fraction(0))
    score /= total_weight
    names = "、".join(survey.compound.title for survey in surveys)
    items = "；".join(f"{questions[key][0]} {fixed(mean)} 分" for key, mean in means.items())
    basis = (
        f"{names}共 {units} 户，{len(answers)} 户作答（网上与纸质）；各题平均：{items}；"
        "按题目权重加权平均。"
    )
    return Part("survey", weight, score, basis)


def evaluation_part(
    firm: PropertyFirm, period: EvaluationPeriod, evaluator: str, weight: int
) -> Part:
    evaluations = list(
        FirmEvaluation.objects.filter(period=period, firm=firm, evaluator=evaluator)
        .select_related("compound")
        .order_by("compound__path")
    )
    scored = [
        (
            evaluation,
            Fraction(sum(int(item["rating"]) for item in rated) * POINTS_PER_RATING, len(rated)),
        )
        for evaluation in evaluations
        if (rated := [item for item in evaluation.items if item.get("rating")])
    ]
    code = "committee" if evaluator == Evaluator.COMMITTEE else "community"
    if not scored:
        return Part(code, weight, None, "本期没有录入评价，不计入。")
    score = sum((value for _, value in scored), Fraction(0)) / len(scored)
    basis = "；".join(
        f"{evaluation.compound.title}：按所公示的 {len(evaluation.items)} 项服务标准逐项评价，"
        f"平均 {fixed(value)} 分"
        for evaluation, value in scored
    )
    return Part(code, weight, score, basis + "；取各小区平均。")


def fee_part(firm: PropertyFirm, period: EvaluationPeriod, weight: int) -> Part:
    compounds = list(firm.compounds.all())
    pages: list[FeeCollectionPage] = []
    for compound in compounds:
        pages.extend(
            FeeCollectionPage.objects.live()
            .descendant_of(compound)
            .filter(period_start__gte=period.starts_on, period_end__lte=period.ends_on)
        )
    due = sum((page.amount_due for page in pages), Decimal(0))
    collected = sum((page.amount_collected for page in pages), Decimal(0))
    if not due:
        return Part("fee_collection", weight, None, "本期没有公开物业费收缴情况，不计入。")
    rate = Fraction(collected) / Fraction(due) * 100
    basis = (
        f"本期公开的 {len(pages)} 份物业费收缴公开：应收 {due:.2f} 元，实收 {collected:.2f} 元，"
        f"收缴率 {fixed(rate)}%，即得分。"
    )
    return Part("fee_collection", weight, rate, basis)


def _span(period: EvaluationPeriod) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.starts_on, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        period.ends_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def cases_part(
    firm: PropertyFirm, period: EvaluationPeriod, weight: int, deduction: Decimal
) -> Part:
    start, end = _span(period)
    complaints = Case.objects.filter(
        scope__in=firm.compounds.values("pk"),
        category=CaseCategory.COMPLAINT,
        filed_at__gte=start,
        filed_at__lt=end,
    ).count()
    score = max(Fraction(0), 100 - complaints * Fraction(deduction))
    basis = f"本期所服务小区登记服务投诉 {complaints} 件，每件扣 {deduction} 分。"
    return Part("cases", weight, score, basis)


def party_part(firm: PropertyFirm, weight: int) -> Part:
    members = firm.full_party_member_count
    status = firm.get_party_status_display()
    if firm.party_status == PartyOrganisationStatus.NONE:
        return Part("party", weight, Fraction(0), f"党组织{status}（正式党员 {members} 名）。")
    if firm.needs_own_party_organisation:
        return Part(
            "party",
            weight,
            Fraction(PARTIAL_PARTY_SCORE),
            f"党组织{status}，但已有正式党员 {members} 名（{OWN_ORGANISATION_THRESHOLD} 名以上"
            f"应单独建立），得 {PARTIAL_PARTY_SCORE} 分。",
        )
    return Part(
        "party", weight, Fraction(100), f"党组织{status}（正式党员 {members} 名），已覆盖。"
    )


def firm_parts(
    firm: PropertyFirm, period: EvaluationPeriod, policy: EvaluationPolicy
) -> list[Part]:
    weights = {code: int(policy.weights.get(code, 0)) for code in PARTS}
    return [
        survey_part(firm, period, weights["survey"]),
        evaluation_part(firm, period, Evaluator.COMMITTEE, weights["committee"]),
        evaluation_part(firm, period, Evaluator.COMMUNITY, weights["community"]),
        fee_part(firm, period, weights["fee_collection"]),
        cases_part(firm, period, weights["cases"], policy.complaint_deduction),
        party_part(firm, weights["party"]),
    ]


def total_of(parts: list[Part]) -> Decimal:
    """The weighted mean of the parts with data; parts without data give their weight away."""
    counted = [part for part in parts if part.score is not None and part.weight]
    weight = sum(part.weight for part in counted)
    if not weight:
        return Decimal("0.00")
    total = sum(
        (part.weight * part.score for part in counted if part.score is not None), Fraction(0)
    )
    return round_half_up(total / weight, 2)


def ranks(totals: list[tuple[Decimal, str, int]]) -> dict[int, int]:
    """Rank by score, highest first; equal scores share a rank (1, 2, 2, 4)."""
    ordered = sorted(totals, key=lambda row: (-row[0], row[1], row[2]))
    result: dict[int, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (total, _, key) in enumerate(ordered, start=1):
        if total != previous:
            rank, previous = position, total
        result[key] = rank
    return result
