"""Every disclosure's editor opens under a compound, with its rows, and nowhere else."""

import pytest

from content_types.roles.models import Role
from tests.content_types.disclosures.factories import (
    AssetListsPageFactory,
    BuildingCollectionFactory,
    FeeCollectionPageFactory,
    FinanceStatementPageFactory,
    PropertyServicesPageFactory,
)

pytestmark = pytest.mark.django_db

DISCLOSURE_MODELS = [
    "financestatementpage",
    "feecollectionpage",
    "assetlistspage",
    "propertyservicespage",
]


@pytest.mark.parametrize("model", DISCLOSURE_MODELS)
def test_a_compound_editor_opens_the_add_form_under_its_compound(
    street_tree, role_user, client, model
):
    client.force_login(role_user(Role.PROPERTY_FIRM, street_tree.compound_a1))

    response = client.get(f"/admin/pages/add/disclosures/{model}/{street_tree.compound_a1.pk}/")

    assert response.status_code == 200


@pytest.mark.parametrize("model", DISCLOSURE_MODELS)
def test_no_one_may_add_a_disclosure_under_a_community(street_tree, admin_client, model):
    response = admin_client.get(
        f"/admin/pages/add/disclosures/{model}/{street_tree.community_a.pk}/", follow=True
    )

    assert response.redirect_chain == [("/admin/", 302)]
    assert "你没有权限访问" in response.text


@pytest.mark.parametrize(
    ("factory", "row_text"),
    [
        (FinanceStatementPageFactory, "3幢电梯更换钢丝绳"),
        (
            lambda parent: FeeCollectionPageFactory(
                parent=parent, buildings=[BuildingCollectionFactory.build(building="7幢")]
            ),
            "7幢",
        ),
        (AssetListsPageFactory, "业委会办公用房"),
        (PropertyServicesPageFactory, "楼道每日清扫一次"),
    ],
)
def test_a_compound_editor_opens_an_existing_disclosure_with_its_rows(
    street_tree, role_user, client, factory, row_text
):
    page = factory(parent=street_tree.compound_a1)
    client.force_login(role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1))

    response = client.get(f"/admin/pages/{page.pk}/edit/")

    assert response.status_code == 200
    assert row_text in response.text
