"""Joint-meeting parties sign in the page editor: Wagtail's two-request path, and altered data."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from workflows.chains.models import (
    JointMeetingTaskState,
)

from .admin_actions import current_task_state
from .expenditure import (
    XHR,
    act,
    draft,
    login,
    step_of,
    submit,
    through_to_joint_meeting,
)
from .factories import JointMeetingFactory, proposal_form_data

if TYPE_CHECKING:
    from django.test import Client
from .test_expenditure_chain import queue_html

pytestmark = pytest.mark.django_db


def sign_in_editor(client: Client, page, meeting_id, comment: str = ""):
    """Sign as the page editor does: the approve form is checked first (its cleaned data comes
    back as JSON), then posted with the edit form as the workflow action's extra data."""
    state = current_task_state(page)
    checked = client.post(
        reverse(
            "wagtailadmin_pages:collect_workflow_action_data", args=[page.pk, "approve", state.pk]
        ),
        {"step": state.pk, "meeting": "" if meeting_id is None else meeting_id, "comment": comment},
        **XHR,
    )
    data = proposal_form_data(page)
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = "approve"
    data["workflow-action-extra-data"] = json.dumps(
        checked.json().get("cleaned_data")
        if checked.json().get("step") == "success"
        else {"step": state.pk, "meeting": meeting_id, "comment": comment}
    )
    return checked, client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def test_each_party_signs_the_joint_meeting_in_the_page_editor(chains, people, street_tree, client):
    compound = street_tree.compound_a1
    page = draft(compound)
    through_to_joint_meeting(page, people)
    meeting = JointMeetingFactory(compound=compound)

    checked, saved = sign_in_editor(login("chair_a1"), page, meeting.pk, "同意更换")

    assert checked.json()["step"] == "success"
    assert saved.status_code == 302
    state = JointMeetingTaskState.objects.get(workflow_state__object_id=str(page.pk))
    assert (state.committee_by, state.meeting) == (people["chair"], meeting)
    assert "同意更换" in state.comment

    sign_in_editor(login("firm_a1"), page, meeting.pk)
    sign_in_editor(login("office_a"), page, meeting.pk)

    assert step_of(page) == "业主大会审定"


def test_a_meeting_altered_in_the_editors_extra_data_signs_nothing(
    chains, people, street_tree, client
):
    compound = street_tree.compound_a1
    page = draft(compound)
    through_to_joint_meeting(page, people)
    elsewhere = JointMeetingFactory(compound=street_tree.compound_a2)
    no_minutes = JointMeetingFactory(compound=compound, minutes="")

    for meeting_id in (elsewhere.pk, no_minutes.pk, "not-a-meeting", 10**30, None):
        checked, saved = sign_in_editor(login("chair_a1"), page, meeting_id)
        assert checked.json()["step"] != "success"
        # Wagtail answers a refused admin action with its "no permission" redirect home.
        assert saved.status_code == 302, meeting_id
        assert saved["Location"] == reverse("wagtailadmin_home")

    state = JointMeetingTaskState.objects.get(workflow_state__object_id=str(page.pk))
    assert state.committee_by is None and state.meeting is None


def test_the_dashboard_sends_joint_meeting_parties_to_the_editor_to_sign(
    chains, people, street_tree, client
):
    page = draft(street_tree.compound_a1)
    submit(login("drafter_a1"), page)

    def approve_url() -> str:
        state = current_task_state(page)
        return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])

    assert approve_url() in queue_html("chair_a1")  # the first step approves in one click
    act(login("chair_a1"), page, "approve")
    act(login("party_a"), page, "approve")

    queue = queue_html("chair_a1")
    assert "三方联席会议审议" in queue
    assert "查看并签署" in queue
    assert approve_url() not in queue
