"""Factories for owners' committees, their members and the candidate pool.

Usage::

    committee = OwnersCommitteeFactory(compound=street_tree.compound_a1)
    CommitteeMemberFactory(committee=committee, is_party_member=True)
    CommitteeCandidateFactory(compound=street_tree.compound_a1, name="王五")

A committee's term covers today (it is the current one) and it is live;
members were trained today unless ``last_training_date`` says otherwise.
"""

import datetime

import factory
from django.utils import timezone

from content_types.committees.models import (
    CommitteeCandidate,
    CommitteeMember,
    MemberRole,
    OwnersCommittee,
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
    last_training_date = factory.LazyFunction(timezone.localdate)

    class Meta:
        model = CommitteeMember


class CommitteeCandidateFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"人选{n}")

    class Meta:
        model = CommitteeCandidate
