"""Each street, community and compound gets a collection of images and documents, kept by
site_config as it keeps the page tree, and its roles' file permissions sit on it alone."""

from __future__ import annotations

import re

import pytest
import wagtail_factories
from django.contrib.auth.models import Group, Permission
from wagtail.documents import get_document_model
from wagtail.models import Collection, GroupCollectionPermission

from content_types.roles.models import Role, ScopeCollection
from content_types.roles.sync import role_group_name
from content_types.structure.models import CommunityPage, CompoundPage
from site_config.apply import RemovalRefused, apply_file
from site_config.export import export_yaml
from site_config.models import ManagedObject

from .conftest import MINIMAL

pytestmark = pytest.mark.django_db

TWO_COMMUNITIES = MINIMAL.replace(
    "chains:",
    "  - username: longshan_office\n"
    "    roles: [{role: community_office, scope: longshan}]\n"
    "chains:",
).replace(
    "users:",
    "  - title: 龙山社区\n    slug: longshan\n    compounds:\n"
    "      - {title: 龙山公寓, slug: gongyu, address: 龙山路 1 号}\nusers:",
)
WITHOUT_YANGGUANG = MINIMAL.replace(
    "      - {title: 阳光水岸, slug: yangguang, address: 凤鸣路 233 号}\n", ""
)


def tree() -> dict[str, tuple[str, str]]:
    """Each scope collection as (its name, its parent's name)."""
    return {
        link.scope.slug: (link.collection.name, link.collection.get_parent().name)
        for link in ScopeCollection.objects.select_related("scope", "collection")
    }


def granted(role: str, slug: str) -> set[tuple[str, str]]:
    page = CompoundPage.objects.filter(slug=slug).first() or CommunityPage.objects.get(slug=slug)
    # By the page's id: a group keeps the title its page had when it was last synced.
    return set(
        GroupCollectionPermission.objects.filter(
            group__name__startswith=f"{Role(role).label}｜", group__name__endswith=f"｜#{page.pk}"
        ).values_list("collection__name", "permission__codename")
    )


def test_apply_makes_a_collection_per_scope_mirroring_the_page_tree(
    empty_site, write_config
) -> None:
    plan = apply_file(write_config(TWO_COMMUNITIES))

    assert "新建 图片文档集合 jinxiu" in plan.report()
    assert tree() == {
        "baiguan": ("百官街道", "Root"),
        "fengming": ("凤鸣社区", "百官街道"),
        "jinxiu": ("锦绣花园", "凤鸣社区"),
        "yangguang": ("阳光水岸", "凤鸣社区"),
        "longshan": ("龙山社区", "百官街道"),
        "gongyu": ("龙山公寓", "龙山社区"),
    }
    everything = {"add_image", "choose_image", "add_document", "choose_document"}
    assert granted(Role.OWNERS_COMMITTEE, "jinxiu") == {("锦绣花园", code) for code in everything}
    assert granted(Role.COMMUNITY_OFFICE, "fengming") == {("凤鸣社区", code) for code in everything}
    assert ManagedObject.objects.filter(kind="collection").count() == 6

    again = apply_file(write_config(TWO_COMMUNITIES))

    assert again.is_empty
    assert Collection.objects.count() == 7
    # No collection is written to the file (``fee_collection`` is a firm evaluation weight).
    assert not re.search(r"^\s*-?\s*collections?:", export_yaml(), re.MULTILINE)


def test_a_renamed_or_moved_compound_takes_its_collection_along(empty_site, write_config) -> None:
    apply_file(write_config(TWO_COMMUNITIES))
    document = wagtail_factories.DocumentFactory(
        title="维修方案", collection=ScopeCollection.objects.get(scope__slug="jinxiu").collection
    )
    moved = TWO_COMMUNITIES.replace(
        "      - {title: 锦绣花园, slug: jinxiu, address: 凤鸣路 101 号, households: 612}\n", ""
    ).replace(
        "      - {title: 龙山公寓, slug: gongyu, address: 龙山路 1 号}\n",
        "      - {title: 龙山公寓, slug: gongyu, address: 龙山路 1 号}\n"
        "      - {title: 锦绣华庭, slug: jinxiu, address: 凤鸣路 101 号, households: 612}\n",
    )

    plan = apply_file(write_config(moved))

    assert "更新 图片文档集合 jinxiu：名称：锦绣花园 → 锦绣华庭；上级集合：fengming → longshan" in (
        plan.report()
    )
    assert tree()["jinxiu"] == ("锦绣华庭", "龙山社区")
    assert get_document_model().objects.get(pk=document.pk).collection.name == "锦绣华庭"
    assert granted(Role.OWNERS_COMMITTEE, "jinxiu") >= {("锦绣华庭", "choose_document")}
    assert apply_file(write_config(moved)).is_empty


def test_a_removed_compounds_empty_collection_goes_with_it(empty_site, write_config) -> None:
    apply_file(write_config(MINIMAL))

    plan = apply_file(write_config(WITHOUT_YANGGUANG))

    assert "移除 图片文档集合 yangguang" in plan.report()
    assert not Collection.objects.filter(name="阳光水岸").exists()
    assert apply_file(write_config(WITHOUT_YANGGUANG)).is_empty


def test_a_collection_with_files_is_kept_and_its_removal_refused_unless_allowed(
    empty_site, write_config
) -> None:
    apply_file(write_config(MINIMAL))
    collection = ScopeCollection.objects.get(scope__slug="yangguang").collection
    document = wagtail_factories.DocumentFactory(title="停车方案", collection=collection)

    with pytest.raises(RemovalRefused) as refused:
        apply_file(write_config(WITHOUT_YANGGUANG))
    assert "移除 图片文档集合 yangguang（仍有 1 个图片或文档）" in str(refused.value)

    apply_file(write_config(WITHOUT_YANGGUANG), allow_delete=True)

    assert get_document_model().objects.get(pk=document.pk).collection_id == collection.pk
    assert not ManagedObject.objects.filter(kind="collection", key="yangguang").exists()
    assert apply_file(write_config(WITHOUT_YANGGUANG)).is_empty


def test_a_street_applied_before_collections_existed_gets_them_and_leaves_the_root(
    empty_site, write_config
) -> None:
    """Older versions made no collections and granted every role on the root collection."""
    apply_file(write_config(MINIMAL))
    for link in ScopeCollection.objects.select_related("collection").order_by("-collection__path"):
        link.collection.delete()
    ManagedObject.objects.filter(kind="collection").delete()
    committee = role_group_name(Role.OWNERS_COMMITTEE, CompoundPage.objects.get(slug="jinxiu"))
    GroupCollectionPermission.objects.create(
        group=Group.objects.get(name=committee),
        collection=Collection.get_first_root_node(),
        permission=Permission.objects.get(codename="choose_image"),
    )

    plan = apply_file(write_config(MINIMAL))

    assert plan.count("create") == 4
    assert granted(Role.OWNERS_COMMITTEE, "jinxiu") == {
        ("锦绣花园", code)
        for code in ("add_image", "choose_image", "add_document", "choose_document")
    }


def test_a_collection_deleted_in_the_admin_is_made_again(empty_site, write_config) -> None:
    apply_file(write_config(MINIMAL))
    ScopeCollection.objects.get(scope__slug="yangguang").collection.delete()

    plan = apply_file(write_config(MINIMAL))

    assert "新建 图片文档集合 yangguang" in plan.report()
    assert tree()["yangguang"] == ("阳光水岸", "凤鸣社区")
    assert apply_file(write_config(MINIMAL)).is_empty
