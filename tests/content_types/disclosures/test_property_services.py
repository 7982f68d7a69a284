"""Property services show their fees, and shared energy costs show each owner's share."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from content_types.disclosures.models import PropertyServicesPage, SplitBasis
from tests.content_types.disclosures.factories import (
    EnergyCostSplitFactory,
    PropertyServicesPageFactory,
    ServiceItemFactory,
)

pytestmark = pytest.mark.django_db


def test_property_services_save_and_publish(street_tree):
    services = PropertyServicesPageFactory(parent=street_tree.compound_a2, live=False)

    services.save_revision().publish()

    services.refresh_from_db()
    assert services.live
    assert [service.item for service in services.services.all()] == ["保洁"]


@pytest.mark.parametrize(
    ("basis", "total", "split_over", "share"),
    [
        (SplitBasis.AREA, "12000.00", "27500.50", Decimal("0.4364")),  # 0.436355…
        (SplitBasis.AREA, "1.00", "8", Decimal("0.1250")),
        (SplitBasis.HOUSEHOLD, "12000.00", "300", Decimal("40.00")),
        (SplitBasis.HOUSEHOLD, "1000.00", "3", Decimal("333.33")),
        (SplitBasis.HOUSEHOLD, "0.05", "2", Decimal("0.03")),  # 0.025: half rounds up
    ],
)
def test_each_share_is_computed_from_the_total(basis, total, split_over, share):
    split = EnergyCostSplitFactory.build(
        basis=basis, total_cost=Decimal(total), split_over=Decimal(split_over)
    )

    assert split.share == share


def test_impossible_rows_are_refused_with_their_row_number(street_tree):
    with pytest.raises(ValidationError) as refused:
        PropertyServicesPageFactory(
            parent=street_tree.compound_a1,
            services=[ServiceItemFactory.build(fee_unit="")],
            energy_splits=[
                EnergyCostSplitFactory.build(),
                EnergyCostSplitFactory.build(
                    basis=SplitBasis.HOUSEHOLD,
                    split_over=Decimal("300.50"),
                    total_cost=Decimal("-3.00"),
                ),
            ],
        )

    assert refused.value.messages == [
        "服务项目第 1 行：填写了收费金额，请同时填写计费单位。",
        "能耗分摊第 2 行：“分摊总费用（元）”不能为负数。",
        "能耗分摊第 2 行：按户分摊时，总户数须为整数。",
    ]
    assert not PropertyServicesPage.objects.exists()


def test_property_services_belong_under_a_compound_only(street_tree):
    assert PropertyServicesPage.can_create_at(street_tree.compound_b1)
    assert not PropertyServicesPage.can_create_at(street_tree.community_b)


def test_the_public_page_shows_fees_and_shares(street_tree, public_site, client):
    services = PropertyServicesPageFactory(
        parent=street_tree.compound_a1,
        services=[
            ServiceItemFactory.build(),
            ServiceItemFactory.build(item="绿化养护", fee=None, fee_unit=""),
        ],
        energy_splits=[
            EnergyCostSplitFactory.build(),
            EnergyCostSplitFactory.build(
                basis=SplitBasis.HOUSEHOLD, split_over=Decimal("300"), total_cost=Decimal("900")
            ),
        ],
    )

    text = client.get(services.relative_url(public_site)).text

    assert "1.20 元/平方米·月" in text and "不单独收费" in text
    assert "0.4364 元/平方米" in text and "3.00 元/户" in text
