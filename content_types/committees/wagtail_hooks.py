"""Admin for committees and the candidate pool, scoped by compound, and their dashboard panel."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from content_types.roles.permissions import ALL_ACTIONS, scope_policy_for
from content_types.roles.viewsets import CompoundScopedSnippetViewSet

from .filters import CommitteeCandidateFilterSet, OwnersCommitteeFilterSet
from .models import CommitteeCandidate, CommitteeMember, OwnersCommittee, OwnersCommitteeQuerySet
from .views import OwnersCommitteeInspectView

if TYPE_CHECKING:
    from django.http import HttpRequest

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
            .prefetch_related("members")
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


class CommitteesViewSetGroup(SnippetViewSetGroup):
    items = (OwnersCommitteeViewSet, CommitteeCandidateViewSet)
    menu_icon = "group"
    menu_label = "业委会"
    menu_name = "committees"
    menu_order = 220


register_snippet(CommitteesViewSetGroup)


class CommitteeTargetsPanel(Component):
    """Current committees of the user's compounds that miss a policy target.

    Below 50% Party members (measure 4), and members not yet trained this
    year (measure 7). A fixed number of queries, however many committees.
    """

    name = "committee_targets"
    order = 120
    template_name = "committees/panels/committee_targets.html"

    def __init__(self, committees: OwnersCommitteeQuerySet, today: datetime.date) -> None:
        self.committees = committees
        self.today = today

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        below = list(
            self.committees.below_party_target()
            .select_related("compound")
            .prefetch_related("members")
            .order_by("compound__path")[:PANEL_ROWS]
        )
        untrained = (
            CommitteeMember.objects.filter(committee__in=self.committees)
            .filter(
                Q(last_training_date__isnull=True)
                | Q(last_training_date__lt=datetime.date(self.today.year, 1, 1))
            )
            .select_related("committee__compound")
            .order_by("committee__compound__path", "sort_order")
        )
        untrained_rows = list(untrained[: PANEL_ROWS + 1])
        return {
            "below_target": below,
            "untrained": untrained_rows[:PANEL_ROWS],
            "untrained_more": len(untrained_rows) > PANEL_ROWS,
            "year": self.today.year,
        }


@hooks.register("construct_homepage_panels")
def add_committee_targets_panel(request: HttpRequest, panels: list[Component]) -> None:
    policy = scope_policy_for(OwnersCommittee)
    if not policy.user_has_any_permission(request.user, ALL_ACTIONS):
        return
    today = timezone.localdate()
    reachable = policy.instances_user_has_any_permission_for(request.user, ALL_ACTIONS)
    committees = cast("OwnersCommitteeQuerySet", reachable).current(today)
    panels.append(CommitteeTargetsPanel(committees, today))
