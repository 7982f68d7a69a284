"""The file's disclosure schedules drive the dashboard panel 公开事项到期."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from content_types.disclosures.models import Fund
from content_types.disclosures.periods import last_finished_period
from content_types.roles.models import Role
from site_config.apply import apply_file
from site_config.models import DisclosureSchedule
from site_config.schedules import DisclosuresDuePanel
from site_config.validation import ConfigError, load_config
from tests.content_types.disclosures.factories import (
    EnergyCostSplitFactory,
    FeeCollectionPageFactory,
    FinanceStatementPageFactory,
    PropertyServicesPageFactory,
)
from tests.content_types.structure.factories import CompoundPageFactory

from .conftest import MINIMAL

pytestmark = pytest.mark.django_db

# With 31 grace days the first half of 2024 and its second quarter are due by 31 July.
IN_TIME = datetime.date(2024, 7, 15)
LATE = datetime.date(2024, 9, 1)
SHARED_REVENUE = "共有收益收支情况公开"
FEES = "物业费收缴情况公开"
SERVICES = "物业服务与公共能耗公示"


@pytest.mark.parametrize(
    ("period", "today", "label", "start", "end"),
    [
        ("quarter", datetime.date(2024, 4, 20), "2024年第一季度", (2024, 1, 1), (2024, 3, 31)),
        ("quarter", datetime.date(2024, 1, 5), "2023年第四季度", (2023, 10, 1), (2023, 12, 31)),
        ("half_year", datetime.date(2024, 9, 1), "2024年上半年", (2024, 1, 1), (2024, 6, 30)),
        ("half_year", datetime.date(2025, 4, 1), "2024年下半年", (2024, 7, 1), (2024, 12, 31)),
        ("year", datetime.date(2024, 2, 29), "2023年", (2023, 1, 1), (2023, 12, 31)),
        ("month", datetime.date(2024, 3, 1), "2024年2月", (2024, 2, 1), (2024, 2, 29)),
    ],
)
def test_the_period_due_is_the_latest_that_has_ended(period, today, label, start, end) -> None:
    due = last_finished_period(period, 15, today)

    assert (due.label, due.start, due.end) == (label, datetime.date(*start), datetime.date(*end))
    assert due.deadline == datetime.date(*end) + datetime.timedelta(days=15)


def schedule(scope, code: str, name: str, page_type: str, period: str, **values):
    return DisclosureSchedule.objects.create(
        code=code,
        name=name,
        page_type=f"disclosures.{page_type}",
        period=period,
        grace_days=values.pop("grace_days", 31),
        scope=scope,
        **values,
    )


@pytest.fixture
def schedules(street_tree):
    schedule(
        street_tree.street,
        "shared-revenue",
        SHARED_REVENUE,
        "financestatementpage",
        "half_year",
        fund=Fund.SHARED_REVENUE,
    )
    schedule(street_tree.street, "fee-collection", FEES, "feecollectionpage", "quarter")
    return street_tree


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


def test_missing_disclosures_are_due_then_overdue(schedules, role_user):
    user = role_user(Role.COMMUNITY_OFFICE, schedules.community_a)

    in_time = render(user, IN_TIME)
    late = line_of(render(user, LATE), "锦绣花园")

    assert "2024年上半年共有收益收支情况公开（2024年7月31日前）" in in_time
    assert f"{SHARED_REVENUE}（2024年上半年）<strong>待公开</strong>" in line_of(
        in_time, "锦绣花园"
    )
    assert f"{FEES}（2024年第二季度）<strong>待公开</strong>" in line_of(in_time, "锦绣花园")
    assert f"{SHARED_REVENUE}（2024年上半年）<strong>已逾期</strong>" in late
    assert f"{FEES}（2024年第二季度）<strong>已逾期</strong>" in late


def test_a_compound_that_published_both_is_fine(schedules, role_user):
    publish_both(schedules.compound_a1)
    # A yearly statement covers the half-year too; the fee figures are still missing.
    FinanceStatementPageFactory(
        parent=schedules.compound_a2,
        period_start=datetime.date(2023, 7, 1),
        period_end=datetime.date(2024, 6, 30),
    )
    user = role_user(Role.COMMUNITY_OFFICE, schedules.community_a)

    html = render(user, LATE)

    assert line_of(html, "锦绣花园") == ""
    assert SHARED_REVENUE not in line_of(html, "阳光水岸")
    assert f"{FEES}（2024年第二季度）<strong>已逾期</strong>" in line_of(html, "阳光水岸")
    assert "2 个小区中，1 个尚未公开" in html


def test_another_funds_statement_is_not_the_shared_revenue_one(schedules, role_user):
    FinanceStatementPageFactory(
        parent=schedules.compound_a1,
        fund=Fund.MAINTENANCE_FUND,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 6, 30),
    )

    html = render(role_user(Role.OWNERS_COMMITTEE, schedules.compound_a1), LATE)

    assert f"{SHARED_REVENUE}（2024年上半年）<strong>已逾期</strong>" in line_of(html, "锦绣花园")


def test_drafts_short_periods_and_other_compounds_do_not_count(schedules, role_user):
    compound = schedules.compound_a1
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
    publish_both(schedules.compound_a2)

    html = render(role_user(Role.OWNERS_COMMITTEE, compound), LATE)

    assert f"{SHARED_REVENUE}（2024年上半年）<strong>已逾期</strong>" in line_of(html, "锦绣花园")
    assert f"{FEES}（2024年第二季度）<strong>已逾期</strong>" in line_of(html, "锦绣花园")


def test_property_services_are_due_until_the_years_energy_costs_are_split(street_tree, role_user):
    schedule(street_tree.community_a, "services", SERVICES, "propertyservicespage", "year")
    user = role_user(Role.COMMUNITY_OFFICE, street_tree.community_a)
    # Only March was split: the year 2024 is not disclosed.
    PropertyServicesPageFactory(parent=street_tree.compound_a1)
    PropertyServicesPageFactory(
        parent=street_tree.compound_a2,
        energy_splits=[
            EnergyCostSplitFactory.build(
                period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 12, 31)
            )
        ],
    )

    html = render(user, datetime.date(2025, 3, 1))

    assert f"{SERVICES}（2024年）<strong>已逾期</strong>" in line_of(html, "锦绣花园")
    assert line_of(html, "阳光水岸") == ""


def test_everyone_up_to_date_is_said_so(schedules, role_user):
    publish_both(schedules.compound_a1)

    html = render(role_user(Role.PROPERTY_FIRM, schedules.compound_a1), IN_TIME)

    assert "您负责的 1 个小区均已按期公开" in html
    assert "<li>" not in html


@pytest.mark.parametrize(
    ("role", "scope", "shown", "hidden"),
    [
        (Role.OWNERS_COMMITTEE, "compound_a1", {"锦绣花园"}, {"阳光水岸", "龙山公寓", "翠竹苑"}),
        (Role.COMMUNITY_PARTY, "community_b", {"龙山公寓", "翠竹苑"}, {"锦绣花园", "阳光水岸"}),
        (Role.STREET_OFFICE, "street", {"锦绣花园", "阳光水岸", "龙山公寓", "翠竹苑"}, set()),
    ],
)
def test_the_panel_shows_the_users_compounds_only(role, scope, shown, hidden, schedules, role_user):
    html = render(role_user(role, getattr(schedules, scope)), LATE)

    assert {title for title in shown | hidden if line_of(html, title)} == shown


def test_a_schedule_applies_within_its_scope_only(street_tree, role_user):
    schedule(street_tree.community_b, "fees-b", FEES, "feecollectionpage", "quarter")

    html = render(role_user(Role.STREET_OFFICE, street_tree.street), LATE)

    assert {
        title for title in ("锦绣花园", "阳光水岸", "龙山公寓", "翠竹苑") if line_of(html, title)
    } == {
        "龙山公寓",
        "翠竹苑",
    }
    assert "您负责的 2 个小区中，2 个尚未公开" in html


def test_no_schedules_or_no_compounds_means_no_panel(street_tree, role_user, django_user_model):
    assert render(role_user(Role.STREET_OFFICE, street_tree.street), LATE) == ""
    schedule(street_tree.street, "fee-collection", FEES, "feecollectionpage", "quarter")
    assert render(django_user_model.objects.create_user("outsider"), LATE) == ""


def test_the_panel_is_on_the_dashboard(schedules, role_user, client):
    client.force_login(role_user(Role.COMMISSIONER, schedules.compound_a1))

    assert "公开事项到期" in client.get("/admin/").text


@pytest.mark.parametrize("extra_compounds", [0, 12])
def test_the_panel_takes_a_fixed_number_of_queries(
    extra_compounds, schedules, role_user, django_assert_num_queries
):
    for index in range(extra_compounds):
        compound = CompoundPageFactory(parent=schedules.community_a, title=f"新小区{index}")
        if index % 2:
            publish_both(compound)
    user = role_user(Role.STREET_OFFICE, schedules.street)

    with django_assert_num_queries(3):
        html = render(user, LATE)

    assert f"您负责的 {4 + extra_compounds} 个小区中，{4 + extra_compounds // 2} 个尚未公开" in html


SCHEDULES = """
disclosure_schedules:
  - code: fee-collection
    name: 物业费收缴情况公开
    page_type: disclosures.feecollectionpage
    every: quarter
    grace_days: {grace_days}
    scope: baiguan
