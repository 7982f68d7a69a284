"""The three lists (三张清单) are rows by kind, with what each earns added up per list."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from content_types.disclosures.models import AssetKind, AssetListsPage
from tests.content_types.disclosures.factories import AssetItemFactory, AssetListsPageFactory

pytestmark = pytest.mark.django_db


def test_asset_lists_save_and_publish(street_tree):
    lists = AssetListsPageFactory(parent=street_tree.compound_a1, live=False)

    lists.save_revision().publish()

    lists.refresh_from_db()
    assert lists.live
    assert {item.kind for item in lists.items.all()} == set(AssetKind)


def test_a_negative_income_or_quantity_is_refused(street_tree):
    items = [
        AssetItemFactory.build(),
        AssetItemFactory.build(annual_income=Decimal("-100.00"), quantity=Decimal("-1")),
    ]

    with pytest.raises(ValidationError) as refused:
        AssetListsPageFactory(parent=street_tree.compound_a1, items=items)

    assert refused.value.messages == [
        "清单第 2 行：“数量或金额”不能为负数。",
        "清单第 2 行：“年收益（元/年）”不能为负数。",
    ]
    assert not AssetListsPage.objects.exists()


def test_asset_lists_belong_under_a_compound_only(street_tree):
    assert AssetListsPage.can_create_at(street_tree.compound_a1)
    assert not AssetListsPage.can_create_at(street_tree.community_b)
    assert not AssetListsPage.can_create_at(street_tree.street)


def test_the_public_page_groups_rows_by_list_with_income_totals(
    street_tree, public_site, client, django_assert_num_queries
):
    lists = AssetListsPageFactory(
        parent=street_tree.compound_a1,
        items=[
            AssetItemFactory.build(name="地面停车位", annual_income=Decimal("28800.00")),
            AssetItemFactory.build(name="电梯广告位", annual_income=Decimal("12000.50")),
            AssetItemFactory.build(
                kind=AssetKind.FUND, name="定期存款", annual_income=Decimal("3000.00")
            ),
        ],
    )
    client.get(lists.relative_url(public_site))  # the site lookup is cached from now on

    with django_assert_num_queries(11):
        text = client.get(lists.relative_url(public_site)).text

    assert "公共资源清单" in text and "资金清单" in text and "资产清单" not in text
    assert "40800.50" in text  # public resources subtotal
    assert "年收益合计：43800.50 元" in text
