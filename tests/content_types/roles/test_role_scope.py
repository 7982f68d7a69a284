"""A role reaches its scope's subtree and nothing else, through Wagtail's own checks."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from content_types.roles.models import Role, RoleAssignment
from content_types.roles.sync import role_group_name

pytestmark = pytest.mark.django_db


def test_a_compound_role_edits_its_compound_and_not_the_neighbours(street_tree, role_user, client):
    committee = role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1)
    client.force_login(committee)

    own = client.get(f"/admin/pages/{street_tree.compound_a1.pk}/edit/")
    neighbour = client.get(f"/admin/pages/{street_tree.compound_a2.pk}/edit/")
    other_community = client.get(f"/admin/pages/{street_tree.compound_b1.pk}/edit/")

    assert own.status_code == 200
    assert neighbour.status_code in (302, 403)
    assert other_community.status_code in (302, 403)


def test_a_community_role_sees_all_its_compounds_and_nothing_of_another_community(
    street_tree, role_user
):
    office = role_user(Role.COMMUNITY_OFFICE, street_tree.community_a)

    for page in (street_tree.community_a, street_tree.compound_a1, street_tree.compound_a2):
        assert page.permissions_for_user(office).can_edit(), page.title
    for page in (street_tree.community_b, street_tree.compound_b1, street_tree.street):
        assert not page.permissions_for_user(office).can_edit(), page.title


def test_only_the_street_office_may_publish_directly(street_tree, role_user):
    street_office = role_user(Role.STREET_OFFICE, street_tree.street)
    community_office = role_user(Role.COMMUNITY_OFFICE, street_tree.community_a)
    committee = role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1)

    assert street_tree.compound_b2.permissions_for_user(street_office).can_publish()
    assert not street_tree.compound_a1.permissions_for_user(community_office).can_publish()
    assert not street_tree.compound_a1.permissions_for_user(committee).can_publish()


def test_a_role_on_the_wrong_kind_of_page_is_refused_in_chinese(street_tree, role_user):
    with pytest.raises(ValidationError) as refused:
        role_user(Role.OWNERS_COMMITTEE, street_tree.community_a)

    assert "业委会" in str(refused.value) and "只能授予在小区页面上" in str(refused.value)
    assert not RoleAssignment.objects.exists()


def test_revoking_a_role_takes_the_access_away(street_tree, role_user):
    committee = role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1)
    assert street_tree.compound_a1.permissions_for_user(committee).can_edit()

    RoleAssignment.objects.filter(user=committee).delete()
    committee = type(committee).objects.get(pk=committee.pk)  # drop permission caches

    assert not street_tree.compound_a1.permissions_for_user(committee).can_edit()
    assert not Group.objects.filter(
        name=role_group_name(Role.OWNERS_COMMITTEE, street_tree.compound_a1)
    ).exists()


def test_the_explorer_of_a_community_role_lists_its_compounds_only(street_tree, role_user, client):
    office = role_user(Role.COMMUNITY_OFFICE, street_tree.community_a)
    client.force_login(office)

    own = client.get(f"/admin/pages/{street_tree.community_a.pk}/")
    other = client.get(f"/admin/pages/{street_tree.community_b.pk}/")

    assert own.status_code == 200
    assert "锦绣花园" in own.text and "阳光水岸" in own.text
    assert "龙山公寓" not in own.text and "翠竹苑" not in own.text
    assert other.status_code in (302, 403) or "龙山公寓" not in other.text


def test_admin_search_finds_own_compound_and_not_others(street_tree, role_user, client):
    commissioner = role_user(Role.COMMISSIONER, street_tree.compound_a1)
    client.force_login(commissioner)

    own = client.get("/admin/pages/search/", {"q": "锦绣花园"})
    other = client.get("/admin/pages/search/", {"q": "翠竹苑"})

    assert f"/admin/pages/{street_tree.compound_a1.pk}/edit/" in own.text
    assert other.status_code == 200
    assert f"/admin/pages/{street_tree.compound_b2.pk}/edit/" not in other.text
