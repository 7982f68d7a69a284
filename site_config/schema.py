"""The shape of the configuration file, as pydantic models.

Every mapping refuses keys it does not know (``extra="forbid"``), so a typo
is reported at its line instead of being ignored. Checks that span the file
(unique slugs, scopes that exist, roles on the right level, known task
types) are in ``validation.py``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from content_types.accounts.models import default_two_factor_roles
from content_types.cases.models import CaseCategory
from content_types.configured_disclosures.declaration import ColumnType, RuleType
from content_types.disclosures.periods import Period
from content_types.firms.models import PartyOrganisationStatus
from content_types.governance_tasks.loader import parse_deadline
from content_types.reports.models import REPORTER_ROLES
from content_types.roles.models import Role
from content_types.scorecards.periods import SCORING_PERIODS
from core.civil_code.election import SeatOrder
from workflows.chains.outbox import Notification
from workflows.channels.models import ChannelKind

# Literals built from the models' choices: pydantic checks them; type checkers see text.
if TYPE_CHECKING:
    RoleCode: TypeAlias = str
    PeriodCode: TypeAlias = str
    PartyStatus: TypeAlias = str
    SeatOrderCode: TypeAlias = str
    CaseCategoryCode: TypeAlias = str
    ReporterRoleCode: TypeAlias = str
    ScoringPeriodCode: TypeAlias = str
    ChannelKindCode: TypeAlias = str
    EventCode: TypeAlias = str
    ColumnTypeCode: TypeAlias = str
    RuleTypeCode: TypeAlias = str
else:
    RoleCode = Literal[tuple(Role.values)]
    PeriodCode = Literal[tuple(Period.values)]
    PartyStatus = Literal[tuple(PartyOrganisationStatus.values)]
    SeatOrderCode = Literal[tuple(order.value for order in SeatOrder)]
    CaseCategoryCode = Literal[tuple(CaseCategory.values)]
    ReporterRoleCode = Literal[REPORTER_ROLES]
    ScoringPeriodCode = Literal[SCORING_PERIODS]
    ChannelKindCode = Literal[tuple(ChannelKind.values)]
    EventCode = Literal[tuple(Notification.Event.values)]
    ColumnTypeCode = Literal[tuple(ColumnType.values)]
    RuleTypeCode = Literal[tuple(RuleType.values)]
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


class ReportSchedule(Strict):
    """报告制度: who reports what to the community, how often, by when, under which headings."""

    code: str = Slug
    name: str = Field(min_length=1, max_length=100)
    role: ReporterRoleCode
    every: PeriodCode
    grace_days: int = Field(default=10, ge=0, le=366)
    headings: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        min_length=1, max_length=30
    )
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


class Audits(Strict):
    """轮审 and 换届审计 of committee finances (measure 8), opened by the worker."""

    # The end-of-term audit opens this many days before a committee's term ends.
    term_end_days_before: int = Field(default=90, ge=1, le=365)
    # Each year about 1/N of the compounds have a rotation audit of the year before, so each
    # committee is audited at least every N years; the year's audits open in this month.
    rotation_years: int = Field(default=3, ge=1, le=5)
    rotation_month: int = Field(default=3, ge=1, le=12)
    # Days the auditor has from opening to the report, and who audits unless an audit says.
    due_days: int = Field(default=60, ge=1, le=365)
    auditor: str = Field(default="街道财务审计中心", min_length=1, max_length=100)


# 考评体系: how each indicator weighs and what it aims at (codes: content_types.scorecards).
class ScoreIndicator(Strict):
    code: str = Field(min_length=1, max_length=50)
    weight: Decimal = Field(ge=0, le=100, max_digits=5, decimal_places=2)
    target: Decimal = Field(gt=0, max_digits=12, decimal_places=4)


class Scorecards(Strict):
    every: ScoringPeriodCode = "half_year"
    #: How many communities the published 赛比争先 list names as 先进.
    honours: int = Field(default=1, ge=0, le=50)
    indicators: list[ScoreIndicator] = []


# --- firm_evaluation (培育优质物业) ---------------------------------------------------------


class SurveyQuestion(Strict):
    key: str = Field(pattern=r"^[a-z0-9_]+$", max_length=32)
    text: str = Field(min_length=1, max_length=100)
    weight: int = Field(default=1, ge=1, le=100)


class ScoreWeights(Strict):
    """The parts of a firm's score; they add up to 100."""

    survey: int = Field(default=40, ge=0, le=100)
    committee: int = Field(default=15, ge=0, le=100)
    community: int = Field(default=15, ge=0, le=100)
    fee_collection: int = Field(default=10, ge=0, le=100)
    cases: int = Field(default=10, ge=0, le=100)
    party: int = Field(default=10, ge=0, le=100)

    @model_validator(mode="after")
    def _add_up_to_100(self) -> ScoreWeights:
        total = sum(self.model_dump().values())
        if total != 100:
            raise ValueError(f"各项权重之和须为 100，现为 {total}。")
        return self


