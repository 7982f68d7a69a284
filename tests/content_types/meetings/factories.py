"""Factories for joint meetings.

Usage::

    meeting = JointMeetingFactory(compound=street_tree.compound_a1, agenda="电梯更新")

All three parties attend unless a test blanks one of them.
"""

import factory
from django.utils import timezone

from content_types.meetings.models import JointMeeting


class JointMeetingFactory(factory.django.DjangoModelFactory):
    date = factory.LazyFunction(timezone.localdate)
    community_attendees = "张社区（社区书记）"
    committee_attendees = "李业委（业委会主任）"
    firm_attendees = "王物业（项目经理）"
    agenda = factory.Sequence(lambda n: f"议题{n}")

    class Meta:
        model = JointMeeting
