"""Closing a period and reading its scores: what other apps call (the scorecards read
``firm_scores``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from content_types.disclosures.models import PropertyServicesPage
from content_types.firms.models import PropertyFirm
from content_types.roles.models import Role
from content_types.roles.scope import is_active_superuser, scope_roles_for

from .models import (
    EvaluationPeriod,
    EvaluationPolicy,
    Evaluator,
    FirmEvaluation,
    FirmScore,
    PeriodStatus,
    SurveyStatus,
)
from .scoring import firm_parts, ranks, total_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from content_types.disclosures.models import ServiceItem
    from content_types.structure.models import CompoundPage


class EvaluationError(Exception):
    """A refusal; its message is shown to the user as it is."""


def scored_firms() -> list[PropertyFirm]:
    """The published firms serving at least one compound: the ones ranked across the street."""
    return list(
        PropertyFirm.objects.filter(live=True, compounds__isnull=False).distinct().order_by("name")
    )


@transaction.atomic
def close_period(period: EvaluationPeriod, user: AbstractBaseUser | None) -> list[FirmScore]:
    """Close the period's surveys, score every firm, rank them and keep the figures."""
    period = EvaluationPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_closed:
        raise EvaluationError(f"“{period.title}”已经结束，得分已公布，不能再次结束。")
    policy = EvaluationPolicy.current()
    now = timezone.now()
    period.surveys.exclude(status=SurveyStatus.CLOSED).update(status=SurveyStatus.CLOSED)
    computed = [(firm, firm_parts(firm, period, policy)) for firm in scored_firms()]
    totals = {firm.pk: total_of(parts) for firm, parts in computed}
    ranking = ranks([(totals[firm.pk], firm.name, firm.pk) for firm, _ in computed])
    scores = FirmScore.objects.bulk_create(
        FirmScore(
            period=period,
            firm=firm,
            total=totals[firm.pk],
            rank=ranking[firm.pk],
            excellent=totals[firm.pk] >= policy.excellent_min and parts[0].score is not None,
            parts=[part.as_json() for part in parts],
        )
        for firm, parts in computed
    )
    period.status = PeriodStatus.CLOSED
    period.closed_at = now
    period.save(update_fields=["status", "closed_at"])
    log(period, "evaluations.close", user=user, data={"firms": len(scores)})
    return scores


def firm_scores(period: EvaluationPeriod | str) -> dict[int, FirmScore]:
    """The scores of a closed period by firm id (``{}`` while it is open or unknown).

    ``period`` is an ``EvaluationPeriod`` or its title (如 2026年上半年). Each score has
    ``total`` (Decimal out of 100), ``rank`` (across the street), ``excellent`` (优质物业) and
    ``parts`` (each part's label, weight, score and the figures behind it).
    """
    scores = FirmScore.objects.select_related("firm", "period").filter(
        period__status=PeriodStatus.CLOSED
    )
    if isinstance(period, EvaluationPeriod):
        scores = scores.filter(period=period)
    else:
        scores = scores.filter(period__title=period)
    return {score.firm_id: score for score in scores}


def disclosed_standards(compound: CompoundPage, period: EvaluationPeriod) -> list[ServiceItem]:
    """The service standards the firm disclosed for the compound, as in force by the period's
    end: the items of the latest published 物业服务与公共能耗公示."""
    page = (
        PropertyServicesPage.objects.live()
        .descendant_of(compound)
        .filter(effective_from__lte=period.ends_on)
        .order_by("-effective_from", "-pk")
        .first()
    )
    return list(page.services.all()) if page else []


def evaluator_roles(evaluator: str) -> tuple[str, ...]:
    """Who speaks for each side: the committee for itself, the community office for the
    community; the street office may enter either."""
    if evaluator == Evaluator.COMMITTEE:
        return (Role.OWNERS_COMMITTEE, Role.STREET_OFFICE)
    return (Role.COMMUNITY_OFFICE, Role.STREET_OFFICE)


def may_evaluate(user: Any, compound: CompoundPage, evaluator: str) -> bool:
    """From the roles the user holds over each scope, read once per request."""
    if is_active_superuser(user):
        return True
    held = scope_roles_for(user).get(compound.pk, ("", frozenset()))[1]
    return bool(held & set(evaluator_roles(evaluator)))


@transaction.atomic
def save_evaluation(
    period: EvaluationPeriod,
    compound: CompoundPage,
    firm: PropertyFirm,
    evaluator: str,
    items: list[dict[str, Any]],
    comment: str,
    user: AbstractBaseUser,
) -> FirmEvaluation:
    """Record (or revise, while the period is open) one side's evaluation of the firm."""
    period = EvaluationPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_closed:
        raise EvaluationError(f"测评期“{period.title}”已结束，评价不能再修改。")
    if not items:
        raise EvaluationError(
            f"“{compound.title}”还没有公开物业服务标准（物业服务与公共能耗公示），无法逐项评价。"
        )
    evaluation, created = FirmEvaluation.objects.update_or_create(
        period=period,
        compound=compound,
        firm=firm,
        evaluator=evaluator,
        defaults={"items": items, "comment": comment, "entered_by": user},
    )
    log(evaluation, "wagtail.create" if created else "wagtail.edit", user=user)
    return evaluation
