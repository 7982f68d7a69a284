"""业主委员会: each compound's committee by term, and the pool of future members.

The committee roster is public content, published through the review chain.
The policy measures it against targets: about half the members Party members
(measure 4), every member trained at least once a year (measure 7), the three
pledges and an annual evaluation (measure 7). Candidates (人选储备库, measure
6) are personal data under vetting: they are never published.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    RevisionMixin,
    WorkflowMixin,
)

from content_types.roles.viewsets import CompoundScopedAdminForm, compound_panel

if TYPE_CHECKING:
    import datetime

# Measure 4: raise the Party members' share of committee members to about 50%.
PARTY_MEMBER_TARGET = Fraction(1, 2)
# 业主大会和业主委员会指导规则 第31条: a term lasts five years at most.
MAX_TERM_YEARS = 5


class Specialty(models.TextChoices):
    FINANCE = "finance", "财务"
    LAW = "law", "法律"
    ENGINEERING = "engineering", "工程"
    OTHER = "other", "其他"


class MemberRole(models.TextChoices):
    CHAIR = "chair", "主任"
    VICE_CHAIR = "vice_chair", "副主任"
    MEMBER = "member", "委员"


class EvaluationGrade(models.TextChoices):
    """The four grades of the annual evaluation the community Party organisation leads."""

    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASICALLY_COMPETENT = "basically_competent", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class WithdrawalStatus(models.TextChoices):
    OPEN = "open", "待社区启动退出"
    STARTED = "started", "已启动退出程序"
    CANCELLED = "cancelled", "已撤销（考核结果已更正）"


class VettingStage(models.TextChoices):
    """The 推荐→审核→把关→审查 chain of measure 5, in order."""

    RECOMMENDED = "recommended", "小区党组织或业主联名推荐"
    COMMUNITY_REVIEW = "community_review", "社区前置审核"
    STREET_REVIEW = "street_review", "街道统筹把关"
    JOINT_REVIEW = "joint_review", "部门联合审查"


def this_year() -> int:
    return timezone.localdate().year


def compound_foreign_key(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        "structure.CompoundPage",
        verbose_name="小区",
        on_delete=models.PROTECT,
        related_name=related_name,
    )


def compound_title(row: models.Model) -> str:
    return row.compound.title if row.compound_id else "（未选小区）"  # type: ignore[attr-defined]


class OwnersCommitteeQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> OwnersCommitteeQuerySet:
        on = on or timezone.localdate()
        return self.filter(term_start__lte=on, term_end__gte=on)

    def with_member_counts(self) -> OwnersCommitteeQuerySet:
        return self.annotate(
            member_total=models.Count("members", distinct=True),
            party_member_total=models.Count(
                "members", filter=models.Q(members__is_party_member=True), distinct=True
            ),
        )

    def below_party_target(self) -> OwnersCommitteeQuerySet:
        """Committees with members, fewer than half of them Party members (integer arithmetic)."""
        return (
            self.with_member_counts()
            .alias(
                party_scaled=models.F("party_member_total") * PARTY_MEMBER_TARGET.denominator,
                total_scaled=models.F("member_total") * PARTY_MEMBER_TARGET.numerator,
            )
            .filter(member_total__gt=0, party_scaled__lt=models.F("total_scaled"))
        )


class OwnersCommittee(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel
):
    compound = compound_foreign_key("owners_committees")
    scope_field = "compound"
    term_start = models.DateField("任期开始")
    term_end = models.DateField("任期结束")

    objects = OwnersCommitteeQuerySet.as_manager()
    base_form_class = CompoundScopedAdminForm

    panels = [
        compound_panel(),
        FieldRowPanel([FieldPanel("term_start"), FieldPanel("term_end")], heading="任期"),
        InlinePanel("members", heading="委员", label="委员"),
    ]

    class Meta:
        verbose_name = "业主委员会"
        verbose_name_plural = "业主委员会"
        ordering = ["compound__path", "-term_start"]

    def __str__(self) -> str:
        compound = self.compound.title if self.compound_id else "（未选小区）"  # type: ignore[attr-defined]
        return f"{compound} 业委会（{self.term_start:%Y.%m}—{self.term_end:%Y.%m}）"

    def clean(self) -> None:
        super().clean()
        if self.term_start and self.term_end:
            if self.term_end <= self.term_start:
                raise ValidationError({"term_end": "任期结束日期必须晚于任期开始日期。"})
            try:
                longest = self.term_start.replace(year=self.term_start.year + MAX_TERM_YEARS)
            except ValueError:  # 29 February
                longest = self.term_start.replace(
                    year=self.term_start.year + MAX_TERM_YEARS, day=28
                )
            if self.term_end > longest:
                raise ValidationError(
                    {"term_end": f"业委会每届任期不超过{MAX_TERM_YEARS}年，请核对任期结束日期。"}
                )

    @property
    def party_member_share(self) -> Fraction | None:
        """Exact share of Party members; None for a committee with no members yet."""
        members = list(self.members.all())
        if not members:
            return None
        return Fraction(sum(member.is_party_member for member in members), len(members))

    @property
    def meets_party_target(self) -> bool | None:
        share = self.party_member_share
        return None if share is None else share >= PARTY_MEMBER_TARGET

    @property
    def party_member_summary(self) -> str:
        """ "Party members / all members (percent)", for the listing and the dashboard."""
        members = list(self.members.all())
        if not members:
            return "暂无委员"
        party = sum(member.is_party_member for member in members)
        percent = (Decimal(party * 100) / len(members)).quantize(Decimal("1"), ROUND_HALF_UP)
        return f"{party}/{len(members)}（{percent}%）"

    def members_without_training(self, year: int | None = None) -> list[CommitteeMember]:
        year = year or this_year()
        return [member for member in self.members.all() if not member.trained_in(year)]

    @property
    def untrained_member_count(self) -> int:
        return len(self.members_without_training())


class CommitteeMemberQuerySet(models.QuerySet):
    def trained_in(self, year: int) -> CommitteeMemberQuerySet:
        return self.filter(models.Exists(attendance_in(year)))

    def untrained_in(self, year: int) -> CommitteeMemberQuerySet:
        return self.exclude(models.Exists(attendance_in(year)))

    def with_last_training(self) -> CommitteeMemberQuerySet:
        return self.annotate(last_trained=models.Max("training_attendances__session__date"))


def attendance_in(year: int) -> models.QuerySet:
    return TrainingAttendance.objects.filter(member=models.OuterRef("pk"), session__date__year=year)


def members_trained_in(year: int) -> CommitteeMemberQuerySet:
    """Committee members who attended at least one training session in ``year`` (measure 7).

    The one query for training coverage: the dashboard and the scorecards both count from it.
    Combine with a filter on ``committee`` (``committee__compound__in=...``) to narrow it.
    """
    return CommitteeMember.objects.trained_in(year)


class CommitteeMember(Orderable):
    committee = ParentalKey(OwnersCommittee, related_name="members", on_delete=models.CASCADE)
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("职务", max_length=16, choices=MemberRole.choices)
    is_party_member = models.BooleanField("中共党员", default=False)
    specialty = models.CharField(
        "专业特长", max_length=16, choices=Specialty.choices, default=Specialty.OTHER
    )
    candidacy_pledge_date = models.DateField("竞职承诺日期", null=True, blank=True)
    service_pledge_date = models.DateField("干事承诺日期", null=True, blank=True)
    resignation_pledge_date = models.DateField("辞职承诺日期", null=True, blank=True)

    objects = CommitteeMemberQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("role")]),
        FieldRowPanel([FieldPanel("is_party_member"), FieldPanel("specialty")]),
        MultiFieldPanel(
            [
                FieldPanel("candidacy_pledge_date"),
                FieldPanel("service_pledge_date"),
                FieldPanel("resignation_pledge_date"),
            ],
            heading="三承诺",
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "业委会委员"
        verbose_name_plural = "业委会委员"

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"

    def trained_in(self, year: int) -> bool:
        """From the attendance records (prefetched by the listings, so no query per member)."""
        return any(a.session.date.year == year for a in self.training_attendances.all())

    def clean(self) -> None:
        super().clean()
        today = timezone.localdate()
        errors = {}
        for field in ("candidacy_pledge_date", "service_pledge_date", "resignation_pledge_date"):
            value = getattr(self, field)
            if value and value > today:
                label = self._meta.get_field(field).verbose_name
                errors[field] = f"{label}不能晚于今天。"
        if errors:
            raise ValidationError(errors)


class CommitteeCandidate(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model
):
    """A prospective committee member in the pool (人选储备库); personal data, never public.

    A candidate enters the pool through the vetting chain of measure 5
    (the 业委会人选考察 chain of the site configuration): recommended, then
    reviewed by the community, the street, and the departments. "Live" means
    *passed vetting* (已通过审查), never "shown to the public": no public view
    or API reads this model. A new or imported candidate starts as a draft.
    """

    compound = compound_foreign_key("committee_candidates")
    scope_field = "compound"
    name = models.CharField("姓名", max_length=50)
    is_party_member = models.BooleanField("中共党员", default=False)
    specialty = models.CharField(
        "专业特长", max_length=16, choices=Specialty.choices, default=Specialty.OTHER
    )
    vetting_stage = models.CharField(
        "考察阶段",
        max_length=32,
        choices=VettingStage.choices,
        default=VettingStage.RECOMMENDED,
        editable=False,
        help_text="推荐、审核、把关、审查依次进行，由审核流程自动更新。",
    )
    notes = models.TextField("考察情况", blank=True)
    live = models.BooleanField("已通过审查", default=False, editable=False)

    base_form_class = CompoundScopedAdminForm

    panels = [
        compound_panel(),
        # A draft without a name is meaningless: required even when only saved.
        FieldPanel("name", required_on_save=True),
        FieldRowPanel([FieldPanel("is_party_member"), FieldPanel("specialty")]),
        FieldPanel("notes"),
    ]

    class Meta:
        verbose_name = "业委会人选"
        verbose_name_plural = "业委会人选储备库"
        ordering = ["compound__path", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def vetting_result(self) -> str:
        """Whether the whole chain has approved the candidate, for the pool's listing."""
        return "已通过审查，入库" if self.live else "未完成审查"


