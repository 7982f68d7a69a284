"""Derived groups: a batch sync leaves exactly what syncing each (role, scope) alone leaves."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from content_types.roles.media_scope import scope_collection, scope_collections
from content_types.roles.models import Role, RoleAssignment
from content_types.roles.sync import role_group_name, sync_role_group, sync_role_groups

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def snapshot(group: Group) -> tuple:
    """Everything sync derives for one group, in comparable form."""
    return (
        sorted(group.user_set.values_list("username", flat=True)),
        sorted(group.permissions.values_list("content_type__app_label", "codename")),
        sorted(
            GroupPagePermission.objects.filter(group=group).values_list(
                "page_id", "permission__codename"
            )
        ),
        sorted(
            GroupCollectionPermission.objects.filter(group=group).values_list(
                "collection_id", "permission__codename"
            )
        ),
    )


def assign_in_bulk(pairs: list[tuple[str, str, object]]) -> None:
    """Assignments written without their signal, as apply_config writes them."""
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=UserFactory(username=username), role=role, scope=scope)
        for username, role, scope in pairs
    )


def test_a_batch_sync_derives_what_one_by_one_sync_derives(street_tree) -> None:
    tree = street_tree
    pairs = [
        ("c1", Role.OWNERS_COMMITTEE, tree.compound_a1),
        ("c2", Role.OWNERS_COMMITTEE, tree.compound_a1),
        ("f1", Role.PROPERTY_FIRM, tree.compound_a1),
        ("o1", Role.COMMUNITY_OFFICE, tree.community_a),
        ("s1", Role.STREET_OFFICE, tree.street),
    ]
    assign_in_bulk(pairs)
    scopes = {(role, scope.pk): scope for _, role, scope in pairs}

    batched = sync_role_groups(scopes)
    by_batch = {pair: snapshot(group) for pair, group in batched.items()}
    Group.objects.all().delete()
    one_by_one = {
        (role, scope.pk): snapshot(sync_role_group(role, scope)) for _, role, scope in pairs
    }

    assert by_batch == one_by_one
    committee = by_batch[Role.OWNERS_COMMITTEE, tree.compound_a1.pk]
    assert committee[0] == ["c1", "c2"]
    assert ("wagtailadmin", "access_admin") in committee[1]
    assert ("committees", "change_ownerscommittee") in committee[1]
    assert committee[2] == [
        (tree.compound_a1.pk, "add_page"),
        (tree.compound_a1.pk, "change_page"),
    ]
    assert {codename for _, codename in committee[3]} == {
        "add_image",
        "choose_image",
        "add_document",
        "choose_document",
    }


def test_a_resync_drops_former_holders_and_stale_permissions_and_keeps_the_rest(
    street_tree,
) -> None:
    compound = street_tree.compound_a1
    assign_in_bulk(
        [("c1", Role.OWNERS_COMMITTEE, compound), ("c2", Role.OWNERS_COMMITTEE, compound)]
    )
    pair = (Role.OWNERS_COMMITTEE, compound.pk)
    group = sync_role_groups([pair])[pair]
    stale = Permission.objects.get(codename="delete_ownerscommittee")  # not the committee's
    unrelated = Permission.objects.get(codename="add_redirect")  # not managed by roles
    group.permissions.add(stale, unrelated)
    RoleAssignment.objects.filter(user__username="c2").delete()  # the signal resyncs

    users, permissions, _, _ = snapshot(group)
    assert users == ["c1"]
    assert ("committees", "delete_ownerscommittee") not in permissions
    assert ("wagtailredirects", "add_redirect") in permissions

    RoleAssignment.objects.filter(user__username="c1").delete()
    assert not Group.objects.filter(name=role_group_name(Role.OWNERS_COMMITTEE, compound)).exists()


def test_a_batch_skips_scopes_that_no_longer_exist_and_drops_unused_groups(street_tree) -> None:
    compound = street_tree.compound_a1
    Group.objects.create(name=role_group_name(Role.PROPERTY_FIRM, compound))

    result = sync_role_groups([(Role.PROPERTY_FIRM, compound.pk), (Role.PROPERTY_FIRM, 999_999)])

    assert result == {(Role.PROPERTY_FIRM, compound.pk): None}
    assert not Group.objects.filter(name=role_group_name(Role.PROPERTY_FIRM, compound)).exists()


def test_a_batch_sync_takes_a_fixed_number_of_queries_whatever_the_size(
    street_tree, django_assert_max_num_queries
) -> None:
    tree = street_tree
    compounds = [tree.compound_a1, tree.compound_a2, tree.compound_b1]
    roles = [Role.OWNERS_COMMITTEE, Role.PROPERTY_FIRM, Role.COMMISSIONER, Role.COMPOUND_PARTY]
    assign_in_bulk(
        [(f"{role}-{c.pk}-{n}", role, c) for c in compounds for role in roles for n in range(3)]
    )
    # Each scope's collection is made once, a tree insertion each, as site_config makes them
    # before it syncs; the batch itself does not grow with the number of scopes.
    scope_collections(c.pk for c in compounds)

    with django_assert_max_num_queries(40):
        groups = sync_role_groups((role, c.pk) for c in compounds for role in roles)

    assert len(groups) == 12 and all(group is not None for group in groups.values())


def test_image_and_document_permissions_sit_on_the_scopes_own_collection_only(
    street_tree,
) -> None:
    """Formerly every role group got them on the root collection, so every compound's
    committee could choose every other compound's files; a resync drops that grant."""
    tree = street_tree
    assign_in_bulk(
        [
            ("c1", Role.OWNERS_COMMITTEE, tree.compound_a1),
            ("o1", Role.COMMUNITY_OFFICE, tree.community_a),
        ]
    )
    committee = (Role.OWNERS_COMMITTEE, tree.compound_a1.pk)
    office = (Role.COMMUNITY_OFFICE, tree.community_a.pk)
    groups = sync_role_groups([committee, office])
    root_grant = GroupCollectionPermission.objects.create(
        group=groups[committee],
        collection=Collection.get_first_root_node(),
        permission=Permission.objects.get(codename="choose_document"),
    )

    sync_role_groups([committee])

    assert not GroupCollectionPermission.objects.filter(pk=root_grant.pk).exists()
    compound_collection = scope_collection(tree.compound_a1)
    community_collection = scope_collection(tree.community_a)
    assert {collection for collection, _ in snapshot(groups[committee])[3]} == {
        compound_collection.pk
    }
    assert {collection for collection, _ in snapshot(groups[office])[3]} == {
        community_collection.pk
    }
    # The collections mirror the page tree: the office's permissions reach the compound's.
    assert compound_collection.get_parent() == community_collection
    assert community_collection.get_parent() == scope_collection(tree.street)
    assert (compound_collection.name, community_collection.name) == ("锦绣花园", "凤鸣社区")
