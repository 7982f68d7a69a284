"""The steps of a case, each checked, saved with its timeline row, and announced.

Every step is refused with a Chinese message (``CaseRefused``) when the user does not handle
the case at its current level, or the case is not in a state the step applies to; nothing
changes then. The row is locked while it moves, so two handlers (or a handler and the worker)
cannot both move it. ``signals.case_moved`` is sent inside the transaction, so the
notifications written by its listeners commit or roll back with the step.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from content_types.roles.models import Role
from content_types.roles.scope import is_active_superuser, scope_roles_for, users_holding_role_over

from .models import (
    LEVEL_ROLES,
    OPEN_STATUSES,
    Case,
    CaseLevel,
    CaseStatus,
    CaseStep,
    StepAction,
)
from .routing import working_group_for
from .signals import case_moved

if TYPE_CHECKING:
    from django.db.models import QuerySet


class CaseRefused(Exception):
    """A step that may not be taken; the message says why, in Chinese."""


def roles_over(user: Any, scope_id: int) -> frozenset[str]:
    """The roles ``user`` holds over the case scope ``scope_id`` (cached per request)."""
    return scope_roles_for(user).get(scope_id, ("", frozenset()))[1]


def handled_levels(user: Any, case: Case) -> set[str]:
    """The levels at which ``user`` handles ``case``."""
    if is_active_superuser(user):
        return set(LEVEL_ROLES)
    held = roles_over(user, case.scope_id)
    return {level for level, roles in LEVEL_ROLES.items() if held & set(roles)}


def may_act(user: Any, case: Case) -> bool:
    return case.level in handled_levels(user, case)


def may_read_reporter(user: Any, case: Case) -> bool:
    return is_active_superuser(user) or bool(
        roles_over(user, case.scope_id) & set(Role.CASE_REPORTER_READERS)
    )


def handlers_at(case: Case, level: str | None = None) -> QuerySet:
    """The users who handle ``case`` at ``level`` (its current one by default)."""
    return users_holding_role_over(case.scope, LEVEL_ROLES[level or case.level])


def _record(case: Case, action: str, actor: Any, note: str = "", from_level: str = "") -> CaseStep:
    step = CaseStep.objects.create(
        case=case,
        action=action,
        actor=actor,
        at=timezone.now(),
        from_level=from_level or case.level,
        to_level=case.level,
        note=note,
    )
    case_moved.send(sender=Case, case=case, step=step)
    return step


def _locked(case: Case, user: Any, statuses: tuple[str, ...], doing: str) -> Case:
    """The case re-read under a row lock, once ``user`` may do ``doing`` to it now."""
    fresh = Case.objects.select_for_update().select_related("scope").get(pk=case.pk)
    if user is not None and not may_act(user, fresh):
        level = CaseLevel(fresh.level).label
        raise CaseRefused(f"该事件目前由{level}处置，您不能{doing}。")
    if fresh.status not in statuses:
        raise CaseRefused(f"该事件当前状态为“{fresh.get_status_display()}”，不能{doing}。")
    return fresh


def _required(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CaseRefused(f"请填写{what}。")
    return text


def file_case(case: Case, user: Any) -> Case:
    """Register a new case at the lowest level of its scope, with that level's deadline."""
    if not is_active_superuser(user) and not roles_over(user, case.scope_id) & set(
        Role.CASE_HANDLERS
    ):
        raise CaseRefused("只能为您负责范围内的小区或社区登记事件。")
    with transaction.atomic():
        now = timezone.now()
        case.filed_by = user
        case.filed_at = now
        case.status = CaseStatus.PENDING
        case.enter_level(case.lowest_level(), now)
        case.full_clean()
        case.save()
        _record(case, StepAction.FILED, user, f"{case.get_category_display()}：{case.title}")
    return case


def accept(case: Case, user: Any) -> Case:
    with transaction.atomic():
        case = _locked(case, user, (CaseStatus.PENDING,), "受理")
        case.status = CaseStatus.ACCEPTED
        case.assignee = case.assignee or user
        case.save(update_fields=["status", "assignee"])
        _record(case, StepAction.ACCEPTED, user)
    return case


def assign(case: Case, user: Any, assignee: Any, note: str = "") -> Case:
    """Hand the case to one handler of its level (at the street: a member of the group)."""
    with transaction.atomic():
        case = _locked(case, user, OPEN_STATUSES, "指派")
        if assignee is None or not handlers_at(case).filter(pk=assignee.pk).exists():
            raise CaseRefused("只能指派给本层级的处置人员。")
        case.assignee = assignee
        case.status = CaseStatus.ACCEPTED
        case.save(update_fields=["assignee", "status"])
        who = assignee.get_full_name() or assignee.get_username()
        _record(case, StepAction.ASSIGNED, user, f"指派给{who}。{note}".strip())
    return case


