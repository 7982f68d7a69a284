"""Fixtures of the survey tests: the voting tests' roll of 锦绣花园 (compound_a1, six units of
five owners, ``tests.workflows.voting.conftest``), its firm, the two committee members and an
open survey with a code for every unit (one code per unit, not per owner)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from tests.content_types.evaluations.factories import SurveyFactory, firm_serving, policy
from tests.workflows.voting import conftest as voting
from workflows.surveys.services import issue_codes, open_survey

if TYPE_CHECKING:
    from content_types.evaluations.models import Survey

# The same compound, roll, committee and clean failure counters as the vote's tests.
_empty_cache = voting._empty_cache  # noqa: SLF001 (a fixture, shared on purpose)
compound = voting.compound
roll = voting.roll
committee = voting.committee
committee2 = voting.committee2


@pytest.fixture
def firm(compound):
    return firm_serving(compound, name="百官物业服务有限公司")


@dataclass
class OpenSurvey:
    survey: Survey
    codes: dict[str, str]


@pytest.fixture
def open_one(compound, roll, firm, committee) -> OpenSurvey:
    policy()
    survey = open_survey(SurveyFactory(compound=compound, firm=firm), committee)
    codes = {item.respondent.label: item.code for item in issue_codes(survey, committee)}
    return OpenSurvey(survey, codes)
