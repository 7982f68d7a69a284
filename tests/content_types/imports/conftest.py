"""The client of an owners' committee member of 锦绣花园, who keeps its units register."""

from __future__ import annotations

import pytest

from content_types.roles.models import Role


@pytest.fixture
def committee_client(client, street_tree, role_user):
    client.force_login(role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1))
    return client
