"""Measure 5: a committee candidate is recommended, then vetted by community, street, departments.

Driven through the snippet admin as the people of each step; every reviewer
acts only within the candidate's own community and street.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from content_types.committees.models import CommitteeCandidate, VettingStage
from content_types.roles.models import Role
from tests.workflows.chains.chain_setup import ensure_candidate_vetting_chain
from workflows.chains.models import Notification, ScopedRoleApprovalTask

pytestmark = pytest.mark.django_db

VIEWSET = CommitteeCandidate.snippet_viewset


@pytest.fixture
def vetting(street_tree, role_user):
    ensure_candidate_vetting_chain()
    role_user(Role.COMPOUND_PARTY, street_tree.compound_a1, "party_a1")
    role_user(Role.COMMUNITY_PARTY, street_tree.community_a, "community_party_a")
    role_user(Role.COMMUNITY_PARTY, street_tree.community_b, "community_party_b")
    role_user(Role.STREET_OFFICE, street_tree.street, "street")
    return street_tree


def as_user(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def candidate_data(compound: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "compound": compound.pk,
        "name": "周女士",
        "is_party_member": "on",
        "specialty": "finance",
        "notes": "退休会计，热心小区事务",
    }
    data.update(changes)
    return data


def recommend(client: Client, compound: Any, **changes: Any):
    data = candidate_data(compound, **changes)
    data["action-submit"] = "submit"
    return client.post(reverse(VIEWSET.get_url_name("add")), data)


def resubmit(client: Client, candidate: CommitteeCandidate, **changes: Any):
    data = candidate_data(candidate.compound, **changes)
    data["action-submit"] = "submit"
    return client.post(reverse(VIEWSET.get_url_name("edit"), args=[candidate.pk]), data)


def current_step(candidate: CommitteeCandidate) -> TaskState:
    return TaskState.objects.for_instance(candidate).get(status=TaskState.STATUS_IN_PROGRESS)


def review(client: Client, candidate: CommitteeCandidate, action: str, comment: str = ""):
    url = reverse(
        VIEWSET.get_url_name("workflow_action"),
        args=[candidate.pk, action, current_step(candidate).pk],
    )
    return client.post(url, {"comment": comment} if comment else {})


def fresh(candidate: CommitteeCandidate) -> CommitteeCandidate:
    return CommitteeCandidate.objects.get(pk=candidate.pk)


def test_the_chain_has_the_policys_steps_and_roles(vetting):
    workflow = ensure_candidate_vetting_chain()

    steps = [
        (task.name, task.specific.role)
        for task in workflow.tasks.order_by("workflow_tasks__sort_order")
    ]

    assert steps == [
        ("社区前置审核", Role.COMMUNITY_PARTY),
        ("街道统筹把关", Role.STREET_OFFICE),
        ("部门联合审查", Role.STREET_OFFICE),
    ]
    assert CommitteeCandidate.get_default_workflow() == workflow
    assert ensure_candidate_vetting_chain() == workflow  # idempotent


def test_a_recommended_candidate_passes_every_step_and_enters_the_pool(vetting):
    response = recommend(as_user("party_a1"), vetting.compound_a1)

    assert response.status_code == 302
    candidate = CommitteeCandidate.objects.get()
    assert not candidate.live
    assert current_step(candidate).task.name == "社区前置审核"
    assert candidate.vetting_stage == VettingStage.COMMUNITY_REVIEW

    assert review(as_user("community_party_a"), candidate, "approve").status_code == 302
    assert current_step(candidate).task.name == "街道统筹把关"
    assert fresh(candidate).vetting_stage == VettingStage.STREET_REVIEW

    street = as_user("street")
    assert review(street, candidate, "approve").status_code == 302
    assert current_step(candidate).task.name == "部门联合审查"
    assert fresh(candidate).vetting_stage == VettingStage.JOINT_REVIEW
    assert not fresh(candidate).live

    # The street office has no publish permission on candidates: the chain publishes.
    assert review(street, candidate, "approve").status_code == 302
    candidate = fresh(candidate)
    assert candidate.live and not candidate.has_unpublished_changes
    assert candidate.vetting_stage == VettingStage.JOINT_REVIEW
    assert candidate.name == "周女士"
    assert WorkflowState.objects.for_instance(candidate).get().status == "approved"
    approved = Notification.objects.get(event=Notification.Event.APPROVED)
    assert approved.recipient.username == "party_a1"
    pool = as_user("community_party_a").get(reverse(VIEWSET.get_url_name("list"))).text
    assert "已通过审查，入库" in pool and "部门联合审查" in pool


def test_the_pool_shows_a_candidate_under_vetting_as_not_yet_vetted(vetting):
    recommend(as_user("party_a1"), vetting.compound_a1)

    pool = as_user("community_party_a").get(reverse(VIEWSET.get_url_name("list"))).text

    assert "周女士" in pool and "未完成审查" in pool and "社区前置审核" in pool
    assert "已通过审查" not in pool


def test_rejection_returns_it_with_the_comment_and_resubmission_resumes_there(vetting):
    recommend(as_user("party_a1"), vetting.compound_a1)
    candidate = CommitteeCandidate.objects.get()
    review(as_user("community_party_a"), candidate, "approve")
    review(as_user("street"), candidate, "reject", comment="请补充本人竞职承诺书。")

    state = WorkflowState.objects.for_instance(candidate).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    rejected = Notification.objects.get(event=Notification.Event.REJECTED)
    assert rejected.recipient.username == "party_a1"
    assert "请补充本人竞职承诺书。" in rejected.body
    assert "街道统筹把关" in rejected.subject

    response = resubmit(as_user("party_a1"), candidate, notes="已补充竞职承诺书")

    assert response.status_code == 302
    assert current_step(candidate).task.name == "街道统筹把关"  # not back to the community
    candidate = fresh(candidate)
    assert candidate.vetting_stage == VettingStage.STREET_REVIEW
    assert candidate.get_latest_revision_as_object().notes == "已补充竞职承诺书"


def test_only_the_candidates_own_community_reviews_it(vetting):
    recommend(as_user("party_a1"), vetting.compound_a1)
    candidate = CommitteeCandidate.objects.get()

    own = as_user("community_party_a").get("/admin/").text
    other_client = as_user("community_party_b")
    other = other_client.get("/admin/").text
    edit = other_client.get(reverse(VIEWSET.get_url_name("edit"), args=[candidate.pk]))
    acted = review(other_client, candidate, "approve")

    assert "周女士" in own
    assert "周女士" not in other
    assert edit.status_code == 404
    assert acted.status_code == 404
    assert current_step(candidate).task.name == "社区前置审核"


def test_the_queue_query_covers_snippets_in_scope_only(vetting):
    recommend(as_user("party_a1"), vetting.compound_a1)
    candidate = CommitteeCandidate.objects.get()
    task = ScopedRoleApprovalTask.objects.get(name="社区前置审核")
    users = get_user_model().objects

    own = task.get_task_states_user_can_moderate(users.get(username="community_party_a"))
    other = task.get_task_states_user_can_moderate(users.get(username="community_party_b"))

    assert [state.pk for state in own] == [current_step(candidate).pk]
    assert not other.exists()


def test_the_editor_is_locked_for_the_author_and_open_to_the_reviewer(vetting):
    recommend(as_user("party_a1"), vetting.compound_a1)
    candidate = CommitteeCandidate.objects.get()
    task = current_step(candidate).task.specific
    users = get_user_model().objects
    author, reviewer = users.get(username="party_a1"), users.get(username="community_party_a")

    assert task.locked_for_user(candidate, author)
    assert not task.user_can_access_editor(candidate, author)
    assert not task.locked_for_user(candidate, reviewer)
    assert task.user_can_access_editor(candidate, reviewer)

    # The author cannot change the candidate while it is being reviewed.
    response = as_user("party_a1").post(
        reverse(VIEWSET.get_url_name("edit"), args=[candidate.pk]),
        candidate_data(candidate.compound, name="改过的名字"),
    )
    assert response.status_code in (200, 302)
    assert candidate.get_latest_revision_as_object().name == "周女士"


def test_a_recommendation_without_a_name_is_refused_in_chinese_and_starts_nothing(vetting):
    response = recommend(as_user("party_a1"), vetting.compound_a1, name="")

    assert response.status_code == 200
    assert "必需字段" in response.text
    assert not CommitteeCandidate.objects.exists()
    assert not WorkflowState.objects.exists()


def test_a_compound_outside_the_recommenders_scope_is_refused(vetting):
    response = recommend(as_user("party_a1"), vetting.compound_b1)

    assert response.status_code == 200
    assert "只能选择您负责范围内的小区。" in response.text
    assert not CommitteeCandidate.objects.exists()
