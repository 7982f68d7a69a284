"""Compound-owned snippets are a scope boundary: no admin URL shows another compound's rows.

For every compound role and every compound-owned snippet kind, a user of
锦绣花园 (compound_a1) is refused (404, or 403 / Wagtail's "no permission" redirect
to the dashboard) — never shown the content — for the rows of
阳光水岸 (compound_a2, same community) and 龙山公寓 (compound_b1, other
community), through every view, while their own compound's row is open as
far as their role's permissions go. A community role sees both of its
compounds and nothing of the other community.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import RevisionMixin

from content_types.audits.models import Audit
from content_types.committees.evaluations import follow_up
from content_types.committees.models import (
    CommitteeCandidate,
    EvaluationGrade,
    MemberEvaluation,
    MemberWithdrawal,
    OwnersCommittee,
    TrainingSession,
)
from content_types.meetings.models import JointMeeting
from content_types.roles.models import Role
from content_types.roles.permissions import ALL_ACTIONS, scope_policy_for
from tests.content_types.audits.factories import AuditFactory, AuditFindingFactory
from tests.content_types.committees.factories import (
    CommitteeCandidateFactory,
    CommitteeMemberFactory,
    OwnersCommitteeFactory,
    attend,
)
from tests.content_types.meetings.factories import JointMeetingFactory
from tests.workflows.voting.factories import VoteFactory
from workflows.voting.models import VotePreReview

pytestmark = pytest.mark.django_db

COMPOUND_ROLES = [
    Role.COMPOUND_PARTY,
    Role.COMMISSIONER,
    Role.OWNERS_COMMITTEE,
    Role.PROPERTY_FIRM,
]
COMMUNITY_ROLES = [Role.COMMUNITY_OFFICE, Role.COMMUNITY_PARTY]
KINDS = [
    Audit,
    OwnersCommittee,
    CommitteeCandidate,
    JointMeeting,
    TrainingSession,
    MemberEvaluation,
    MemberWithdrawal,
    VotePreReview,
]
REFUSED = (403, 404)


def refused(response: Any) -> bool:
    """403/404, or Wagtail's way of saying "permission denied": back to the dashboard."""
    return response.status_code in REFUSED or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def make_row(model: type, compound: Any) -> Any:
    if model is OwnersCommittee:
        committee = OwnersCommitteeFactory(compound=compound)
        CommitteeMemberFactory(committee=committee, name=f"{compound.title}委员")
        return committee
    if model is CommitteeCandidate:
        return CommitteeCandidateFactory(compound=compound, name=f"{compound.title}人选")
    if model is Audit:
        audit = AuditFactory(committee=OwnersCommitteeFactory(compound=compound))
        AuditFindingFactory(audit=audit, title=f"{compound.title}共有收益未公开")
        return audit
    if model in (TrainingSession, MemberEvaluation, MemberWithdrawal):
        return committee_record(model, compound)
    if model is VotePreReview:
        vote = VoteFactory(compound=compound)
        return VotePreReview.objects.create(
            vote=vote, compound=compound, matter=vote.matter, title=vote.title
        )
    return JointMeetingFactory(compound=compound, agenda=f"{compound.title}议题")


def committee_record(model: type, compound: Any) -> Any:
    """A training, an evaluation, or the withdrawal a 不称职 evaluation opens, in ``compound``."""
    member = CommitteeMemberFactory(
        committee=OwnersCommitteeFactory(compound=compound),
        name=f"{compound.title}委员",
        trained_on=False,
    )
    if model is TrainingSession:
        attend(member, timezone.localdate())
        return TrainingSession.objects.get(compound=compound)
    evaluation = MemberEvaluation.objects.create(
        compound=compound,
        member=member,
        member_name=member.name,
        year=timezone.localdate().year - 1,
        grade=EvaluationGrade.INCOMPETENT,
    )
    withdrawal = follow_up(evaluation)
    return evaluation if model is MemberEvaluation else withdrawal


@dataclass
class Rows:
    own: list[Any]
    others: list[Any]


@pytest.fixture
def rows_by_compound(street_tree):
    """One row of every kind in compounds a1, a2 and b1, each with an audit-log entry."""
    rows = {}
    for model in KINDS:
        for key in ("compound_a1", "compound_a2", "compound_b1"):
            row = make_row(model, getattr(street_tree, key))
            log(row, "wagtail.create")
            rows[model, key] = row
    return rows


def url(model: type, view: str, row: Any | None = None) -> str:
    name = model.snippet_viewset.get_url_name(view)
    return reverse(name, args=[quote(row.pk)] if row is not None else [])


def chooser_url(model: type, view: str, *args: Any) -> str:
    return reverse(f"{model.snippet_viewset.get_chooser_admin_url_namespace()}:{view}", args=args)


def allowed(role: str, model: type) -> set[str]:
    """What ``role`` may do to ``model``'s rows in its own scope, as the policy reads it."""
    policy = scope_policy_for(model)
    return {action for action in ALL_ACTIONS if role in policy.roles_granting([action])}


def marker(row: Any) -> str:
    return row.compound.title


