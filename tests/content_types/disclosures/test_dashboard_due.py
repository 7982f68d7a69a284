"""The dashboard panel 公开事项到期: which of the user's compounds have disclosures due or late."""

from __future__ import annotations

import datetime

import pytest
from django.test import RequestFactory

from content_types.disclosures.wagtail_hooks import (
    DisclosuresDuePanel,
    last_half_year,
    last_quarter,
)
from content_types.roles.models import Role
from tests.content_types.disclosures.factories import (
    FeeCollectionPageFactory,
    FinanceStatementPageFactory,
)
from tests.content_types.structure.factories import CompoundPageFactory

pytestmark = pytest.mark.django_db

# Two weeks after the first half of 2024 ended: H1 and Q2 are due by 31 July.
IN_TIME = datetime.date(2024, 7, 15)
# After that: both are late.
LATE = datetime.date(2024, 9, 1)


def render(user, today: datetime.date) -> str:
    request = RequestFactory().get("/admin/")
    request.user = user
    return DisclosuresDuePanel(user, today).render_html({"request": request})


def publish_both(compound) -> None:
    FinanceStatementPageFactory(
        parent=compound,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 6, 30),
    )
    FeeCollectionPageFactory(
        parent=compound,
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2024, 6, 30),
    )


def line_of(html: str, title: str) -> str:
    """The panel's list item of one compound (empty when it is not listed)."""
    start = html.find(f">{title}</a>")
    return "" if start < 0 else html[start : html.find("</li>", start)]


@pytest.mark.parametrize(
    ("today", "half", "quarter"),
    [
        (datetime.date(2024, 7, 15), "2024年上半年", "2024年第二季度"),
        (datetime.date(2024, 11, 29), "2024年上半年", "2024年第三季度"),
        (datetime.date(2025, 1, 10), "2024年下半年", "2024年第四季度"),
        (datetime.date(2025, 4, 1), "2024年下半年", "2025年第一季度"),
    ],
)
def test_the_periods_watched_are_the_latest_that_have_ended(today, half, quarter):
    assert last_half_year(today).label == half
    assert last_quarter(today).label == quarter
    assert last_quarter(today).end < today and last_half_year(today).end < today


def test_a_deadline_is_the_end_of_the_following_month():
    assert last_half_year(datetime.date(2025, 3, 1)).deadline == datetime.date(2025, 1, 31)
    assert last_quarter(datetime.date(2024, 5, 20)).deadline == datetime.date(2024, 4, 30)


def test_missing_disclosures_are_due_then_overdue(street_tree, role_user):
    user = role_user(Role.COMMUNITY_OFFICE, street_tree.community_a)

    in_time = line_of(render(user, IN_TIME), "锦绣花园")
    late = line_of(render(user, LATE), "锦绣花园")

    assert "资金收支公开（2024年上半年）<strong>待公开</strong>" in in_time
    assert "物业费收缴公开（2024年第二季度）<strong>待公开</strong>" in in_time
    assert "资金收支公开（2024年上半年）<strong>已逾期</strong>" in late
    assert "物业费收缴公开（2024年第二季度）<strong>已逾期</strong>" in late


def test_a_compound_that_published_both_is_fine(street_tree, role_user):
    publish_both(street_tree.compound_a1)
    # A yearly statement covers the half-year too; the fee figures are still missing.
    FinanceStatementPageFactory(
        parent=street_tree.compound_a2,
        period_start=datetime.date(2023, 7, 1),
        period_end=datetime.date(2024, 6, 30),
    )
    user = role_user(Role.COMMUNITY_OFFICE, street_tree.community_a)

    html = render(user, LATE)

    assert line_of(html, "锦绣花园") == ""
    assert "资金收支公开" not in line_of(html, "阳光水岸")
    assert "物业费收缴公开（2024年第二季度）<strong>已逾期</strong>" in line_of(html, "阳光水岸")
    assert "2 个小区中，1 个尚未公开" in html


def test_drafts_and_periods_that_fall_short_do_not_count(street_tree, role_user):
    compound = street_tree.compound_a1
    FinanceStatementPageFactory(
        parent=compound,
        live=False,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 6, 30),
    )
    FeeCollectionPageFactory(
        parent=compound,
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2024, 5, 31),
    )
    # Another compound's statement is not this compound's.
    publish_both(street_tree.compound_a2)

    html = render(role_user(Role.OWNERS_COMMITTEE, compound), LATE)

    assert "资金收支公开（2024年上半年）<strong>已逾期</strong>" in line_of(html, "锦绣花园")
    assert "物业费收缴公开（2024年第二季度）<strong>已逾期</strong>" in line_of(html, "锦绣花园")


def test_everyone_up_to_date_is_said_so(street_tree, role_user):
    publish_both(street_tree.compound_a1)

    html = render(role_user(Role.PROPERTY_FIRM, street_tree.compound_a1), IN_TIME)

    assert "您负责的 1 个小区均已按期公开" in html
    assert "<li>" not in html


@pytest.mark.parametrize(
    ("role", "scope", "shown", "hidden"),
    [
        (Role.OWNERS_COMMITTEE, "compound_a1", {"锦绣花园"}, {"阳光水岸", "龙山公寓", "翠竹苑"}),
        (Role.COMMUNITY_OFFICE, "community_a", {"锦绣花园", "阳光水岸"}, {"龙山公寓", "翠竹苑"}),
        (Role.COMMUNITY_PARTY, "community_b", {"龙山公寓", "翠竹苑"}, {"锦绣花园", "阳光水岸"}),
        (Role.STREET_OFFICE, "street", {"锦绣花园", "阳光水岸", "龙山公寓", "翠竹苑"}, set()),
    ],
)
def test_the_panel_shows_the_users_compounds_only(
    role, scope, shown, hidden, street_tree, role_user
):
    html = render(role_user(role, getattr(street_tree, scope)), LATE)

    assert {title for title in shown | hidden if line_of(html, title)} == shown


def test_a_user_without_compounds_gets_no_panel(street_tree, django_user_model):
    assert render(django_user_model.objects.create_user("outsider"), LATE) == ""


def test_the_panel_is_on_the_dashboard(street_tree, role_user, client):
    client.force_login(role_user(Role.COMMISSIONER, street_tree.compound_a1))

    assert "公开事项到期" in client.get("/admin/").text


@pytest.mark.parametrize("extra_compounds", [0, 12])
def test_the_panel_takes_a_fixed_number_of_queries(
    extra_compounds, street_tree, role_user, django_assert_num_queries
):
    for index in range(extra_compounds):
        compound = CompoundPageFactory(parent=street_tree.community_a, title=f"新小区{index}")
        if index % 2:
            publish_both(compound)
    user = role_user(Role.STREET_OFFICE, street_tree.street)

    with django_assert_num_queries(2):
        html = render(user, LATE)

    assert f"您负责的 {4 + extra_compounds} 个小区中，{4 + extra_compounds // 2} 个尚未公开" in html
