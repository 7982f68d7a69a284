"""Factories for annual tasks.

Usage::

    task = GovernanceTaskFactory(deadline_month=date(2023, 4, 1))
    per_community = GovernanceTaskFactory(per_community=True)
    ongoing = GovernanceTaskFactory(deadline_month=None, is_long_term=True)
"""

import datetime

import factory

from content_types.governance_tasks.models import GovernanceTask


class GovernanceTaskFactory(factory.django.DjangoModelFactory):
    year = 2023
    number = factory.Sequence(lambda n: 100 + n)
    area = "（一）突出党建引领，健全工作机制"
    key_task = factory.Sequence(lambda n: f"重点任务{n}")
    measure = factory.Sequence(lambda n: f"具体举措{n}")
    responsible_offices = "党建办"
    deadline_month = datetime.date(2023, 4, 1)
    live = True

    class Meta:
        model = GovernanceTask
