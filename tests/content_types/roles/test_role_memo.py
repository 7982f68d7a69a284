"""Every menu, panel and policy of an admin page reads the user's roles from one query.

The menus (evaluations, scorecards, imports, cases, votes, the security pages) and the dashboard
panels each ask about the user's roles in their own words; they share ``roles_held``, so a page
costs one query of the role table whatever asks, and a role granted later is seen on the next
request.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content_types.committees.models import OwnersCommittee
from content_types.roles.models import Role
from tests.content_types.roles.factories import RoleAssignmentFactory

pytestmark = pytest.mark.django_db

ROLE_TABLE = 'FROM "roles_roleassignment"'


def role_queries(client, url: str) -> tuple[int, str]:
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return sum(ROLE_TABLE in q["sql"] for q in captured.captured_queries), response.text


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.STREET_OFFICE, "street"),
        (Role.COMMUNITY_OFFICE, "community_a"),
        (Role.OWNERS_COMMITTEE, "compound_a1"),
    ],
)
def test_an_admin_page_asks_for_the_users_roles_once(
    role, scope, street_tree, role_user, client
) -> None:
    user = role_user(role, getattr(street_tree, scope))
    # A second role elsewhere: more grants, still one query.
    RoleAssignmentFactory(user=user, role=Role.COMMISSIONER, scope=street_tree.compound_b1)
    client.force_login(user)
    for url in (
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[street_tree.community_a.pk]),
        reverse(OwnersCommittee.snippet_viewset.get_url_name("list")),
    ):
        count, _text = role_queries(client, url)
        assert count == 1, url


def test_a_role_granted_is_seen_on_the_next_request(street_tree, role_user, client) -> None:
    """The memo lives on the request's user object, never longer."""
    user = role_user(Role.COMMISSIONER, street_tree.compound_a1)
    client.force_login(user)
    lockouts = reverse("weizhi_lockouts")  # in the settings menu of the street office alone
    _count, text = role_queries(client, reverse("wagtailadmin_home"))
    assert lockouts not in text

    RoleAssignmentFactory(user=user, role=Role.STREET_OFFICE, scope=street_tree.street)

    _count, text = role_queries(client, reverse("wagtailadmin_home"))
    assert lockouts in text
