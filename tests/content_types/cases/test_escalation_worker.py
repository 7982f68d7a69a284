"""Nobody acts on a hazard in 锦绣花园: the real worker, on the configured broker, takes it up
to 凤鸣社区's office once the compound's deadline has passed, and then to the street's
执法督查组 once the community's has; each level is told, and another community hears nothing.

Time is moved by setting the level's deadline into the past, as the passing days would.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from content_types.cases.models import Case, CaseLevel, CaseStatus, StepAction
from content_types.cases.tasks import escalate_overdue_cases
from content_types.roles.models import Role
from tests.celery_worker import wait_for
from workflows.chains.models import Notification

from .factories import file, street_working_groups

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def move_past_deadline(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(deadline_at=timezone.now() - timedelta(minutes=1))


def told(level_user) -> list[str]:
    return list(
        Notification.objects.filter(
            recipient=level_user, event=Notification.Event.CASE
        ).values_list("subject", flat=True)
    )


def test_an_overdue_case_climbs_level_by_level_by_the_worker(
    worker_queue, street_tree, role_user
) -> None:
    street_working_groups(street_tree.street)
    commissioner = role_user(Role.COMMISSIONER, street_tree.compound_a1, "commissioner_a1")
    office_a = role_user(Role.COMMUNITY_OFFICE, street_tree.community_a, "office_a")
    office_b = role_user(Role.COMMUNITY_OFFICE, street_tree.community_b, "office_b")
    street = role_user(Role.STREET_OFFICE, street_tree.street, "street_office")
    case = file(commissioner, street_tree.compound_a1)

    neighbour = file(office_a, street_tree.compound_a2)
    move_past_deadline(neighbour)
    escalate_overdue_cases.apply_async(queue=worker_queue)
    assert wait_for(lambda: Case.objects.get(pk=neighbour.pk).level == CaseLevel.COMMUNITY)
    assert Case.objects.get(pk=case.pk).level == CaseLevel.COMPOUND  # not yet due

    move_past_deadline(case)
    escalate_overdue_cases.apply_async(queue=worker_queue)
    assert wait_for(lambda: Case.objects.get(pk=case.pk).level == CaseLevel.COMMUNITY)
    climbed = Case.objects.get(pk=case.pk)
    assert climbed.status == CaseStatus.PENDING
    assert climbed.deadline_at > timezone.now() + timedelta(days=4)  # the community's 5 days
    assert any("已上报至社区微治办" in subject for subject in told(office_a))

    move_past_deadline(case)
    escalate_overdue_cases.apply_async(queue=worker_queue)
    assert wait_for(lambda: Case.objects.get(pk=case.pk).level == CaseLevel.STREET)
    assert Case.objects.get(pk=case.pk).working_group == "执法督查组"
    assert any("街道微治办（执法督查组）" in subject for subject in told(street))
    assert told(office_b) == []

    steps = Case.objects.get(pk=case.pk).steps.order_by("at", "pk")
    assert [(s.action, s.actor_id, s.to_level) for s in steps] == [
        (StepAction.FILED, commissioner.pk, CaseLevel.COMPOUND),
        (StepAction.ESCALATED, None, CaseLevel.COMMUNITY),
        (StepAction.ESCALATED, None, CaseLevel.STREET),
    ]
    assert "小区三方逾期未办结" in steps[1].note and "社区微治办逾期未办结" in steps[2].note