def text(response: Any) -> str:
    """The response as a reader sees it: JSON (chooser modals) decoded, not \\u-escaped."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def assert_shows_none_of(response: Any, rows: list[Any]) -> None:
    assert response.status_code == 200 or refused(response)
    body = text(response)
    for row in rows:
        assert marker(row) not in body, f"{marker(row)} leaked"


def assert_refused_everywhere(client: Any, model: type, row: Any) -> None:
    """Every object URL of ``row`` answers 403/404 and shows nothing of it."""
    views = ["inspect", "edit", "delete", "history", "history_results", "usage"]
    if model is OwnersCommittee:
        views += ["unpublish", "workflow_history"]
    for view in views:
        response = client.get(url(model, view, row))
        assert refused(response), (view, response.status_code)
        assert marker(row) not in text(response), view
    if issubclass(model, RevisionMixin):
        compare = reverse(
            model.snippet_viewset.get_url_name("revisions_compare"),
            args=[quote(row.pk), "earliest", "latest"],
        )
        assert refused(client.get(compare))
    assert refused(client.get(chooser_url(model, "chosen", row.pk)))
    bulk_delete = reverse(
        "wagtail_bulk_action",
        args=[model._meta.app_label, model._meta.model_name, "delete"],
    )
    response = client.get(bulk_delete, {"id": row.pk})
    assert refused(response)
    assert marker(row) not in text(response)


def assert_unchanged_after_writes(client: Any, model: type, row: Any) -> None:
    """POSTs to edit, publish, delete and lock another compound's row change nothing."""
    before = model.objects.get(pk=row.pk)
    post = {"compound": row.compound_id, "name": "篡改", "agenda": "篡改"}
    assert refused(client.post(url(model, "edit", row), post))
    assert refused(client.post(url(model, "delete", row)))
    if model is OwnersCommittee:
        assert refused(client.post(url(model, "edit", row), {**post, "action-publish": "1"}))
        assert refused(client.post(url(model, "unpublish", row)))
        assert refused(client.post(url(model, "lock", row)))
    after = model.objects.get(pk=row.pk)
    assert str(after) == str(before)
    if model is OwnersCommittee:
        assert after.live == before.live and after.locked is False
        assert after.revisions.count() == before.revisions.count()


def assert_own_row_open_as_permitted(client: Any, role: str, model: type, row: Any) -> None:
    perms = allowed(role, model)
    inspect = client.get(url(model, "inspect", row))
    edit = client.get(url(model, "edit", row))
    history = client.get(url(model, "history", row))
    if perms:
        assert inspect.status_code == 200 and marker(row) in inspect.content.decode()
    else:
        assert refused(inspect)
    assert edit.status_code == 200 if "change" in perms else refused(edit)
    assert history.status_code == 200 if perms & {"add", "change", "delete"} else refused(history)


def listing_and_chooser(client: Any, model: type) -> list[Any]:
    """The listing (with and without a search), its results fragment, and the chooser's."""
    return [
        client.get(url(model, "list")),
        client.get(url(model, "list_results")),
        client.get(url(model, "list"), {"q": "阳光"}),
        client.get(url(model, "list"), {"q": "龙山"}),
        client.get(chooser_url(model, "choose")),
        client.get(chooser_url(model, "choose_results")),
        client.get(chooser_url(model, "choose_results"), {"q": "龙山"}),
    ]


def run_matrix(client: Any, role: str, model: type, rows: Rows) -> None:
    listing = listing_and_chooser(client, model)
    for response in listing:
        assert_shows_none_of(response, rows.others)
    if allowed(role, model):
        for response in listing[:2] + listing[4:6]:
            assert response.status_code == 200
            for row in rows.own:
                assert marker(row) in text(response)
    chosen_multiple = client.get(
        chooser_url(model, "chosen_multiple"), {"id": [row.pk for row in rows.others]}
    )
    assert_shows_none_of(chosen_multiple, rows.others)
    history = client.get(reverse("wagtailadmin_reports:site_history"))
    assert_shows_none_of(history, rows.others)

    for row in rows.others:
        assert_refused_everywhere(client, model, row)
        assert_unchanged_after_writes(client, model, row)
    for row in rows.own:
        assert_own_row_open_as_permitted(client, role, model, row)


@pytest.mark.parametrize("model", KINDS, ids=lambda model: model.__name__)
@pytest.mark.parametrize("role", COMPOUND_ROLES)
def test_a_compound_role_reaches_its_own_compounds_rows_only(
    role, model, street_tree, role_user, rows_by_compound, client
):
    client.force_login(role_user(role, street_tree.compound_a1))
    rows = Rows(
        own=[rows_by_compound[model, "compound_a1"]],
        others=[rows_by_compound[model, "compound_a2"], rows_by_compound[model, "compound_b1"]],
    )
    run_matrix(client, role, model, rows)


@pytest.mark.parametrize("model", KINDS, ids=lambda model: model.__name__)
@pytest.mark.parametrize("role", COMMUNITY_ROLES)
def test_a_community_role_reaches_its_compounds_and_nothing_of_another_community(
    role, model, street_tree, role_user, rows_by_compound, client
):
    client.force_login(role_user(role, street_tree.community_a))
    rows = Rows(
        own=[rows_by_compound[model, "compound_a1"], rows_by_compound[model, "compound_a2"]],
        others=[rows_by_compound[model, "compound_b1"]],
    )
    run_matrix(client, role, model, rows)
