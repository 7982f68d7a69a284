"""The dashboard's committee panel: the user's own compounds' committees that miss a target."""

from __future__ import annotations

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from content_types.committees.wagtail_hooks import add_committee_targets_panel
from content_types.roles.models import Role
from tests.content_types.committees.factories import (
    CommitteeMemberFactory,
    OwnersCommitteeFactory,
)

pytestmark = pytest.mark.django_db


def render_panel(user) -> str:
    request = RequestFactory().get("/admin/")
    request.user = user
    panels = []
    add_committee_targets_panel(request, panels)
    return "".join(panel.render_html({"request": request}) for panel in panels)


def below_target_committee(compound, untrained_name: str):
    committee = OwnersCommitteeFactory(compound=compound)
    CommitteeMemberFactory(committee=committee, is_party_member=True)
    CommitteeMemberFactory(committee=committee, is_party_member=False)
    CommitteeMemberFactory(
        committee=committee,
        name=untrained_name,
        is_party_member=False,
        trained_on=datetime.date(timezone.localdate().year - 1, 6, 1),
    )
    return committee


def test_the_panel_lists_the_users_committees_below_target_and_untrained_members(
    street_tree, role_user, client
):
    below_target_committee(street_tree.compound_a1, "张未训")
    below_target_committee(street_tree.compound_a2, "李未训")
    on_target = OwnersCommitteeFactory(compound=street_tree.compound_b1)
    CommitteeMemberFactory.create_batch(2, committee=on_target, is_party_member=True)
    user = role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1)

    html = render_panel(user)

    assert "锦绣花园 业委会" in html and "1/3（33%）" in html
    assert "张未训" in html
    assert "阳光水岸" not in html and "李未训" not in html
    client.force_login(user)
    assert "业委会建设" in client.get("/admin/").text


def test_past_committees_are_not_on_the_dashboard(street_tree, role_user):
    past = below_target_committee(street_tree.compound_a1, "张未训")
    past.term_start = datetime.date(2015, 1, 1)
    past.term_end = datetime.date(2019, 12, 31)
    past.save()

    html = render_panel(role_user(Role.COMMUNITY_OFFICE, street_tree.community_a))

    assert "锦绣花园" not in html and "张未训" not in html


def test_roles_without_committee_access_get_no_panel(street_tree, role_user, django_user_model):
    below_target_committee(street_tree.compound_a1, "张未训")
    outsider = django_user_model.objects.create_user("outsider")

    assert render_panel(outsider) == ""


@pytest.mark.parametrize("compounds", [1, 4])
def test_the_panel_takes_a_fixed_number_of_queries(
    compounds, street_tree, role_user, django_assert_num_queries
):
    for page in [street_tree.compound_a1, street_tree.compound_a2][: min(compounds, 2)]:
        for index in range(compounds * 5):
            below_target_committee(page, f"委员{index}")
    user = role_user(Role.COMMUNITY_OFFICE, street_tree.community_a)

    with django_assert_num_queries(6):
        html = render_panel(user)

    # 5 or 40 untrained members: the panel shows ten and says there are more.
    assert ("还有更多" in html) is (compounds == 4)
