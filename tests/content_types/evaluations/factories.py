"""Factories for firm evaluations.

Usage::

    period = EvaluationPeriodFactory()                 # open, from 60 days ago to 30 days ahead
    firm = firm_serving(compound, party_status=...)    # a live firm serving the compound
    survey = SurveyFactory(period=period, compound=compound, firm=firm)  # a draft, open now
    FirmEvaluationFactory(period=period, compound=compound, firm=firm, ratings=[5, 4])
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import factory
from django.utils import timezone

from content_types.evaluations.models import (
    EvaluationPeriod,
    EvaluationPolicy,
    Evaluator,
    FirmEvaluation,
    Survey,
)
from tests.content_types.firms.factories import PropertyFirmFactory

if TYPE_CHECKING:
    from content_types.firms.models import PropertyFirm

QUESTIONS = [
    {"key": "cleaning", "text": "保洁服务", "weight": 2},
    {"key": "security", "text": "秩序维护", "weight": 1},
]


def policy(**fields: Any) -> EvaluationPolicy:
    """The street's rules with two questions (保洁 counts double) and the default weights."""
    current = EvaluationPolicy.current()
    current.questions = QUESTIONS
    for name, value in fields.items():
        setattr(current, name, value)
    current.save()
    return current


def firm_serving(*compounds: Any, **fields: Any) -> PropertyFirm:
    firm = PropertyFirmFactory(**fields)
    firm.compounds.add(*compounds)
    firm.save()
    return firm


class EvaluationPeriodFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"第{n}期测评")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))

    class Meta:
        model = EvaluationPeriod


class SurveyFactory(factory.django.DjangoModelFactory):
    period = factory.SubFactory(EvaluationPeriodFactory)
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))

    class Meta:
        model = Survey


class FirmEvaluationFactory(factory.django.DjangoModelFactory):
    period = factory.SubFactory(EvaluationPeriodFactory)
    evaluator = Evaluator.COMMITTEE

    class Meta:
        model = FirmEvaluation
        exclude = ("ratings",)

    ratings = (4,)
    items = factory.LazyAttribute(
        lambda o: [
            {"item": f"第{n}项", "standard": "按合同约定执行。", "rating": rating}
            for n, rating in enumerate(o.ratings, start=1)
        ]
    )
