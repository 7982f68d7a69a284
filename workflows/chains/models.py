"""The chains app's models, gathered where Django's app registry and migrations look for them.

Each lives in the module of its subject: chain rules in ``rules``, the notification
outbox in ``outbox``, and the step types of review chains under ``steps``.
"""

from .outbox import Notification
from .rules import ChainRule
from .steps.assembly_vote import AssemblyVoteTask, AssemblyVoteTaskState
from .steps.joint_meeting import JointMeetingTask, JointMeetingTaskState
from .steps.scoped_role import ScopedRoleApprovalTask

__all__ = [
    "AssemblyVoteTask",
    "AssemblyVoteTaskState",
    "ChainRule",
    "JointMeetingTask",
    "JointMeetingTaskState",
    "Notification",
    "ScopedRoleApprovalTask",
]