# --------------------------------------------------------------------------- records (measure 7)


class TrainingSession(models.Model):
    """One training of committee members (教育培训), with who attended.

    Recorded by the community Party organisation or office, it takes effect when saved: the
    dashboard's "not yet trained this year" flag is read from these records. Attendance keeps
    the member's name, so a member who later leaves the committee keeps their history.
    """

    compound = compound_foreign_key("committee_trainings")
    scope_field = "compound"
    date = models.DateField("培训日期")
    topic = models.CharField("培训主题", max_length=200)
    organiser = models.CharField("组织单位", max_length=100)

    base_form_class = CompoundScopedAdminForm

    class Meta:
        verbose_name = "业委会培训"
        verbose_name_plural = "业委会培训记录"
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{compound_title(self)} {self.date:%Y年%m月%d日} {self.topic}"

    @property
    def attendee_names(self) -> str:
        return "、".join(a.member_name for a in self.attendances.all()) or "（无）"

    def clean(self) -> None:
        super().clean()
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": "培训日期不能晚于今天。"})


class TrainingAttendance(models.Model):
    """A member at a training; the year of the session is the year it counts for."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        CommitteeMember,
        verbose_name="委员",
        null=True,
        on_delete=models.SET_NULL,
        related_name="training_attendances",
    )
    member_name = models.CharField("委员姓名", max_length=50)

    class Meta:
        verbose_name = "培训出席"
        verbose_name_plural = "培训出席"
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="one_attendance_per_member")
        ]

    def __str__(self) -> str:
        return self.member_name


class MemberEvaluation(models.Model):
    """A member's evaluation for one year (年度考核评价); one per member and year, kept for good.

    不称职 opens a withdrawal (``MemberWithdrawal``) for the community to start.
    """

    compound = compound_foreign_key("committee_evaluations")
    scope_field = "compound"
    member = models.ForeignKey(
        CommitteeMember,
        verbose_name="委员",
        null=True,
        on_delete=models.SET_NULL,
        related_name="evaluations",
    )
    member_name = models.CharField("委员姓名", max_length=50, editable=False)
    year = models.PositiveSmallIntegerField(
        "考核年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    grade = models.CharField("考核结果", max_length=24, choices=EvaluationGrade.choices)
    notes = models.TextField("考核意见", blank=True)
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    base_form_class = CompoundScopedAdminForm

    class Meta:
        verbose_name = "业委会委员考核"
        verbose_name_plural = "业委会委员考核"
        ordering = ["-year", "compound__path", "member_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="one_evaluation_per_member_year",
                violation_error_message="该委员本年度已有考核记录，请修改原记录。",
            )
        ]

    def __str__(self) -> str:
        grade = self.get_grade_display()
        return f"{compound_title(self)} {self.member_name} {self.year}年度考核：{grade}"

    def clean(self) -> None:
        super().clean()
        if self.year and self.year > timezone.localdate().year:
            raise ValidationError({"year": "考核年度不能晚于今年。"})
        member = self.member if self.member_id else None
        if member is None:
            return
        if self.compound_id and member.committee.compound_id != self.compound_id:
            raise ValidationError({"member": "所选委员不是该小区业委会的委员。"})
        self.member_name = member.name


class MemberWithdrawal(models.Model):
    """The step a 不称职 evaluation opens: the community starts the member's withdrawal (退出)."""

    compound = compound_foreign_key("committee_withdrawals")
    scope_field = "compound"
    evaluation = models.OneToOneField(
        MemberEvaluation,
        verbose_name="考核记录",
        on_delete=models.PROTECT,
        related_name="withdrawal",
        editable=False,
    )
    member_name = models.CharField("委员姓名", max_length=50, editable=False)
    status = models.CharField(
        "状态", max_length=16, choices=WithdrawalStatus.choices, default=WithdrawalStatus.OPEN
    )
    started_on = models.DateField("启动日期", null=True, blank=True)
    notes = models.TextField("办理情况", blank=True)

    base_form_class = CompoundScopedAdminForm

    class Meta:
        verbose_name = "业委会委员退出"
        verbose_name_plural = "业委会委员退出"
        ordering = ["status", "-pk"]

    def __str__(self) -> str:
        return f"{compound_title(self)} {self.member_name} 退出（{self.get_status_display()}）"

    def clean(self) -> None:
        super().clean()
        if self.status == WithdrawalStatus.STARTED and not self.started_on:
            raise ValidationError({"started_on": "启动退出程序时请填写启动日期。"})
        if self.started_on and self.started_on > timezone.localdate():
            raise ValidationError({"started_on": "启动日期不能晚于今天。"})
