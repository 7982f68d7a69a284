"""What the worker and the street office do to audits, each refused in Chinese when out of turn.

* ``open_due_audits``: the end-of-term audit (换届审计) of each committee whose term ends within
  the configured days, and the rotation audits (轮审) of the year's share of compounds once the
  configured month has come; each opened once (a committee, a kind, a period).
* ``election_blocker``: the end-of-term audit that holds back a compound's committee election
  while it has open findings, unless the street office has overridden it.
* ``override_election``: that override, by the street office over the compound, with a reason
  kept on the audit and in its log.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from wagtail.log_actions import log

from content_types.committees.models import OwnersCommittee
from content_types.roles.models import Role
from content_types.roles.scope import is_active_superuser, user_holds_role_over

from .media import audit_collection
from .models import Audit, AuditKind, AuditPolicy, AuditQuerySet, AuditStatus, FindingStatus
from .signals import audit_opened

# An override's reason must say something: a few words at least, and not a book.
REASON_MIN_LENGTH = 10
REASON_MAX_LENGTH = 1000


class AuditRefused(Exception):
    """A refusal; its message is shown to the user as it is."""


def _open(
    committee: OwnersCommittee,
    kind: str,
    period: tuple[datetime.date, datetime.date],
    planned_on: datetime.date,
    policy: AuditPolicy,
) -> Audit:
    audit = Audit.objects.create(
        compound_id=committee.compound_id,
        committee=committee,
        kind=kind,
        period_start=period[0],
        period_end=period[1],
        auditor=policy.auditor,
        planned_on=planned_on,
        due_on=planned_on + datetime.timedelta(days=policy.due_days),
    )
    audit_collection(committee.compound)
    log(audit, "wagtail.create", data={"by": "worker"})
    audit_opened.send(sender=Audit, audit=audit)
    return audit


def _term_end_due(policy: AuditPolicy, today: datetime.date) -> list[OwnersCommittee]:
    already = Audit.objects.filter(committee=OuterRef("pk"), kind=AuditKind.TERM_END)
    horizon = today + datetime.timedelta(days=policy.term_end_days_before)
    return list(
        OwnersCommittee.objects.filter(live=True, term_end__gte=today, term_end__lte=horizon)
        .filter(~Exists(already))
        .select_related("compound")
        .order_by("term_end", "pk")
    )


def _rotation_due(policy: AuditPolicy, today: datetime.date) -> list[OwnersCommittee]:
    """The current committees of this year's share of compounds, not yet audited for last year.

    A committee whose term ends this year, or whose end-of-term audit is open, is left to it.
    """
    if today.month < policy.rotation_month:
        return []
    last_year_end = datetime.date(today.year - 1, 12, 31)
    already = Audit.objects.filter(committee=OuterRef("pk")).filter(
        Q(kind=AuditKind.ROTATION, period_end=last_year_end) | Q(kind=AuditKind.TERM_END)
    )
    committees = (
        OwnersCommittee.objects.current(today)
        .filter(
            live=True, term_start__lte=last_year_end, term_end__gt=datetime.date(today.year, 12, 31)
        )
        .filter(~Exists(already))
        .select_related("compound")
        .order_by("compound__path", "pk")
    )
    return [c for c in committees if policy.rotation_due(c.compound_id, today.year)]


@transaction.atomic
def open_due_audits(today: datetime.date | None = None) -> list[Audit]:
    """Open what has come due (run daily by the worker); nothing twice."""
    today = today or timezone.localdate()
    policy = AuditPolicy.current()
    opened = [
        _open(
            committee, AuditKind.TERM_END, (committee.term_start, committee.term_end), today, policy
        )
        for committee in _term_end_due(policy, today)
    ]
    year_start = datetime.date(today.year - 1, 1, 1)
    opened += [
        _open(
            committee,
            AuditKind.ROTATION,
            (max(year_start, committee.term_start), datetime.date(today.year - 1, 12, 31)),
            today,
            policy,
        )
        for committee in _rotation_due(policy, today)
    ]
    return opened


def _held_back(compound_id: int) -> AuditQuerySet:
    """The compound's end-of-term audits that still have open findings."""
    return Audit.objects.filter(
        compound_id=compound_id, kind=AuditKind.TERM_END, findings__status=FindingStatus.OPEN
    ).distinct()


def election_blocker(compound_id: int) -> Audit | None:
    """The compound's end-of-term audit with open findings and no override, if there is one."""
    return (
        _held_back(compound_id)
        .filter(election_override_at__isnull=True)
        .select_related("committee")
        .order_by("-period_end", "-pk")
        .first()
    )


def election_override(compound_id: int) -> dict[str, Any]:
    """What the log of an election opened on the street office's override records of it."""
    audit = (
        _held_back(compound_id)
        .filter(election_override_at__isnull=False)
        .order_by("-election_override_at")
        .first()
    )
    if audit is None:
        return {}
    return {"audit": audit.number, "override_reason": audit.election_override_reason}


def refusal_message(audit: Audit) -> str:
    count = audit.findings.filter(status=FindingStatus.OPEN).count()
    return (
        f"{audit.committee}的换届审计（{audit.number}）尚有 {count} 项问题未整改销号，"
        "不能开启新一届业委会选举表决。请先完成整改销号，或由街道微治办说明理由准许后再开启。"
    )


def may_override(user: Any, audit: Audit) -> bool:
    return is_active_superuser(user) or user_holds_role_over(
        user, audit.compound, [Role.STREET_OFFICE]
    )


@transaction.atomic
def override_election(audit: Audit, user: Any, reason: str) -> Audit:
    """The street office lets the election open despite open findings; the reason is logged."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if not may_override(user, audit):
        raise AuditRefused("只有街道微治办可以准许在审计问题整改销号前开启换届选举。")
    if audit.kind != AuditKind.TERM_END:
        raise AuditRefused("只有换届审计需要准许换届选举。")
    if (
        audit.status == AuditStatus.CLOSED
        or not audit.findings.filter(status=FindingStatus.OPEN).exists()
    ):
        raise AuditRefused("该审计没有未整改的问题，不需要准许。")
    if audit.election_override_at:
        raise AuditRefused("街道微治办已经准许过本次换届选举。")
    reason = " ".join(reason.split())
    if len(reason) < REASON_MIN_LENGTH:
        raise AuditRefused(f"请写明准许的理由（至少 {REASON_MIN_LENGTH} 个字）。")
    if len(reason) > REASON_MAX_LENGTH:
        raise AuditRefused(f"理由请控制在 {REASON_MAX_LENGTH} 字以内。")
    audit.election_override_reason = reason
    audit.election_override_by = user
    audit.election_override_at = timezone.now()
    audit.save(
        update_fields=[
            "election_override_reason",
            "election_override_by",
            "election_override_at",
        ]
    )
    open_findings = audit.findings.filter(status=FindingStatus.OPEN).count()
    log(
        audit,
        "audits.election_override",
        user=user,
        data={"reason": reason, "open_findings": open_findings},
    )
    return audit
