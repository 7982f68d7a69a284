"""Reports in the isolation matrix: a compound's committee, firm and commissioner, and a
community's office, never see another compound's reports by listing, search, chooser or URL,
and cannot move them; their own compound's reports are open to them. The API has no reports.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from api.schema import schema
from content_types.reports import services
from content_types.reports.models import Report, ReportStatus
from content_types.roles.models import Role
from tests.content_types.roles.test_snippet_isolation import (
    Rows,
    assert_refused_everywhere,
    assert_shows_none_of,
    assert_unchanged_after_writes,
    listing_and_chooser,
    text,
)

from .factories import ReportScheduleFactory, written

pytestmark = pytest.mark.django_db

COMPOUNDS = ("compound_a1", "compound_a2", "compound_b1")


@pytest.fixture
def reports(street_tree, role_user):
    """A submitted committee report in compounds a1, a2 and b1."""
    schedule = ReportScheduleFactory(scope=street_tree.street)
    found = {}
    for key in COMPOUNDS:
        compound = getattr(street_tree, key)
        writer = role_user(Role.OWNERS_COMMITTEE, compound)
        found[key] = services.submit(written(schedule, compound, writer), writer)
    return found


def url(view: str, report: Report) -> str:
    return reverse(Report.snippet_viewset.get_url_name(view), args=[report.pk])


def run_report_matrix(client, rows: Rows) -> None:
    listing = listing_and_chooser(client, Report)
    for response in listing:
        assert_shows_none_of(response, rows.others)
    for response in listing[:2] + listing[4:6]:
        assert response.status_code == 200
        for row in rows.own:
            assert row.compound.title in text(response)
    history = client.get(reverse("wagtailadmin_reports:site_history"))
    assert_shows_none_of(history, rows.others)
    for row in rows.others:
        assert_refused_everywhere(client, Report, row)
        assert_unchanged_after_writes(client, Report, row)
        for step in ("acknowledge", "return", "submit"):
            response = client.post(url("act", row), {"step": step, "comment": "越权"})
            assert response.status_code == 404
        assert Report.objects.get(pk=row.pk).status == ReportStatus.SUBMITTED
    for row in rows.own:
        page = client.get(url("inspect", row))
        assert page.status_code == 200 and row.title in page.text


@pytest.mark.parametrize("role", [Role.OWNERS_COMMITTEE, Role.PROPERTY_FIRM, Role.COMMISSIONER])
def test_a_compound_party_reaches_its_own_compounds_reports_only(
    role, street_tree, role_user, reports, client
):
    client.force_login(role_user(role, street_tree.compound_a1))
    rows = Rows(
        own=[reports["compound_a1"]], others=[reports["compound_a2"], reports["compound_b1"]]
    )
    run_report_matrix(client, rows)


def test_a_community_office_reaches_its_compounds_and_nothing_of_another_community(
    street_tree, role_user, reports, client
):
    client.force_login(role_user(Role.COMMUNITY_OFFICE, street_tree.community_a))
    rows = Rows(
        own=[reports["compound_a1"], reports["compound_a2"]], others=[reports["compound_b1"]]
    )
    run_report_matrix(client, rows)


def test_the_compound_party_organisation_has_no_reports(street_tree, role_user, reports, client):
    client.force_login(role_user(Role.COMPOUND_PARTY, street_tree.compound_a1))
    rows = Rows(own=[], others=list(reports.values()))
    for row in rows.others:
        assert_refused_everywhere(client, Report, row)


def test_the_api_exposes_no_reports(reports):
    names = set(schema.graphql_schema.type_map)
    assert not {name for name in names if "Report" in name and "Usage" not in name}
    fields = {
        field
        for type_ in schema.graphql_schema.type_map.values()
        for field in getattr(type_, "fields", {}) or {}
    }
    assert not {field for field in fields if field.lower().startswith(("report", "workreport"))}
