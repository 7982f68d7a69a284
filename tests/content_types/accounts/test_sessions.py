"""Taking a role away signs its holder out everywhere at once (等保: 权限变更后会话失效)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from content_types.accounts.models import UserSession
from content_types.roles.models import Role, RoleAssignment
from tests.sign_in import sign_in

pytestmark = pytest.mark.django_db

HOME = reverse("wagtailadmin_home")


@pytest.fixture
def signed_in(street_tree, role_user):
    role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1, "committee")
    role_user(Role.PROPERTY_FIRM, street_tree.compound_a1, "firm")
    clients = {"phone": Client(), "office_pc": Client(), "firm": Client()}
    assert sign_in(clients["phone"], "committee", "weizhi-test")
    assert sign_in(clients["office_pc"], "committee", "weizhi-test")
    assert sign_in(clients["firm"], "firm", "weizhi-test")
    return clients


def test_a_removed_role_ends_every_session_of_its_holder_and_no_one_elses(signed_in):
    assert signed_in["phone"].get(HOME).status_code == 200

    RoleAssignment.objects.get(user__username="committee").delete()

    for device in ("phone", "office_pc"):
        response = signed_in[device].get(HOME)
        assert response.status_code == 302, device
        assert response.url.startswith(reverse("wagtailadmin_login")), device
    assert signed_in["firm"].get(HOME).status_code == 200
    assert not UserSession.objects.filter(user__username="committee").exists()


def test_signing_out_forgets_the_session(signed_in):
    signed_in["firm"].post(reverse("wagtailadmin_logout"))

    assert not UserSession.objects.filter(user__username="firm").exists()
    assert UserSession.objects.filter(user__username="committee").count() == 2
