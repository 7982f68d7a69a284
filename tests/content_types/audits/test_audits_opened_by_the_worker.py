"""The real worker opens 锦绣花园's 换届审计 once its committee's term is within the configured
days of its end, plans the year's 轮审 by the configured rotation, and opens nothing twice.

The worker reads "today" itself: the terms are set relative to today, as the years would leave
them.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from content_types.audits.media import AUDIT_COLLECTION_NAME
from content_types.audits.models import Audit, AuditKind, AuditPolicy, AuditStatus
from content_types.audits.tasks import open_due_audits_task
from content_types.roles.models import CompoundScopedLogEntry, Role
from tests.celery_worker import wait_for
from tests.content_types.committees.factories import OwnersCommitteeFactory
from workflows.chains.models import Notification

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def told(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, event=Notification.Event.AUDIT).values_list(
            "subject", flat=True
        )
    )


def test_the_end_of_term_audit_opens_before_the_term_ends_and_the_rotation_is_planned(
    worker_queue, street_tree, role_user
) -> None:
    office_a = role_user(Role.COMMUNITY_OFFICE, street_tree.community_a, "office_a")
    office_b = role_user(Role.COMMUNITY_OFFICE, street_tree.community_b, "office_b")
    AuditPolicy.objects.create(
        term_end_days_before=90, rotation_years=2, rotation_month=1, due_days=45, auditor="审计中心"
    )
    ending = OwnersCommitteeFactory(
        compound=street_tree.compound_a1, term_start=days(-1700), term_end=days(80)
    )
    later = OwnersCommitteeFactory(
        compound=street_tree.compound_a2, term_start=days(-800), term_end=days(400)
    )
    others = [
        OwnersCommitteeFactory(compound=compound, term_start=days(-800), term_end=days(900))
        for compound in (street_tree.compound_b1, street_tree.compound_b2)
    ]
    # Outside the window by a day: not yet.
    not_yet = OwnersCommitteeFactory(
        compound=street_tree.compound_b1, term_start=days(-10), term_end=days(91), live=True
    )

    open_due_audits_task.apply_async(queue=worker_queue)
    assert wait_for(lambda: Audit.objects.filter(kind=AuditKind.TERM_END).exists())

    term_end = Audit.objects.get(kind=AuditKind.TERM_END)
    assert term_end.committee == ending and term_end.compound == street_tree.compound_a1
    assert (term_end.period_start, term_end.period_end) == (ending.term_start, ending.term_end)
    assert term_end.status == AuditStatus.PLANNED and term_end.auditor == "审计中心"
    assert term_end.due_on == days(45)
    assert not Audit.objects.filter(committee=not_yet).exists()
    # The papers go to a restricted collection of the compound, made as the audit opens.
    collection = street_tree.compound_a1.scope_collection.collection
    assert collection.get_children().filter(name=AUDIT_COLLECTION_NAME).exists()
    assert CompoundScopedLogEntry.objects.filter(
        object_id=str(term_end.pk), action="wagtail.create"
    ).exists()
    # The community office over it is told, through the outbox; the other community is not.
    assert "【审计】锦绣花园换届审计已开启" in told(office_a)
    assert not any("锦绣花园" in subject for subject in told(office_b))

    # 轮审: this year's half of the compounds, for last year; the ending committee has its
    # end-of-term audit instead.
    year = timezone.localdate().year
    last_year_end = datetime.date(year - 1, 12, 31)
    rotation = Audit.objects.filter(kind=AuditKind.ROTATION)
    due = {
        c
        for c in [later, *others, not_yet]
        if c.compound_id % 2 == year % 2 and c.term_start <= last_year_end
    }
    assert due, "the rotation plans some compound this year"
    assert {audit.committee for audit in rotation} == due
    for audit in rotation:
        assert audit.period_end == last_year_end
        assert audit.period_start == max(datetime.date(year - 1, 1, 1), audit.committee.term_start)

    # The next run opens what has come due since, and nothing twice.
    before = Audit.objects.count()
    newly = OwnersCommitteeFactory(
        compound=street_tree.compound_b2, term_start=days(-1700), term_end=days(30)
    )
    open_due_audits_task.apply_async(queue=worker_queue)
    assert wait_for(lambda: Audit.objects.filter(committee=newly).exists())
    assert Audit.objects.count() == before + 1
