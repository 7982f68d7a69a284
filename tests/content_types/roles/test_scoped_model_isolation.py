"""Every model that declares its scope field is isolated by the one policy, a new one included.

``Noticeboard`` exists only here (``scoped_model``): declaring its compound field is all it
does, and the snippet isolation matrix holds for it as for the real snippets — the listing,
its search, the chooser and every object URL refuse another compound's board. Below, the
policy itself is asked, for every scoped model of the project, what a role holder may list
and act on: their own scope's rows, never another compound's.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from wagtail.log_actions import log

from api.models import Screen
from content_types.cases.models import Case, CaseCategory, ReporterKind
from content_types.evaluations.models import FirmEvaluation, Survey
from content_types.governance_tasks.models import CommunityTaskStatus
from content_types.reports.models import Report
from content_types.roles.models import ROLE_SCOPE_LEVEL, Role, ScopeLevel
from content_types.roles.permissions import ALL_ACTIONS, scope_policy_for
from content_types.scorecards.models import Level, Scorecard, ScorePeriod
from tests.content_types.evaluations.factories import (
    FirmEvaluationFactory,
    SurveyFactory,
    firm_serving,
)
from tests.content_types.governance_tasks.factories import GovernanceTaskFactory
from tests.workflows.voting.factories import VoteFactory
from workflows.voting.models import Vote

from .scoped_model import Noticeboard
from .test_snippet_isolation import (
    COMMUNITY_ROLES,
    COMPOUND_ROLES,
    KINDS,
    Rows,
    make_row,
    run_matrix,
)

pytestmark = pytest.mark.django_db

COMPOUNDS = ("compound_a1", "compound_a2", "compound_b1")


@pytest.fixture(scope="module")
def noticeboard_table(django_db_setup, django_db_blocker):
    """The test-only model's table and content type, for this module only (no migration)."""
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Noticeboard)
        content_type = ContentType.objects.get_for_model(Noticeboard)
    yield
    with django_db_blocker.unblock():
        content_type.delete()
        ContentType.objects.clear_cache()
        with connection.schema_editor() as editor:
            editor.delete_model(Noticeboard)


@pytest.fixture
def noticeboards(noticeboard_table, street_tree, settings):
    """A board in compounds a1, a2 and b1, with the board's admin mounted."""
    settings.ROOT_URLCONF = "tests.content_types.roles.scoped_model_urls"
    boards = {}
    for key in COMPOUNDS:
        compound = getattr(street_tree, key)
        boards[key] = Noticeboard.objects.create(compound=compound, title=f"{compound.title}宣传栏")
        log(boards[key], "wagtail.create")
    return boards


@pytest.mark.parametrize("role", COMPOUND_ROLES)
def test_a_new_scoped_model_shows_a_compound_role_its_own_compounds_rows_only(
    role, street_tree, role_user, noticeboards, client
):
    client.force_login(role_user(role, street_tree.compound_a1))
    rows = Rows(
        own=[noticeboards["compound_a1"]],
        others=[noticeboards["compound_a2"], noticeboards["compound_b1"]],
    )
    run_matrix(client, role, Noticeboard, rows)


@pytest.mark.parametrize("role", COMMUNITY_ROLES)
def test_a_new_scoped_model_shows_a_community_role_nothing_of_another_community(
    role, street_tree, role_user, noticeboards, client
):
    client.force_login(role_user(role, street_tree.community_a))
    rows = Rows(
        own=[noticeboards["compound_a1"], noticeboards["compound_a2"]],
        others=[noticeboards["compound_b1"]],
    )
    run_matrix(client, role, Noticeboard, rows)


