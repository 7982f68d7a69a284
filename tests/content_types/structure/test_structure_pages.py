"""The street → community → compound tree: what saves, what publishes, and what goes where."""

from decimal import Decimal

import pytest
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data

from content_types.structure.models import CommunityPage, CompoundPage, StreetPage
from tests.content_types.notices.factories import NoticePageFactory
from tests.content_types.structure.factories import (
    CommunityPageFactory,
    CompoundPageFactory,
    StreetPageFactory,
)

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/pages/add/structure/{model}/{parent}/"


def compound_form(**overrides: object) -> dict:
    return nested_form_data(
        {
            "title": "桂语江南",
            "slug": "guiyu",
            "address": "江滨路 8 号",
            "household_count": "420",
            "total_exclusive_area": "38650.25",
            "commissioner": "",
            **overrides,
        }
    )


def test_a_street_its_community_and_compound_save_and_publish(wagtail_root):
    street = StreetPageFactory(parent=wagtail_root, live=False)
    community = CommunityPageFactory(parent=street, live=False)
    compound = CompoundPageFactory(parent=community, live=False)

    for page in (street, community, compound):
        page.save_revision().publish()

    pages = Page.objects.filter(pk__in=[street.pk, community.pk, compound.pk])
    assert [page.live for page in pages] == [True] * 3
    assert compound.community.pk == community.pk
    assert list(community.compounds) == [compound]


def test_each_level_can_only_be_created_under_the_level_above(street_tree, wagtail_root):
    street, community, compound = (
        street_tree.street,
        street_tree.community_a,
        street_tree.compound_a1,
    )
    notice = NoticePageFactory(parent=compound)

    allowed = {
        model.__name__: [
            page.title
            for page in (wagtail_root, street, community, compound, notice)
            if model.can_create_at(page)
        ]
        for model in (StreetPage, CommunityPage, CompoundPage)
    }

    assert allowed == {
        "StreetPage": ["Root"],
        "CommunityPage": [street.title],
        "CompoundPage": [community.title],
    }


def test_a_compound_is_created_in_the_admin_with_its_figures(street_tree, admin_client):
    community = street_tree.community_b

    response = admin_client.post(
        ADD_URL.format(model="compoundpage", parent=community.pk),
        {**compound_form(), "action-publish": "1"},
    )

    assert response.status_code == 302
    compound = CompoundPage.objects.child_of(community).get(slug="guiyu")
    assert compound.live
    assert (compound.household_count, compound.total_exclusive_area) == (420, Decimal("38650.25"))


@pytest.mark.parametrize("parent", ["street", "compound_a1"])
def test_a_compound_in_the_wrong_place_is_refused_even_for_a_superuser(
    street_tree, admin_client, parent
):
    before = CompoundPage.objects.count()

    response = admin_client.post(
        ADD_URL.format(model="compoundpage", parent=getattr(street_tree, parent).pk),
        {**compound_form(), "action-publish": "1"},
        follow=True,
    )

    assert response.redirect_chain == [("/admin/", 302)]
    assert "你没有权限访问" in response.text
    assert CompoundPage.objects.count() == before


def test_a_negative_area_is_refused_in_chinese_and_nothing_is_saved(street_tree, admin_client):
    community = street_tree.community_b

    response = admin_client.post(
        ADD_URL.format(model="compoundpage", parent=community.pk),
        {**compound_form(total_exclusive_area="-1"), "action-publish": "1"},
    )

    assert response.status_code == 200
    assert "确保该值大于或等于" in response.text
    assert not CompoundPage.objects.child_of(community).filter(slug="guiyu").exists()
