"""What happens when the last step of a chain approves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported by wagtail.models itself, so no runtime import of it here
    from wagtail.models import WorkflowState


def publish_approved_item(workflow_state: WorkflowState, user: Any = None) -> None:
    """Publish the approved revision in the approver's name, whatever their own permissions.

    A reviewer approves on behalf of their office; publishing is the chain's
    decision, not a right the reviewer holds. Wagtail's default publishes with
    the approver's permissions and fails for a reviewer who cannot publish.
    """
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)


def publish_decided_item(revision: Any, user: Any = None) -> None:
    """Publish a revision whose chain ended in a refusal that must itself be public.

    A proposal the owners voted down is published as failed, with its tally
    (审定结果公开); publishing also closes its workflow, since the owners'
    decision ends the chain. A new attempt is submitted afresh.
    """
    revision.publish(user=user, skip_permission_checks=True)
