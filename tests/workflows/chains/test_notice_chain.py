"""Notices and disclosures through their review chains, end to end, as the people who use them.

A compound's items go to its community (社区审核); a community's own notices go to
the street's coordination office (街道微治办审核). Everything is driven through the
admin's own views and checked on the public site.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, TaskState, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from content_types.notices.models import NoticePage
from content_types.roles.models import Role
from content_types.structure.models import CommunityPage, CompoundPage
from tests.content_types.disclosures.factories import FinanceStatementPageFactory
from tests.form_data import form_data
from tests.workflows.chains.chain_setup import (
    COMMUNITY_CONTENT_CHAIN,
    COMPOUND_CONTENT_CHAIN,
    attach,
    ensure_scoped_chain,
)
from workflows.chains.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def chains(street_tree, role_user, public_site):
    attach(ensure_scoped_chain(*COMMUNITY_CONTENT_CHAIN), CommunityPage.objects.all())
    attach(ensure_scoped_chain(*COMPOUND_CONTENT_CHAIN), CompoundPage.objects.all())
    role_user(Role.COMMISSIONER, street_tree.compound_a1, "commissioner_a1")
    role_user(Role.PROPERTY_FIRM, street_tree.compound_a1, "firm_a1")
    role_user(Role.COMMUNITY_OFFICE, street_tree.community_a, "office_a")
    role_user(Role.COMMUNITY_OFFICE, street_tree.community_b, "office_b")
    role_user(Role.STREET_OFFICE, street_tree.street, "street")
    return street_tree


def as_user(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def notice_form(**overrides: Any) -> dict[str, Any]:
    fields = {
        "title": "停水通知",
        "slug": "water-off",
        "category": "notice",
        "summary": "周六上午二次供水检修，届时停水。",
        "show_on_screens": "on",
        "body": streamfield([("paragraph", rich_text("<p>请各位业主提前储水。</p>"))]),
        "go_live_at": "",
        "expire_at": "",
        "comments": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0},
    }
    fields.update(overrides)
    return nested_form_data(fields)


def submit_new_notice(client: Client, parent: Page, **overrides: Any) -> NoticePage:
    data = notice_form(**overrides)
    data["action-submit"] = "submit"
    url = reverse("wagtailadmin_pages:add", args=["notices", "noticepage", parent.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.text[:2000]
    return NoticePage.objects.child_of(parent).get(slug=data["slug"])


def edit_notice(client: Client, notice: Page, action: str = "", **overrides: Any):
    data = notice_form(slug=notice.slug, **overrides)
    if action:
        data[f"action-{action}"] = action
    return client.post(reverse("wagtailadmin_pages:edit", args=[notice.pk]), data)


def current_step(page: Page) -> TaskState:
    return TaskState.objects.get(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    )


def review(client: Client, page: Page, action: str, comment: str = ""):
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, action, current_step(page).pk]
    )
    return client.post(url, {"comment": comment} if comment else {})


def public_text(page: Page) -> tuple[int, str]:
    response = Client().get(Page.objects.get(pk=page.pk).specific.url)
    return response.status_code, response.text if response.status_code == 200 else ""


def test_a_compound_notice_is_reviewed_by_its_community_and_then_public(chains):
    notice = submit_new_notice(as_user("commissioner_a1"), chains.compound_a1)

    assert not notice.live
    assert current_step(notice).task.name == "社区审核"
    assert public_text(notice)[0] == 404  # in review: not public
    assert "停水通知" in as_user("office_a").get("/admin/").text

    assert review(as_user("office_a"), notice, "approve").status_code == 302

    notice = NoticePage.objects.get(pk=notice.pk)
    assert notice.live and not notice.has_unpublished_changes
    status, text = public_text(notice)
    assert status == 200 and "请各位业主提前储水。" in text
    approved = Notification.objects.get(event=Notification.Event.APPROVED)
    assert approved.recipient.username == "commissioner_a1"
    assert "停水通知" in approved.body


def test_a_communitys_own_notice_is_reviewed_by_the_street_office(chains):
    notice = submit_new_notice(as_user("office_a"), chains.community_a, title="社区议事会通知")

    assert current_step(notice).task.name == "街道微治办审核"
    # The community office cannot approve its own notice: the street office must.
    review(as_user("office_a"), notice, "approve")
    assert current_step(notice).status == TaskState.STATUS_IN_PROGRESS
    assert not NoticePage.objects.get(pk=notice.pk).live
    assert "社区议事会通知" in as_user("street").get("/admin/").text

    review(as_user("street"), notice, "approve")

    assert NoticePage.objects.get(pk=notice.pk).live
    assert public_text(notice)[0] == 200


def test_a_rejected_notice_returns_with_the_comment_and_resubmission_resumes_the_review(
    chains,
):
    notice = submit_new_notice(as_user("commissioner_a1"), chains.compound_a1)
    review(as_user("office_a"), notice, "reject", comment="请写明停水的具体楼幢。")

    state = WorkflowState.objects.get(object_id=str(notice.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    author = as_user("commissioner_a1")
    rejected = Notification.objects.get(event=Notification.Event.REJECTED)
    assert rejected.recipient.username == "commissioner_a1"
    assert "请写明停水的具体楼幢。" in rejected.body
    assert "请写明停水的具体楼幢。" in author.get("/admin/").text
    assert public_text(notice)[0] == 404

    edit_notice(author, notice, "submit", summary="周六上午 3 幢、5 幢停水。")

    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS  # the same chain, resumed
    assert current_step(notice).task.name == "社区审核"
    review(as_user("office_a"), notice, "approve")
    notice = NoticePage.objects.get(pk=notice.pk)
    assert notice.live and notice.summary == "周六上午 3 幢、5 幢停水。"


def test_editing_an_approved_notice_needs_approval_again(chains):
    notice = submit_new_notice(as_user("commissioner_a1"), chains.compound_a1)
    review(as_user("office_a"), notice, "approve")
    author = as_user("commissioner_a1")

    edit_notice(author, notice, summary="改期到周日上午。")
    edit_notice(author, notice, "publish", summary="改期到周日上午。")  # not the editor's right

    notice = NoticePage.objects.get(pk=notice.pk)
    assert notice.has_unpublished_changes
    assert notice.summary == "周六上午二次供水检修，届时停水。"  # the public still sees this

    edit_notice(author, notice, "submit", summary="改期到周日上午。")

    assert current_step(notice).task.name == "社区审核"
    assert NoticePage.objects.get(pk=notice.pk).summary == "周六上午二次供水检修，届时停水。"
    review(as_user("office_a"), notice, "approve")
    assert NoticePage.objects.get(pk=notice.pk).summary == "改期到周日上午。"


def test_another_communitys_reviewer_neither_sees_nor_acts(chains):
    notice = submit_new_notice(as_user("commissioner_a1"), chains.compound_a1)
    other = as_user("office_b")

    dashboard = other.get("/admin/")
    edit = other.get(reverse("wagtailadmin_pages:edit", args=[notice.pk]))
    acted = review(other, notice, "approve")
    preview = other.get(
        reverse(
            "wagtailadmin_pages:workflow_preview", args=[notice.pk, current_step(notice).task_id]
        )
    )

    assert "停水通知" not in dashboard.text
    assert "目前没有等待您审核的内容" in dashboard.text
    assert edit.status_code == 302  # Wagtail's permission refusal, back to the dashboard
    assert acted.status_code in (302, 403, 404)
    assert preview.status_code in (302, 403, 404)
    assert "请各位业主提前储水。" not in preview.text
    assert current_step(notice).status == TaskState.STATUS_IN_PROGRESS
    assert not NoticePage.objects.get(pk=notice.pk).live


def test_a_disclosure_goes_through_the_same_review(chains):
    statement = FinanceStatementPageFactory(parent=chains.compound_a1, live=False)
    statement.save_revision()
    firm = as_user("firm_a1")
    edit_url = reverse("wagtailadmin_pages:edit", args=[statement.pk])
    data = form_data(firm.get(edit_url).text, "page-edit-form")
    data["action-submit"] = "submit"

    response = firm.post(edit_url, data)

    assert response.status_code == 302
    assert current_step(statement).task.name == "社区审核"
    assert public_text(statement)[0] == 404
    assert review(as_user("office_b"), statement, "approve").status_code != 200
    assert current_step(statement).status == TaskState.STATUS_IN_PROGRESS

    review(as_user("office_a"), statement, "approve")

    status, text = public_text(statement)
    assert status == 200 and "3幢电梯更换钢丝绳" in text
