"""The task types a chain step may name in the file, and how each is created and compared.

A step is ``{name, key, type, role, params}``. Each registered type says which
``wagtail.models.Task`` subclass it builds, whether it needs a role, which
parameters it accepts, and how to read a stored task back into a step (for
the plan's comparison and for export). Register new task types here as
``workflows/`` adds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from content_types.roles.models import Role
from workflows.chains.models import (
    AssemblyVoteTask,
    ChainRule,
    JointMeetingTask,
    ScopedRoleApprovalTask,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from wagtail.models import Task


@dataclass(frozen=True)
class TaskType:
    """How one kind of step maps to a Wagtail task: its model and its stored fields."""

    name: str
    label: str
    model: type[Task]
    needs_role: bool
    #: Whether a step of this type may carry a ``key`` (stored on the task).
    keyed: bool = False
    params: tuple[str, ...] = ()
    #: Model field values for a step: ``{"role": ..., "key": ...}`` plus parameters.
    to_fields: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda step: {})
    #: The step written back from a stored task (without ``name``/``type``).
    from_task: Callable[[Task], dict[str, Any]] = field(default=lambda task: {})
    #: Parameter values a step leaves out, so that the file and the database compare equal.
    defaults: dict[str, Any] = field(default_factory=dict)
    #: Per parameter, a check returning a Chinese problem, or "" when the value is fine.
    checks: dict[str, Callable[[Any], str]] = field(default_factory=dict)

    def params_of(self, given: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
        return tuple(sorted({**self.defaults, **given}.items()))


def _role_fields(step: dict[str, Any]) -> dict[str, Any]:
    return {"role": step["role"], "key": step.get("key", "")}


def _role_step(task: Task) -> dict[str, Any]:
    return {"role": task.role, "key": task.key}


def _days_check(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 90:
        return f"表决期应为 1 到 90 之间的整数天，实际为“{value}”。"
    return ""


VOTING_DAYS = AssemblyVoteTask._meta.get_field("voting_days").default


TASK_TYPES: dict[str, TaskType] = {
    "scoped_role": TaskType(
        name="scoped_role",
        label="按范围角色审核",
        model=ScopedRoleApprovalTask,
        needs_role=True,
        keyed=True,
        to_fields=_role_fields,
        from_task=_role_step,
    ),
    "joint_meeting": TaskType(
        name="joint_meeting",
        label="三方联席会议审议",
        model=JointMeetingTask,
        needs_role=False,
    ),
    "assembly_vote": TaskType(
        name="assembly_vote",
        label="业主大会审定",
        model=AssemblyVoteTask,
        needs_role=False,
        params=("voting_days",),
        to_fields=lambda step: {"voting_days": int(step.get("voting_days", VOTING_DAYS))},
        from_task=lambda task: {"voting_days": task.voting_days},
        defaults={"voting_days": VOTING_DAYS},
        checks={"voting_days": _days_check},
    ),
}


def task_type_for(task: Task) -> TaskType | None:
    """The registered type of a stored (specific) task, or None for one config cannot describe."""
    for task_type in TASK_TYPES.values():
        if type(task) is task_type.model:
            return task_type
    return None


def role_codes() -> list[str]:
    return list(Role.values)


def chain_rule_model() -> type[ChainRule]:
    """The model of chains per page type, subtree and amount tier."""
    return ChainRule
