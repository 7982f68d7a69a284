"""The shape of the configuration file, as pydantic models.

Every mapping refuses keys it does not know (``extra="forbid"``), so a typo
is reported at its line instead of being ignored. Checks that span the file
(unique slugs, scopes that exist, roles on the right level, known task
types) are in ``validation.py``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, TypeAlias

from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field, field_validator

from content_types.accounts.models import default_two_factor_roles
from content_types.cases.models import CaseCategory
from content_types.disclosures.periods import Period
from content_types.firms.models import PartyOrganisationStatus
from content_types.governance_tasks.loader import parse_deadline
from content_types.roles.models import Role
from core.civil_code.election import SeatOrder

# Literals built from the models' choices: pydantic checks them; type checkers see text.
if TYPE_CHECKING:
    RoleCode: TypeAlias = str
    PeriodCode: TypeAlias = str
    PartyStatus: TypeAlias = str
    SeatOrderCode: TypeAlias = str
    CaseCategoryCode: TypeAlias = str
else:
    RoleCode = Literal[tuple(Role.values)]
    PeriodCode = Literal[tuple(Period.values)]
    PartyStatus = Literal[tuple(PartyOrganisationStatus.values)]
    SeatOrderCode = Literal[tuple(order.value for order in SeatOrder)]
    CaseCategoryCode = Literal[tuple(CaseCategory.values)]
Level = Literal["street", "community", "compound"]

Slug = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=255)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Street(Strict):
    title: str = Field(min_length=1, max_length=255)
    slug: str = Slug
    region: str = ""


class CommitteeTerm(Strict):
    start: datetime.date
    end: datetime.date


class Compound(Strict):
    title: str = Field(min_length=1, max_length=255)
    slug: str = Slug
    address: str = Field(min_length=1, max_length=255)
    households: int = Field(default=0, ge=0)
    total_area: Decimal = Field(default=Decimal("0.00"), ge=0, max_digits=12, decimal_places=2)
    property_firm: str | None = None
    committee_term: CommitteeTerm | None = None


class Community(Strict):
    title: str = Field(min_length=1, max_length=255)
    slug: str = Slug
    address: str = ""
    office_phone: str = ""
    compounds: list[Compound] = []


class Firm(Strict):
    name: str = Field(min_length=1, max_length=200)
    credit_code: str = Field(min_length=18, max_length=18)
    office_phone: str = Field(min_length=1, max_length=50)
    address: str = Field(min_length=1, max_length=255)
    party_status: PartyStatus = "none"
    full_party_member_count: int = Field(default=0, ge=0)


class Office(Strict):
    code: str = Slug
    name: str = Field(min_length=1, max_length=100)
    duties: str = ""


class WorkingGroup(Strict):
    name: str = Field(min_length=1, max_length=100)
    lead: str = Field(min_length=1, max_length=300)
    members: str = ""
    duties: str = ""
    #: The case categories (诉求与事件) this group takes when a case reaches the street.
    case_categories: list[CaseCategoryCode] = []


class CoordinationOffice(Strict):
    scope: str
    name: str = Field(min_length=1, max_length=100)
    director: str = Field(min_length=1, max_length=200)
    executive_deputy: str = ""
    deputies: str = ""
    members: str = ""
    duties: str = ""
    working_groups: list[WorkingGroup] = []


class RoleGrant(Strict):
    role: RoleCode
    scope: str


class User(Strict):
    username: str = Field(min_length=1, max_length=150, pattern=r"^[\w.@+-]+$")
    name: str = ""
    email: str = ""
    superuser: bool = False
    active: bool = True
    password: str | None = Field(default=None, min_length=8)
    password_env: str | None = None
    roles: list[RoleGrant] = []
    #: The responsible offices (codes of ``offices``) whose annual tasks this account updates.
    offices: list[str] = []


class Step(Strict):
    name: str = Field(min_length=1, max_length=255)
    #: A stable code others recognise the step by (e.g. the candidate vetting stages).
    key: str = Field(default="", pattern=r"^([a-z][a-z0-9_]*)?$", max_length=50)
    type: str
    role: RoleCode | None = None
    params: dict[str, str | int | bool | Decimal] = {}


class Attach(Strict):
    levels: list[Level] = []
    pages: list[str] = []
    snippets: list[str] = []


class ChainRule(Strict):
    """Which page types under which subtree, in which amount tier, take this chain."""

    page_types: list[str] = Field(min_length=1)
    subtree: str | None = None
    #: The tier starts at this amount (inclusive); the highest tier reached wins.
    min_amount: Decimal | None = Field(default=None, ge=0, decimal_places=2, max_digits=14)


class Chain(Strict):
    name: str = Field(min_length=1, max_length=255)
    active: bool = True
    steps: list[Step] = Field(min_length=1)
    attach_to: Attach = Attach()
    rules: list[ChainRule] = []


class Screen(Strict):
    """A public screen; its token is issued in the admin (重新生成令牌), never in a file."""

    code: str = Slug
    name: str = Field(min_length=1, max_length=100)
    scope: str
    location: str = Field(default="", max_length=200)


class DisclosureSchedule(Strict):
    code: str = Slug
    name: str = Field(min_length=1, max_length=100)
    page_type: str
    # Left out, these are the kind's defaults (``content_types.disclosures.kinds``).
    every: PeriodCode | None = None
    grace_days: int | None = Field(default=None, ge=0, le=366)
    fund: str | None = None
    scope: str


class Task(Strict):
    """A row of the annual task list, in the columns of ``annex1.yaml``."""

    year: int = Field(ge=2000, le=2100)
    number: int = Field(ge=1)
    area: str = Field(min_length=1, max_length=100)
    key_task: str = Field(min_length=1, max_length=100)
    measure: str = Field(min_length=1)
    offices: str = Field(min_length=1, max_length=200)
    deadline: str
    #: Done community by community, each community's office keeping its own status.
    per_community: bool = False

    @field_validator("deadline")
    @classmethod
    def _readable_deadline(cls, value: str) -> str:
        parse_deadline(value)  # the task list's own reading, so both accept the same
        return value


def _default_days(level: str) -> int:
    return int(settings.WEIZHI_CASE_DEADLINE_DAYS[level])


class CaseDeadlines(Strict):
    """Days each level has to finish a case before it goes up by itself (分级处置)."""

    compound: int = Field(default_factory=lambda: _default_days("compound"), ge=1, le=365)
    community: int = Field(default_factory=lambda: _default_days("community"), ge=1, le=365)
    street: int = Field(default_factory=lambda: _default_days("street"), ge=1, le=365)


class Security(Strict):
    # Superusers always need a second factor; these roles too (等保 三级 双因素身份鉴别).
    two_factor_roles: list[RoleCode] = Field(default_factory=default_two_factor_roles)


class Voting(Strict):
    # Participation stays with the organisers until the vote closes; a street may show owners
    # the overall turnout (heads and area, never per building, never a choice) while it is open.
    public_turnout: bool = False
    # When more candidates pass a committee election than there are seats: heads for first,
    # or area for first (an assembly's own rules may say).
    seat_order: SeatOrderCode = SeatOrder.HEADS_THEN_AREA.value


class SiteConfig(Strict):
    version: Literal[1] = 1
    street: Street
    communities: list[Community] = []
    firms: list[Firm] = []
    offices: list[Office] = []
    coordination_offices: list[CoordinationOffice] = []
    users: list[User] = []
    chains: list[Chain] = []
    screens: list[Screen] = []
    disclosure_schedules: list[DisclosureSchedule] = []
    tasks: list[Task] = []
    case_deadlines: CaseDeadlines = Field(default_factory=CaseDeadlines)
    security: Security = Field(default_factory=Security)
    voting: Voting = Field(default_factory=Voting)