"""


def test_the_grace_days_of_the_file_move_the_deadline(empty_site, write_config):
    today = datetime.date(2024, 4, 20)
    apply_file(write_config(MINIMAL + SCHEDULES.format(grace_days=15)))
    user = get_user_model().objects.get(username="office")

    late = render(user, today)
    apply_file(write_config(MINIMAL + SCHEDULES.format(grace_days=30)))
    in_time = render(user, today)

    assert f"{FEES}（2024年第一季度）<strong>已逾期</strong>" in line_of(late, "锦绣花园")
    assert "（2024年4月15日前）" in late
    assert f"{FEES}（2024年第一季度）<strong>待公开</strong>" in line_of(in_time, "锦绣花园")
    assert "（2024年4月30日前）" in in_time


def test_what_a_schedule_leaves_out_is_its_kinds_default(empty_site, write_config):
    apply_file(
        write_config(
            MINIMAL
            + """
disclosure_schedules:
  - {code: revenue, name: 共有收益, page_type: disclosures.financestatementpage, scope: baiguan}
  - {code: services, name: 物业公示, page_type: disclosures.propertyservicespage, scope: fengming}
"""
        )
    )

    values = DisclosureSchedule.objects.values_list("code", "period", "grace_days", "fund")

    assert set(values) == {
        ("revenue", "half_year", 30, "shared_revenue"),
        ("services", "year", 30, ""),
    }


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "page_type: structure.compoundpage",
            "page_type：“structure.compoundpage”不是公开公示的页面类型，"
            "可用：disclosures.financestatementpage、disclosures.feecollectionpage、",
        ),
        (
            "page_type: disclosures.feecollectionpage, fund: shared_revenue",
            "fund：“物业费收缴公开”不分资金类别，请删去 fund。",
        ),
        (
            "page_type: disclosures.financestatementpage, fund: lottery",
            "fund：未知的资金类别“lottery”，可用：shared_revenue、maintenance_fund、committee_funds。",
        ),
    ],
)
def test_a_schedule_names_a_disclosure_kind_and_one_of_its_funds(
    entry, expected, empty_site, write_config
):
    path = write_config(
        MINIMAL + f"disclosure_schedules:\n  - {{code: x, name: 公开, scope: baiguan, {entry}}}\n"
    )

    with pytest.raises(ConfigError) as refused:
        load_config(path)

    (problem,) = refused.value.problems
    assert expected in str(problem)
    assert "disclosure_schedules[0]" in str(problem)
