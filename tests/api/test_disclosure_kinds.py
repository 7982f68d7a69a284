"""A disclosure kind registered in one place is in the API, its filters and the due panel.

电梯年检公示 (``tests/disclosure_kind``) is a model only the tests install; it is registered
here, for this module only, so the published schema (``graphql/schema.graphql``) stays as it is.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import RequestFactory

from api.filters import apply_filters, filter_for
from api.schema import build_schema, schema
from content_types.disclosures.kinds import KINDS, DisclosureKind, Schedule
from content_types.disclosures.periods import Period
from content_types.roles.models import Role
from graphql import GraphQLError, print_schema
from site_config.models import DisclosureSchedule
from site_config.schedules import DisclosuresDuePanel
from tests.disclosure_kind.models import InspectionFinding, InspectionReportPage

pytestmark = pytest.mark.django_db

INSPECTIONS = DisclosureKind(
    InspectionReportPage,
    plural="inspection_reports",
    dates=("period_start", "period_end"),
    period_label="检验期间",
    rows=("findings",),
    schedule=Schedule(Period.YEAR),
    screen_rows="findings",
)

QUERY = """
query ($from: Date) {
  inspectionReports(compound: "jinxiu", dateFrom: $from) {
    totalCount
    items { title elevatorsInspected periodEnd findings { elevator passed } }
  }
  disclosures(compound: "jinxiu", type: [INSPECTION_REPORT]) {
    items { __typename ... on InspectionReport { title } }
  }
  screenFeed(compound: "jinxiu") { inspectionReport { title findings { elevator } } }
}
"""


@pytest.fixture(scope="module")
def registered():
    with KINDS.registered(INSPECTIONS) as kind:
        yield kind, build_schema()


def report(compound, year: int, *, live: bool = True) -> InspectionReportPage:
    page = InspectionReportPage(
        title=f"{year}年电梯年检公示",
        slug=f"inspections-{year}-{live}",
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        elevators_inspected=4,
        live=live,
    )
    page.findings = [InspectionFinding(elevator="1幢1号梯"), InspectionFinding(elevator="2幢1号梯")]
    compound.add_child(instance=page)
    return page


def run(built, query: str, **variables):
    request = RequestFactory().post("/graphql/")
    result = built.execute(query, variable_values=variables, context_value=request)
    assert result.errors is None, result.errors
    return result.data


def test_the_kind_is_in_the_schema_built_while_it_is_registered(registered):
    _kind, built = registered
    sdl = print_schema(built.graphql_schema)

    assert '"""电梯年检公示；日期范围按检验期间是否重叠筛选"""\n  inspectionReports(' in sdl
    assert "type InspectionReport {" in sdl
    assert "INSPECTION_REPORT" in sdl
    assert "FeeCollection | AssetLists | PropertyServices | InspectionReport" in sdl
    assert "inspectionReport: InspectionReport" in sdl
    assert "InspectionReport" not in print_schema(schema.graphql_schema)


def test_only_published_reports_are_listed_shown_and_filtered(registered, street_tree):
    _kind, built = registered
    report(street_tree.compound_a1, 2023)
    report(street_tree.compound_a1, 2024)
    report(street_tree.compound_a1, 2025, live=False)
    report(street_tree.compound_a2, 2025)

    data = run(built, QUERY)
    recent = run(built, QUERY, **{"from": "2024-01-01"})["inspectionReports"]

    assert [item["title"] for item in data["inspectionReports"]["items"]] == [
        "2024年电梯年检公示",
        "2023年电梯年检公示",
    ]
    assert data["inspectionReports"]["items"][0]["findings"] == [
        {"elevator": "1幢1号梯", "passed": True},
        {"elevator": "2幢1号梯", "passed": True},
    ]
    assert {item["__typename"] for item in data["disclosures"]["items"]} == {"InspectionReport"}
    assert data["screenFeed"]["inspectionReport"]["title"] == "2024年电梯年检公示"
    assert [item["periodEnd"] for item in recent["items"]] == ["2024-12-31"]


def test_its_filters_refuse_a_backwards_range_in_chinese(registered):
    kind, _built = registered

    with pytest.raises(GraphQLError, match="开始日期 2024-12-31 晚于结束日期 2024-01-01"):
        apply_filters(
            filter_for(kind),
            InspectionReportPage.objects.all(),
            date_from=datetime.date(2024, 12, 31),
            date_to=datetime.date(2024, 1, 1),
        )


def test_the_due_panel_watches_a_schedule_of_the_kind(registered, street_tree, role_user):
    DisclosureSchedule.objects.create(
        code="elevators",
        name="电梯年检情况公示",
        page_type="disclosure_kind.inspectionreportpage",
        period=Period.YEAR,
        grace_days=60,
        scope=street_tree.community_a,
    )
    report(street_tree.compound_a2, 2024)
    user = role_user(Role.COMMUNITY_OFFICE, street_tree.community_a)
    request = RequestFactory().get("/admin/")
    request.user = user

    html = DisclosuresDuePanel(user, datetime.date(2025, 3, 15)).render_html({"request": request})

    assert "锦绣花园</a>：\n" in html
    assert "电梯年检情况公示（2024年）<strong>已逾期</strong>" in html
    assert "您负责的 2 个小区中，1 个尚未公开" in html
