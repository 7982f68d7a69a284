"""A compound's change is reviewed by its own community's office and nobody else's."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, TaskState, WorkflowState

from content_types.roles.models import Role
from content_types.structure.models import CompoundPage
from tests.workflows.chains.chain_setup import (
    COMMUNITY_CONTENT_CHAIN,
    COMPOUND_CONTENT_CHAIN,
    attach,
    ensure_scoped_chain,
)
from workflows.chains.models import Notification, ScopedRoleApprovalTask
from workflows.chains.outbox import deliver_notifications

from .admin_actions import current_task_state, review, submit_for_review
from .test_notice_chain import submit_new_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def chained(street_tree, role_user, django_capture_on_commit_callbacks):
    attach(
        ensure_scoped_chain(*COMMUNITY_CONTENT_CHAIN),
        [street_tree.community_a, street_tree.community_b],
    )
    attach(ensure_scoped_chain(*COMPOUND_CONTENT_CHAIN), CompoundPage.objects.all())
    for index, user in enumerate(
        [
            role_user(Role.COMMISSIONER, street_tree.compound_a1, "commissioner_a1"),
            role_user(Role.COMMUNITY_OFFICE, street_tree.community_a, "office_a"),
            role_user(Role.COMMUNITY_OFFICE, street_tree.community_b, "office_b"),
            role_user(Role.STREET_OFFICE, street_tree.street, "street"),
        ]
    ):
        user.email = f"reviewer{index}@weizhi.test"
        user.save()
    return street_tree


def as_user(username: str) -> Client:
    """A browser of its own for each person, so no one sees another's flash messages."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_submitted_change_waits_for_the_community_office_then_publishes(
    chained, client, django_capture_on_commit_callbacks
):
    compound = chained.compound_a1
    client = as_user("commissioner_a1")
    with django_capture_on_commit_callbacks(execute=False):
        response = submit_for_review(client, compound, address="凤鸣路 101 号（新）")
    assert response.status_code == 302
    assert CompoundPage.objects.get(pk=compound.pk).address != "凤鸣路 101 号（新）"
    assert current_task_state(compound).task.name == "社区审核"

    client = as_user("office_a")
    response = review(client, compound, "approve")

    assert response.status_code == 302
    compound = CompoundPage.objects.get(pk=compound.pk)
    assert compound.address == "凤鸣路 101 号（新）"
    assert compound.live and not compound.has_unpublished_changes
    assert WorkflowState.objects.get(object_id=str(compound.pk)).status == "approved"


def test_the_office_of_another_community_cannot_see_or_act(chained, client):
    compound = chained.compound_a1
    client = as_user("commissioner_a1")
    submit_for_review(client, compound, address="改")

    client = as_user("office_b")
    dashboard = client.get("/admin/")
    acted = review(client, compound, "approve")

    assert compound.title not in dashboard.text
    assert acted.status_code in (302, 403, 404)  # never the approval itself:
    assert current_task_state(compound).status == TaskState.STATUS_IN_PROGRESS


def test_the_reviewers_dashboard_lists_the_item(chained, client):
    compound = chained.compound_a1
    client = as_user("commissioner_a1")
    submit_for_review(client, compound, address="改")

    client = as_user("office_a")
    dashboard = client.get("/admin/")

    assert compound.title in dashboard.text


def test_rejection_returns_it_with_the_comment_and_resubmission_resumes_there(chained, client):
    compound = chained.compound_a1
    client = as_user("commissioner_a1")
    submit_for_review(client, compound, address="改")

    client = as_user("office_a")
    review(client, compound, "reject", comment="地址请写全门牌号。")

    state = WorkflowState.objects.get(object_id=str(compound.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    rejected = Notification.objects.get(event=Notification.Event.REJECTED)
    assert rejected.recipient.username == "commissioner_a1"
    assert "地址请写全门牌号。" in rejected.body

    client = as_user("commissioner_a1")
    submit_for_review(client, compound, address="凤鸣路 101 号 1 幢")

    assert current_task_state(compound).task.name == "社区审核"
    assert WorkflowState.objects.get(object_id=str(compound.pk)).status == "in_progress"


def test_submission_notifies_exactly_the_scoped_reviewers_by_email_after_commit(
    chained, client, django_capture_on_commit_callbacks
):
    compound = chained.compound_a1
    client = as_user("commissioner_a1")
    with django_capture_on_commit_callbacks(execute=True):
        submit_for_review(client, compound, address="改")
    assert mail.outbox == []  # nothing is sent inside the request
    deliver_notifications(list(Notification.objects.values_list("pk", flat=True)))

    notified = set(
        Notification.objects.filter(event=Notification.Event.SUBMITTED).values_list(
            "recipient__username", flat=True
        )
    )
    assert notified == {"office_a"}
    assert [message.to for message in mail.outbox] == [["reviewer1@weizhi.test"]]
    assert "待审核" in mail.outbox[0].subject


def test_scoped_task_resolves_reviewers_at_review_time(chained, role_user):
    task = ScopedRoleApprovalTask.objects.get(name="社区审核")
    later = role_user(Role.COMMUNITY_OFFICE, chained.community_a, "office_a_new")

    assert set(task.reviewers_for(chained.compound_a2).values_list("username", flat=True)) == {
        "office_a",
        "office_a_new",
    }
    assert not task.is_reviewer(chained.compound_b1, later)
    assert Page.objects.filter(pk=chained.compound_b1.pk).exists()


def test_the_author_sees_the_rejection_on_the_dashboard_until_marked_read(chained):
    compound = chained.compound_a1
    submit_for_review(as_user("commissioner_a1"), compound, address="改")
    review(as_user("office_a"), compound, "reject", comment="请补充照片。")

    author = as_user("commissioner_a1")
    dashboard = author.get("/admin/")
    assert "我的通知" in dashboard.text and "请补充照片。" in dashboard.text

    author.post(reverse("weizhi_notifications_read"))

    assert "请补充照片。" not in author.get("/admin/").text


@pytest.mark.parametrize(
    "report",
    [
        "/admin/reports/workflow/",
        "/admin/reports/workflow/results/",
        "/admin/reports/workflow_tasks/",
        "/admin/reports/workflow_tasks/results/",
    ],
)
def test_workflow_reports_show_no_other_compounds_item_in_review(chained, role_user, report):
    notice = submit_new_notice(
        as_user("commissioner_a1"), chained.compound_a1, title="锦绣花园待审草稿"
    )
    role_user(Role.OWNERS_COMMITTEE, chained.compound_a2, "committee_a2")

    for username in ("office_b", "committee_a2"):
        response = as_user(username).get(report, follow=True)
        assert response.status_code in (200, 403, 404), (username, response.status_code)
        assert notice.title not in response.text, username
    assert notice.title in as_user("office_a").get(report).text
