"""The people, chains and admin steps of 四审两公开, shared by the chain and browser tests.

Usage::

    people = make_people(street_tree, role_user)  # {"chair": <chair_a1>, ...}
    make_chains(street_tree)                      # the expenditure chains, at 50,000 yuan
    proposal = draft(street_tree.compound_a1)     # 80,000 yuan, not live
    vote = through_to_vote(proposal, people, street_tree.compound_a1)  # the draft vote
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from wagtail.models import TaskState

from content_types.roles.models import Role
from tests.content_types.expenditures.factories import ExpenditureProposalPageFactory
from tests.workflows.chains.chain_setup import (
    COMPOUND_CONTENT_CHAIN,
    attach,
    ensure_expenditure_chains,
    ensure_scoped_chain,
)
from workflows.chains.models import AssemblyVoteTaskState

from .admin_actions import current_task_state
from .factories import JointMeetingFactory, proposal_form_data

if TYPE_CHECKING:
    from content_types.expenditures.models import ExpenditureProposalPage

THRESHOLD = Decimal("50000.00")
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def make_people(street_tree, role_user) -> dict:
    """The role holders of 锦绣花园 (a1) and of 龙山公寓 (b1) in another community."""
    tree = street_tree
    users = {
        "drafter": role_user(Role.OWNERS_COMMITTEE, tree.compound_a1, "drafter_a1"),
        "chair": role_user(Role.OWNERS_COMMITTEE, tree.compound_a1, "chair_a1"),
        "party": role_user(Role.COMMUNITY_PARTY, tree.community_a, "party_a"),
        "office": role_user(Role.COMMUNITY_OFFICE, tree.community_a, "office_a"),
        "firm": role_user(Role.PROPERTY_FIRM, tree.compound_a1, "firm_a1"),
        "commissioner": role_user(Role.COMMISSIONER, tree.compound_a1, "commissioner_a1"),
        "chair_b": role_user(Role.OWNERS_COMMITTEE, tree.compound_b1, "chair_b1"),
        "firm_b": role_user(Role.PROPERTY_FIRM, tree.compound_b1, "firm_b1"),
        "office_b": role_user(Role.COMMUNITY_OFFICE, tree.community_b, "office_b"),
    }
    for user in users.values():
        user.first_name = user.username
        user.save()
    return users


def make_chains(street_tree):
    notices = ensure_scoped_chain(*COMPOUND_CONTENT_CHAIN)
    attach(notices, [street_tree.street])
    return ensure_expenditure_chains(THRESHOLD)


def login(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def draft(
    compound, amount: str = "80000.00", title: str = "3幢电梯维修"
) -> ExpenditureProposalPage:
    return ExpenditureProposalPageFactory(
        parent=compound, title=title, amount=Decimal(amount), live=False
    )


def submit(client: Client, page) -> None:
    data = proposal_form_data(page)
    data["action-submit"] = "submit"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def act(client: Client, page, action: str, data: dict | None = None, **extra):
    state = current_task_state(page)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, state.pk])
    return client.post(url, data or {}, **extra)


def step_of(page) -> str:
    return current_task_state(page).task.name


def sign(client: Client, page, meeting, comment: str = ""):
    state = current_task_state(page)
    return act(
        client,
        page,
        "approve",
        {"step": state.pk, "meeting": meeting.pk if meeting else "", "comment": comment},
        **XHR,
    )


def through_to_joint_meeting(page, people) -> None:
    submit(login("drafter_a1"), page)
    assert act(login("chair_a1"), page, "approve").status_code == 302
    assert act(login("party_a"), page, "approve").status_code == 302
    assert step_of(page) == "三方联席会议审议"


def through_to_vote(page, people, compound):
    through_to_joint_meeting(page, people)
    meeting = JointMeetingFactory(compound=compound)
    for username in ("chair_a1", "firm_a1", "office_a"):
        sign(login(username), page, meeting)
    state = AssemblyVoteTaskState.objects.get(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    return state.vote