def _default_questions() -> list[SurveyQuestion]:
    return [SurveyQuestion(key="overall", text="对物业服务的总体评价", weight=1)]


class FirmEvaluationConfig(Strict):
    # 满意度测评 questions, each rated 很满意 … 很不满意, weighted within the survey part.
    questions: list[SurveyQuestion] = Field(
        default_factory=_default_questions, min_length=1, max_length=30
    )
    weights: ScoreWeights = Field(default_factory=ScoreWeights)
    excellent_min: Decimal = Field(default=Decimal("85"), ge=0, le=100, decimal_places=2)
    complaint_deduction: Decimal = Field(default=Decimal("5"), ge=0, le=100, decimal_places=2)

    @field_validator("questions")
    @classmethod
    def _unique_keys(cls, questions: list[SurveyQuestion]) -> list[SurveyQuestion]:
        keys = [question.key for question in questions]
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        if repeated:
            raise ValueError(f"题目代码重复：{'、'.join(repeated)}。")
        return questions


# --- end firm_evaluation ---------------------------------------------------------------------
class NotificationChannel(Strict):
    """A mailbox or group robot told what the holders of ``roles`` on ``scope`` are told.

    ``secret_env`` names the environment variable holding a DingTalk robot's signing secret,
    ``address_env`` (instead of ``address``) the one holding an address that is itself a key
    (a WeCom robot's): secrets are never written in the file.
    """

    code: str = Slug
    name: str = Field(min_length=1, max_length=100)
    type: ChannelKindCode
    address: str = Field(default="", max_length=500)
    address_env: str = Field(default="", pattern=r"^([A-Za-z_][A-Za-z0-9_]*)?$", max_length=100)
    secret_env: str = Field(default="", pattern=r"^([A-Za-z_][A-Za-z0-9_]*)?$", max_length=100)
    scope: str
    roles: list[RoleCode] = Field(min_length=1)
    events: list[EventCode] = []
    active: bool = True


# Disclosure kinds declared in the file (``disclosure_kinds``): checked across in
# ``disclosure_kinds.py``.
ColumnCode = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)


class KindColumn(Strict):
    code: str = ColumnCode
    label: str = Field(min_length=1, max_length=40)
    type: ColumnTypeCode = "text"
    required: bool = False
    options: list[str] = Field(default=[], max_length=50)


class KindRule(Strict):
    type: RuleTypeCode
    column: str
    header: str = ""
    other: str = ""
    min: Decimal | None = None
    max: Decimal | None = None


class KindComputed(Strict):
    code: str = ColumnCode
    label: str = Field(min_length=1, max_length=40)
    numerator: str
    denominator: str


class KindSchedule(Strict):
    every: PeriodCode
    grace_days: int = Field(default=30, ge=0, le=365)


class KindMigration(Strict):
    """What becomes of the values in a column whose change would lose them."""

    drop: str = ""
    retype: str = ""


class DisclosureKind(Strict):
    code: str = Slug
    name: str = Field(min_length=1, max_length=100)
    levels: list[Level] = Field(min_length=1)
    editors: list[RoleCode] = Field(min_length=1)
    chain: str = ""
    schedule: KindSchedule | None = None
    header: list[KindColumn] = Field(default=[], max_length=30)
    columns: list[KindColumn] = Field(min_length=1, max_length=30)
    rules: list[KindRule] = Field(default=[], max_length=50)
    computed: KindComputed | None = None
    migrations: list[KindMigration] = []


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
    report_schedules: list[ReportSchedule] = []
    tasks: list[Task] = []
    case_deadlines: CaseDeadlines = Field(default_factory=CaseDeadlines)
    security: Security = Field(default_factory=Security)
    voting: Voting = Field(default_factory=Voting)
    audits: Audits = Field(default_factory=Audits)
    scorecards: Scorecards = Field(default_factory=Scorecards)
    firm_evaluation: FirmEvaluationConfig = Field(default_factory=FirmEvaluationConfig)
    notification_channels: list[NotificationChannel] = []
    disclosure_kinds: list[DisclosureKind] = []