def escalate(case: Case, user: Any, note: str = "") -> Case:
    """Pass the case up one level; ``user`` None is the worker, for an overdue case."""
    with transaction.atomic():
        case = _locked(case, user, OPEN_STATUSES, "上报")
        target = case.next_level()
        if target is None:
            raise CaseRefused("街道微治办已是最高层级，不能再上报。")
        if user is None:
            if not case.is_overdue():
                raise CaseRefused("该事件尚未逾期。")
            label = CaseLevel(case.level).label
            deadline = timezone.localtime(case.deadline_at)
            note = f"{label}逾期未办结（期限 {deadline:%Y-%m-%d %H:%M}），自动上报。"
        else:
            note = _required(note, "上报理由")
        from_level = case.level
        case.enter_level(target, timezone.now())
        case.status = CaseStatus.PENDING
        case.assignee = None
        if target == CaseLevel.STREET:
            case.working_group = working_group_for(case.scope, case.category)
        case.save()
        _record(case, StepAction.ESCALATED, user, note, from_level)
    return case


def return_case(case: Case, user: Any, note: str) -> Case:
    """Send the case back one level, with what that level should do."""
    with transaction.atomic():
        case = _locked(case, user, OPEN_STATUSES, "退回")
        target = case.previous_level()
        if target is None:
            raise CaseRefused("该事件已在最低处置层级，不能再退回。")
        note = _required(note, "退回理由")
        from_level = case.level
        case.enter_level(target, timezone.now())
        case.status = CaseStatus.PENDING
        case.assignee = None
        case.working_group = ""
        case.save()
        _record(case, StepAction.RETURNED, user, note, from_level)
    return case


def resolve(case: Case, user: Any, resolution: str) -> Case:
    with transaction.atomic():
        case = _locked(case, user, OPEN_STATUSES, "办结")
        case.resolution = _required(resolution, "处置情况")
        case.status = CaseStatus.RESOLVED
        case.save(update_fields=["resolution", "status"])
        _record(case, StepAction.RESOLVED, user, case.resolution)
    return case


def close(case: Case, user: Any, outcome: str, satisfaction: str = "") -> Case:
    """Close a resolved case with its outcome and, for an owner's case, their satisfaction."""
    with transaction.atomic():
        case = _locked(case, user, (CaseStatus.RESOLVED,), "关闭")
        case.outcome = _required(outcome, "办理结果")
        if case.owner_reported and not satisfaction:
            raise CaseRefused("业主反映的事项，请回访后记录业主满意度。")
        case.satisfaction = satisfaction if case.owner_reported else ""
        case.status = CaseStatus.CLOSED
        case.closed_at = timezone.now()
        case.save(update_fields=["outcome", "satisfaction", "status", "closed_at"])
        note = case.outcome
        if case.satisfaction:
            note += f"（业主满意度：{case.get_satisfaction_display()}）"
        _record(case, StepAction.CLOSED, user, note)
    return case


# A run of seven or more digits reads as a phone number (or a door and room number).
_NUMBER_RUN = re.compile(r"\d[\d\s-]{5,}\d")


def anonymised_summary(case: Case) -> str:
    """The summary offered to the handler: what happened and what was done, nobody named."""
    return (
        f"{case.get_category_display()}：{case.title}。"
        f"处置层级：{case.get_level_display()}。办理结果：{case.outcome}"
    )


def publish(case: Case, user: Any, summary: str) -> Case:
    """Publish a closed case's anonymised summary on its compound's public page."""
    with transaction.atomic():
        case = _locked(case, user, (CaseStatus.CLOSED,), "公开")
        summary = _required(summary, "公开摘要")
        name = case.reporter_name.strip()
        if (name and len(name) >= 2 and name in summary) or _NUMBER_RUN.search(summary):
            raise CaseRefused("公开摘要不得含反映人姓名、电话或门牌号，请改写后再公开。")
        case.public_summary = summary
        case.published_at = timezone.now()
        case.save(update_fields=["public_summary", "published_at"])
        _record(case, StepAction.PUBLISHED, user)
    return case


def escalate_overdue(now: Any = None) -> list[Case]:
    """Pass every overdue case below the street up one level; what the worker runs."""
    escalated = []
    due = Case.objects.overdue(now).exclude(level=CaseLevel.STREET).values_list("pk", flat=True)
    for pk in list(due):
        try:
            escalated.append(escalate(Case(pk=pk), None))
        except CaseRefused:
            continue  # handled or moved meanwhile
    return escalated
