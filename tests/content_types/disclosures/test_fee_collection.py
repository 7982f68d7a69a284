"""The collection rate is computed exactly from the figures; impossible figures are refused."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from content_types.disclosures.models import FeeCollectionPage
from tests.content_types.disclosures.factories import (
    BuildingCollectionFactory,
    FeeCollectionPageFactory,
)

pytestmark = pytest.mark.django_db


def test_a_fee_collection_saves_and_publishes(street_tree):
    fees = FeeCollectionPageFactory(parent=street_tree.compound_a1, live=False)

    fees.save_revision().publish()

    fees.refresh_from_db()
    assert fees.live
    assert (fees.households_paid, fees.households_total) == (270, 300)


def test_the_rates_are_computed_exactly_by_households_and_by_amount(street_tree):
    fees = FeeCollectionPageFactory(
        parent=street_tree.compound_a1,
        households_paid=123,
        households_total=456,
        amount_collected=Decimal("123.00"),
        amount_due=Decimal("456.00"),
    )

    exact = Fraction(123, 456) * 100  # 26.9736…%
    assert fees.rate_by_households == Decimal("26.97")
    assert abs(Fraction(fees.rate_by_households) - exact) < Fraction(1, 200)
    assert fees.rate_by_amount == Decimal("26.97")
    assert not [field for field in FeeCollectionPage._meta.get_fields() if "rate" in field.name]


@pytest.mark.parametrize(
    ("paid", "total", "rate"),
    [
        (97, 800, Decimal("12.13")),  # exactly 12.125%: half rounds up, not to even
        (1, 3, Decimal("33.33")),
        (2, 3, Decimal("66.67")),
        (300, 300, Decimal("100.00")),
        (0, 300, Decimal("0.00")),
    ],
)
def test_the_rate_rounds_half_up_to_two_places(street_tree, paid, total, rate):
    fees = FeeCollectionPageFactory(
        parent=street_tree.compound_a1, households_paid=paid, households_total=total
    )

    assert fees.rate_by_households == rate


def test_with_nothing_due_there_is_no_rate(street_tree, public_site, client):
    fees = FeeCollectionPageFactory(
        parent=street_tree.compound_a1,
        households_paid=0,
        households_total=0,
        amount_collected=Decimal("0.00"),
        amount_due=Decimal("0.00"),
    )

    assert fees.rate_by_amount is None and fees.rate_by_households is None
    assert "—" in client.get(fees.relative_url(public_site)).text


def test_more_paid_than_owed_is_refused(street_tree):
    with pytest.raises(ValidationError) as refused:
        FeeCollectionPageFactory(
            parent=street_tree.compound_a1,
            households_paid=457,
            households_total=456,
            amount_collected=Decimal("1000.01"),
            amount_due=Decimal("1000.00"),
        )

    assert refused.value.message_dict["households_paid"] == ["已缴户数 457 户超过应缴户数 456 户。"]
    assert refused.value.message_dict["amount_collected"] == [
        "实收金额 1000.01 元超过应收金额 1000.00 元；"
        "往期欠费和预缴不计入本期收缴率，请在说明中另列。"
    ]
    assert not FeeCollectionPage.objects.exists()


def test_negative_amounts_are_refused(street_tree):
    with pytest.raises(ValidationError) as refused:
        FeeCollectionPageFactory(
            parent=street_tree.compound_a1, amount_collected=Decimal("-1.00"), live=False
        )

    assert refused.value.message_dict["amount_collected"] == ["不能为负数。"]


def test_buildings_must_add_up_to_the_compound_totals(street_tree):
    buildings = [BuildingCollectionFactory.build(), BuildingCollectionFactory.build()]

    with pytest.raises(ValidationError) as refused:
        FeeCollectionPageFactory(
            parent=street_tree.compound_a1, buildings=buildings, households_total=125
        )

    assert refused.value.message_dict["households_total"] == [
        "各楼栋应缴户数合计 120 户，与全小区应缴户数 125 户不符。"
    ]
    assert not FeeCollectionPage.objects.exists()


def test_a_building_with_more_paid_than_owed_is_refused_by_row(street_tree):
    buildings = [
        BuildingCollectionFactory.build(building="1幢"),
        BuildingCollectionFactory.build(building="2幢", households_paid=61),
    ]

    with pytest.raises(ValidationError) as refused:
        FeeCollectionPageFactory(parent=street_tree.compound_a1, buildings=buildings)

    assert "楼栋明细第 2 行：已缴户数 61 户超过应缴户数 60 户。" in refused.value.messages


def test_a_fee_collection_belongs_under_a_compound_only(street_tree):
    assert FeeCollectionPage.can_create_at(street_tree.compound_a1)
    assert not FeeCollectionPage.can_create_at(street_tree.community_a)
    assert not FeeCollectionPage.can_create_at(street_tree.street)


def test_the_admin_refuses_buildings_that_do_not_add_up(street_tree, admin_client):
    row = {"building": "1幢", "households_total": "60", "households_paid": "54"}
    form = nested_form_data(
        {
            "title": "2024年物业费收缴情况",
            "slug": "fees-2024",
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "households_total": "61",
            "households_paid": "54",
            "amount_due": "72000.00",
            "amount_collected": "64800.00",
            "notes": "",
            "buildings": inline_formset(
                [{**row, "amount_due": "72000.00", "amount_collected": "64800.00"}]
            ),
        }
    )

    response = admin_client.post(
        f"/admin/pages/add/disclosures/feecollectionpage/{street_tree.compound_a1.pk}/", form
    )

    assert response.status_code == 200
    assert "各楼栋应缴户数合计 60 户，与全小区应缴户数 61 户不符。" in response.text
    assert not FeeCollectionPage.objects.exists()


def test_the_public_page_shows_rates_per_building_in_fixed_queries(
    street_tree, public_site, client, django_assert_num_queries
):
    two = FeeCollectionPageFactory(
        parent=street_tree.compound_a1,
        buildings=[
            BuildingCollectionFactory.build(
                building="1幢", households_paid=41, households_total=60
            ),
            BuildingCollectionFactory.build(building="2幢"),
        ],
    )
    twenty = FeeCollectionPageFactory(
        parent=street_tree.compound_a1,
        buildings=[BuildingCollectionFactory.build(building=f"{n}幢") for n in range(1, 21)],
    )
    client.get(two.relative_url(public_site))  # the site lookup is cached from now on

    with django_assert_num_queries(11):
        two_response = client.get(two.relative_url(public_site))
    with django_assert_num_queries(11):
        twenty_response = client.get(twenty.relative_url(public_site))

    assert "68.33%" in two_response.text  # 1幢: 41 / 60
    assert "79.17%" in two_response.text  # 95 / 120 households in all
    assert "20幢" in twenty_response.text and "90.00%" in twenty_response.text
