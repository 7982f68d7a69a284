"""Factories for owners' committees, their members and the candidate pool.

Usage::

    committee = OwnersCommitteeFactory(compound=street_tree.compound_a1)
    CommitteeMemberFactory(committee=committee, is_party_member=True)
    CommitteeCandidateFactory(compound=street_tree.compound_a1, name="王五")

A committee's term covers today (it is the current one) and it is live;
members were trained today (at a session of their compound) unless ``trained_on`` says
otherwise (``trained_on=False``: no training at all).
"""

import datetime

import factory
from django.utils import timezone

from content_types.committees.models import (
    CommitteeCandidate,
    CommitteeMember,
    MemberRole,
    OwnersCommittee,
    TrainingAttendance,
    TrainingSession,
)


class OwnersCommitteeFactory(factory.django.DjangoModelFactory):
    term_start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    term_end = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=730))
    live = True

    class Meta:
        model = OwnersCommittee


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"委员{n}")
    role = MemberRole.MEMBER

    class Meta:
        model = CommitteeMember

    @factory.post_generation
    def trained_on(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted is not False:
            attend(self, extracted or timezone.localdate())

    @classmethod
    def _after_postgeneration(cls, instance: object, create: bool, results: object = None) -> None:
        pass  # nothing to save again: attendance is its own row


def attend(member: CommitteeMember, day: datetime.date, topic: str = "业委会履职培训") -> None:
    """``member`` at the training of their compound on ``day`` (one session per day)."""
    session, _ = TrainingSession.objects.get_or_create(
        compound_id=member.committee.compound_id,
        date=day,
        defaults={"topic": topic, "organiser": "社区党委"},
    )
    TrainingAttendance.objects.create(session=session, member=member, member_name=member.name)


class CommitteeCandidateFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"人选{n}")

    class Meta:
        model = CommitteeCandidate