def make_scoped_row(model: type, compound: Any) -> Any:
    if model is Screen:
        screen = Screen(name=f"{compound.title}大堂", scope=compound)
        screen.issue_token()
        screen.save()
        return screen
    if model is Vote:
        return VoteFactory(compound=compound)
    if model is Case:
        return Case.objects.create(
            scope=compound,
            title=f"{compound.title}楼道堆物",
            category=CaseCategory.HAZARD,
            place="3 幢楼道",
            description="楼道堆放杂物。",
            reporter_kind=ReporterKind.PATROL,
            deadline_at=timezone.now(),
        )
    if model is Report:
        return Report.objects.create(
            compound=compound,
            title=f"{compound.title}2026年第一季度业委会工作报告",
            role=Role.OWNERS_COMMITTEE,
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 3, 31),
            due_on=datetime.date(2026, 4, 15),
        )
    if model is Noticeboard:
        return Noticeboard.objects.create(compound=compound, title=f"{compound.title}宣传栏")
    if model is Scorecard:
        period, _ = ScorePeriod.objects.get_or_create(
            key="2026H1",
            defaults={"label": "2026年上半年", "start": "2026-01-01", "end": "2026-06-30"},
        )
        return Scorecard.objects.create(
            period=period,
            scope=compound,
            level=Level.COMPOUND,
            community=compound.get_parent().specific,
            total="80.00",
            rank=1,
            rank_in_community=1,
        )
    if model in (Survey, FirmEvaluation):
        factory = SurveyFactory if model is Survey else FirmEvaluationFactory
        return factory(compound=compound, firm=firm_serving(compound))
    return make_row(model, compound)


SCOPED_MODELS = [
    *KINDS,
    Screen,
    Vote,
    Case,
    Report,
    Noticeboard,
    Scorecard,
    Survey,
    FirmEvaluation,
]


# Rows that belong to a community, not a compound: each has its own test below.
COMMUNITY_SCOPED_MODELS = [CommunityTaskStatus]


def test_the_matrix_covers_every_model_that_declares_a_scope():
    declared = {model for model in apps.get_models() if getattr(model, "scope_field", None)}
    assert declared == set(SCOPED_MODELS) | set(COMMUNITY_SCOPED_MODELS)


def test_a_communitys_task_status_is_its_community_offices_alone(street_tree, role_user):
    task = GovernanceTaskFactory(per_community=True)
    rows = {
        key: CommunityTaskStatus.objects.create(task=task, community=getattr(street_tree, key))
        for key in ("community_a", "community_b")
    }
    policy = scope_policy_for(CommunityTaskStatus)
    office_a = role_user(Role.COMMUNITY_OFFICE, street_tree.community_a)
    street = role_user(Role.STREET_OFFICE, street_tree.street)

    assert set(policy.instances_user_has_any_permission_for(office_a, ALL_ACTIONS)) == {
        rows["community_a"]
    }
    offered = policy.scopes_user_has_any_permission_for(office_a, ["change"])
    assert set(offered.values_list("pk", flat=True)) == {street_tree.community_a.pk}
    assert set(policy.instances_user_has_any_permission_for(street, ["change"])) == set(
        rows.values()
    )
    for role in (Role.COMMUNITY_PARTY, *COMPOUND_ROLES):
        scope = street_tree.community_a if role == Role.COMMUNITY_PARTY else street_tree.compound_a1
        holder = role_user(role, scope)
        assert not policy.instances_user_has_any_permission_for(holder, ALL_ACTIONS), role


def lower_roles(model: type) -> list[str]:
    """The compound and community roles that may do anything at all to ``model``'s rows."""
    granting = scope_policy_for(model).roles_granting(ALL_ACTIONS)
    return [role for role in Role if role in granting and role != Role.STREET_OFFICE]


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda model: model.__name__)
def test_the_policy_gives_each_role_holder_their_own_scopes_rows_only(
    model, noticeboard_table, street_tree, role_user
):
    rows = {key: make_scoped_row(model, getattr(street_tree, key)) for key in COMPOUNDS}
    policy = scope_policy_for(model)
    assert lower_roles(model), "some role below the street must run these rows"
    for role in lower_roles(model):
        community_level = ROLE_SCOPE_LEVEL[role] == ScopeLevel.COMMUNITY
        scope = street_tree.community_a if community_level else street_tree.compound_a1
        user = role_user(role, scope)
        own = {"compound_a1", "compound_a2"} if community_level else {"compound_a1"}

        listed = set(policy.instances_user_has_any_permission_for(user, ALL_ACTIONS))
        assert listed == {rows[key] for key in own}, role
        for key, row in rows.items():
            may = policy.user_has_any_permission_for_instance(user, ALL_ACTIONS, row)
            assert may is (key in own), (role, key)
        offered = policy.scopes_user_has_any_permission_for(user, ALL_ACTIONS)
        offered_ids = set(offered.values_list("pk", flat=True))
        assert street_tree.compound_a1.pk in offered_ids, role
        assert street_tree.compound_b1.pk not in offered_ids, role
