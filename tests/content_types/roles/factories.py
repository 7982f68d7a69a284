"""Factories for users and the roles they hold.

Usage::

    user = UserFactory(username="committee_a")
    RoleAssignmentFactory(user=user, role=Role.OWNERS_COMMITTEE, scope=compound_a)

Saving an assignment derives the user's Wagtail group and page permissions.
"""

import factory
from django.contrib.auth import get_user_model

from content_types.roles.models import RoleAssignment


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@weizhi.test")
    password = factory.django.Password("weizhi-test")

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)

    class Meta:
        model = RoleAssignment
