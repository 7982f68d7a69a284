"""The demo's people at work: an author saves and submits, each step's reviewer acts in it.

Everything goes through Wagtail's workflow API and our task types, with the actions the task
offers that person (``Task.get_actions``), so the demo holds the states, revisions, logs and
notifications real use leaves. Where the example street names nobody for a role (most compounds
have no logins of their own), the system administrator acts, as a superuser may in the admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from wagtail.models import Page, WorkflowState

from content_types.roles.scope import users_holding_role_over
from workflows.chains.steps.base import compound_of, scope_anchor
from workflows.chains.steps.joint_meeting import PARTY_ROLES


class DemoError(RuntimeError):
    """A step of the demo that real use would refuse: the demo no longer fits the rules."""


def administrator() -> Any:
    user = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk")
    if not user.exists():
        raise DemoError("演示数据需要一名系统管理员（site_config 中的 admin）。")
    return user.first()


def person(scope: Page, *roles: str) -> Any:
    """Who holds one of ``roles`` over ``scope`` (the first by username), else the administrator."""
    holder = users_holding_role_over(scope, roles).order_by("username").first()
    return holder or administrator()


def add_draft(parent: Page, page: Page, author: Any) -> Page:
    """A new page below ``parent``, not live, checked by the model as the editor's form is."""
    page.live = False
    page.has_unpublished_changes = True
    page.owner = author
    parent.add_child(instance=page)
    return page


def submit(obj: Any, author: Any) -> WorkflowState | None:
    """Save a revision as ``author`` and put it to its chain (publish it where it has none)."""
    revision = obj.save_revision(user=author, log_action=True)
    workflow = obj.get_workflow()
    if workflow is None:
        revision.publish(user=administrator())
        return None
    state = obj.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(author)
        return state
    return workflow.start(obj, author)


def act(obj: Any, user: Any, action: str = "approve", **details: Any) -> None:
    """Take ``action`` on the item's current step as ``user``, if the step offers it to them."""
    state = obj.current_workflow_task_state
    if state is None:
        raise DemoError(f"“{obj}”不在审核中。")
    task = state.task.specific
    if action not in {name for name, *_ in task.get_actions(obj, user)}:
        raise DemoError(f"{user} 不能在“{task.name}”对“{obj}”执行 {action}。")
    task.on_action(state, user, action, **details)


def reviewer(obj: Any) -> Any:
    """Who acts at the item's current step: a holder of its role over the item's scope."""
    task = obj.current_workflow_task_state.task.specific
    return task.reviewers_for(obj).order_by("username").first() or administrator()


def approve(obj: Any, steps: int = 1, comment: str = "") -> None:
    """Approve ``steps`` steps of a role-reviewed chain, each by its own reviewer."""
    for _ in range(steps):
        act(obj, reviewer(obj), "approve", comment=comment)


def approve_all(obj: Any, comment: str = "") -> None:
    """Approve every remaining step (the chain then publishes the item)."""
    while obj.current_workflow_task_state is not None:
        approve(obj, comment=comment)


def sign_joint_meeting(obj: Any, meeting: Any, parties: tuple[str, ...], comment: str) -> None:
    """The parties' signatures at 三方联席会议审议, each by one who speaks for that party."""
    compound = compound_of(obj) or scope_anchor(obj)
    for party in parties:
        signer = users_holding_role_over(compound, PARTY_ROLES[party]).order_by("username").first()
        if signer is None:
            raise DemoError(f"{compound} 没有能代表“{party}”签署的账号。")
        act(obj, signer, "approve", meeting=str(meeting.pk), comment=comment)


def has_child(parent: Page, slug: str) -> bool:
    """Whether ``parent`` already has the page: a second load leaves the first one's alone."""
    return parent.get_children().filter(slug=slug).exists()
