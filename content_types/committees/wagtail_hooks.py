"""Admin for committees and the candidate pool, scoped by compound, and their dashboard panel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from content_types.roles.permissions import ALL_ACTIONS, scope_policy_for
from content_types.roles.viewsets import CompoundScopedSnippetViewSet, compound_panel

from .evaluations import LOG_ACTIONS
from .filters import CommitteeCandidateFilterSet, OwnersCommitteeFilterSet
from .forms import MemberEvaluationForm, TrainingSessionForm
from .models import (
    CommitteeCandidate,
    CommitteeMember,
    MemberEvaluation,
    MemberWithdrawal,
    OwnersCommittee,
    OwnersCommitteeQuerySet,
    TrainingAttendance,
    TrainingSession,
    WithdrawalStatus,
)
from .views import OwnersCommitteeInspectView

if TYPE_CHECKING:
    import datetime

    from django.http import HttpRequest
    from wagtail.log_actions import LogActionRegistry

# The dashboard lists this many rows per section; the heading gives the full count.
PANEL_ROWS = 10


class OwnersCommitteeViewSet(CompoundScopedSnippetViewSet):
    model = OwnersCommittee
    icon = "group"
    menu_label = "业主委员会"
    inspect_view_enabled = True
    list_display = [
        "__str__",
        "compound",
        "term_start",
        "term_end",
        Column("party_member_summary", label="党员/委员（占比）"),
        BooleanColumn("meets_party_target", label="党员占比达50%"),
        Column("untrained_member_count", label="今年未培训"),
    ]
    inspect_view_class = OwnersCommitteeInspectView
    inspect_view_fields = [
        "compound",
        "term_start",
        "term_end",
        "members",
        "party_member_summary",
        "untrained_member_count",
    ]
    filterset_class = OwnersCommitteeFilterSet
    search_fields = ["compound__title", "members__name"]
    search_backend_name = None

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("latest_revision")
            .prefetch_related("members", attendances_of_members())
        )


def attendances_of_members() -> Prefetch:
    """What ``CommitteeMember.trained_in`` reads, fetched once for a whole listing."""
    return Prefetch(
        "members__training_attendances",
        queryset=TrainingAttendance.objects.select_related("session"),
    )


class CommitteeCandidateViewSet(CompoundScopedSnippetViewSet):
    model = CommitteeCandidate
    icon = "user"
    menu_label = "业委会人选储备库"
    inspect_view_enabled = True
    list_display = [
        "name",
        "compound",
        "is_party_member",
        "specialty",
        "vetting_stage",
        Column("vetting_result", label="审查结果"),
    ]
    inspect_view_fields = [
        "compound",
        "name",
        "is_party_member",
        "specialty",
        "vetting_stage",
        "notes",
    ]
    filterset_class = CommitteeCandidateFilterSet
    search_fields = ["name", "notes", "compound__title"]
    search_backend_name = None


class TrainingSessionViewSet(CompoundScopedSnippetViewSet):
    model = TrainingSession
    icon = "date"
    menu_label = "业委会培训记录"
    inspect_view_enabled = True
    list_display = ["__str__", "compound", "organiser", Column("attendee_names", label="参加委员")]
    list_filter = ["date"]
    inspect_view_fields = ["compound", "date", "topic", "organiser", "attendee_names"]
    search_fields = ["topic", "organiser", "compound__title", "attendances__member_name"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            compound_panel(),
            FieldRowPanel([FieldPanel("date"), FieldPanel("organiser")]),
            FieldPanel("topic"),
            FieldPanel("attendees"),
        ],
        base_form_class=TrainingSessionForm,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("attendances")


class MemberEvaluationViewSet(CompoundScopedSnippetViewSet):
    model = MemberEvaluation
    icon = "success"
    menu_label = "业委会委员考核"
    inspect_view_enabled = True
    list_display = ["member_name", "compound", "year", "grade"]
    list_filter = ["year", "grade"]
    inspect_view_fields = ["compound", "member_name", "year", "grade", "notes", "recorded_at"]
    search_fields = ["member_name", "compound__title"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            compound_panel(),
            FieldPanel("member"),
            FieldRowPanel([FieldPanel("year"), FieldPanel("grade")]),
            FieldPanel("notes"),
        ],
        base_form_class=MemberEvaluationForm,
    )


class MemberWithdrawalViewSet(CompoundScopedSnippetViewSet):
    model = MemberWithdrawal
    icon = "warning"
    menu_label = "业委会委员退出"
    inspect_view_enabled = True
    list_display = ["member_name", "compound", "evaluation", "status", "started_on"]
    list_filter = ["status"]
    inspect_view_fields = ["compound", "member_name", "evaluation", "status", "started_on", "notes"]
    search_fields = ["member_name", "compound__title"]
    search_backend_name = None
    panels = [
        compound_panel(),
        FieldRowPanel([FieldPanel("status"), FieldPanel("started_on")]),
        FieldPanel("notes"),
    ]


class CommitteesViewSetGroup(SnippetViewSetGroup):
    items = (
        OwnersCommitteeViewSet,
        CommitteeCandidateViewSet,
        TrainingSessionViewSet,
        MemberEvaluationViewSet,
        MemberWithdrawalViewSet,
    )
    menu_icon = "group"
    menu_label = "业委会"
    menu_name = "committees"
    menu_order = 220


register_snippet(CommitteesViewSetGroup)


class CommitteeTargetsPanel(Component):
    """Current committees of the user's compounds that miss a policy target.

    Below 50% Party members (measure 4), members not yet trained this year,
    and withdrawals opened by a 不称职 evaluation that the community has yet to
    start (measure 7). All read from the records as saved, so what the community
    Party organisation records shows here at once. A fixed number of queries,
    however many committees.
    """

    name = "committee_targets"
    order = 120
    template_name = "committees/panels/committee_targets.html"

    def __init__(
        self,
        committees: OwnersCommitteeQuerySet,
        today: datetime.date,
        withdrawals: QuerySet[MemberWithdrawal],
    ) -> None:
        self.committees = committees
        self.today = today
        self.withdrawals = withdrawals

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        below = list(
            self.committees.below_party_target()
            .select_related("compound")
            .prefetch_related("members")
            .order_by("compound__path")[:PANEL_ROWS]
        )
        untrained = (
            CommitteeMember.objects.filter(committee__in=self.committees)
            .untrained_in(self.today.year)
            .with_last_training()
            .select_related("committee__compound")
            .order_by("committee__compound__path", "sort_order")
        )
        untrained_rows = list(untrained[: PANEL_ROWS + 1])
        withdrawals = list(
            self.withdrawals.filter(status=WithdrawalStatus.OPEN)
            .select_related("compound", "evaluation")
            .order_by("compound__path", "pk")[:PANEL_ROWS]
        )
        return {
            "below_target": below,
            "untrained": untrained_rows[:PANEL_ROWS],
            "untrained_more": len(untrained_rows) > PANEL_ROWS,
            "withdrawals": withdrawals,
            "year": self.today.year,
        }


@hooks.register("register_log_actions")
def register_committee_log_actions(actions: LogActionRegistry) -> None:
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("construct_homepage_panels")
def add_committee_targets_panel(request: HttpRequest, panels: list[Component]) -> None:
    policy = scope_policy_for(OwnersCommittee)
    if not policy.user_has_any_permission(request.user, ALL_ACTIONS):
        return
    today = timezone.localdate()
    reachable = policy.instances_user_has_any_permission_for(request.user, ALL_ACTIONS)
    committees = cast("OwnersCommitteeQuerySet", reachable).current(today)
    withdrawals = scope_policy_for(MemberWithdrawal).instances_user_has_any_permission_for(
        request.user, ALL_ACTIONS
    )
    panels.append(CommitteeTargetsPanel(committees, today, withdrawals))
