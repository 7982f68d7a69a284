"""The street office's dashboard and listings cost the same queries for a few rows or many.

The district itself (2,000 compounds, 20,000 units) is timed by benchmarks/admin_scale.py;
here the counts are pinned on a small and a larger street, so they cannot creep back.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content_types.committees.models import OwnersCommittee
from content_types.reports.models import ReportSchedule
from content_types.roles import viewsets
from content_types.roles.models import Role
from content_types.structure.models import CommunityPage, CompoundPage
from content_types.units.models import Unit, derive_owner_key
from site_config.batch import add_published_pages, create_checked
from tests.content_types.audits.factories import AuditFactory, AuditFindingFactory
from tests.content_types.cases.factories import file
from tests.content_types.governance_tasks.factories import GovernanceTaskFactory
from tests.content_types.notices.factories import NoticePageFactory
from tests.content_types.reports.factories import ReportScheduleFactory, written
from tests.site_config.test_schedules import schedule
from tests.workflows.chains.chain_setup import COMMUNITY_CONTENT_CHAIN, attach, ensure_scoped_chain
from tests.workflows.chains.test_dashboard_queries import submit_notices

pytestmark = pytest.mark.django_db


def grow(street_tree, compounds: int, units: int) -> None:
    """More compounds under community A, each with its committee, and units in the first."""
    pages = [
        CompoundPage(title=f"新增小区{n}", slug=f"extra-{n}", address=f"新路 {n} 号")
        for n in range(compounds)
    ]
    add_published_pages([(street_tree.community_a, page) for page in pages])
    create_checked(
        [
            OwnersCommittee(
                compound=page, term_start="2024-01-01", term_end="2028-12-31", live=True
            )
            for page in pages
        ]
    )
    first = Unit.objects.count()
    Unit.objects.bulk_create(
        Unit(
            compound=street_tree.compound_a1,
            building=f"{n // 100 + 1}幢",
            room=f"{n % 100 + 101}",
            exclusive_area=Decimal("88.00"),
            owner_name=f"业主{n}",
            owner_phone=f"139{n:08d}",
            owner_key=derive_owner_key(f"139{n:08d}"),
        )
        for n in range(first, first + units)
    )


def queries(client, url: str) -> int:
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "wagtailadmin_home",
        "weizhi_units:index",
        OwnersCommittee.snippet_viewset.get_url_name("list"),
    ],
)
def test_the_street_offices_pages_do_not_grow_with_the_rows(
    url, street_tree, role_user, client
) -> None:
    client.force_login(role_user(Role.STREET_OFFICE, street_tree.street))
    address = reverse(url)
    grow(street_tree, compounds=2, units=10)
    few = queries(client, address)

    more_pages = [
        CompoundPage(title=f"再增小区{n}", slug=f"more-{n}", address=f"再路 {n} 号")
        for n in range(30)
    ]
    add_published_pages([(street_tree.community_b, page) for page in more_pages])
    create_checked(
        [
            OwnersCommittee(
                compound=page, term_start="2024-01-01", term_end="2028-12-31", live=True
            )
            for page in more_pages
        ]
    )
    grow(street_tree, compounds=0, units=300)

    assert queries(client, address) == few


# The steps of the rows in review are read with their states, not one query a row.
EXPLORER_QUERIES = 36


def test_the_explorer_does_not_grow_with_the_pages_in_review(street_tree, role_user, client):
    """A community's page explorer, as the street office sees it, with notices waiting for its
    review (each row shows its step, and that the viewer may act on it): two, then six."""
    community = street_tree.community_a
    attach(ensure_scoped_chain(*COMMUNITY_CONTENT_CHAIN), CommunityPage.objects.all())
    author = role_user(Role.COMMUNITY_OFFICE, community, "office_a")
    client.force_login(role_user(Role.STREET_OFFICE, street_tree.street))
    address = reverse("wagtailadmin_explore", args=[community.pk])
    NoticePageFactory(parent=community, title="已发布通知")
    submit_notices(community, author, 2)
    assert queries(client, address) == EXPLORER_QUERIES

    submit_notices(community, author, 4)
    for n in range(3):
        NoticePageFactory(parent=community, title=f"又一则通知{n}")

    assert queries(client, address) == EXPLORER_QUERIES


def test_past_a_hundred_compounds_the_committees_are_filtered_by_a_compounds_name(
    street_tree, role_user, client, monkeypatch
):
    grow(street_tree, compounds=4, units=0)
    address = reverse(OwnersCommittee.snippet_viewset.get_url_name("list"))
    client.force_login(role_user(Role.STREET_OFFICE, street_tree.street))
    listed = queries(client, address)
    assert 'name="compound"' in client.get(address).content.decode()

    monkeypatch.setattr(viewsets, "COMPOUND_CHOICES_MAX", 3)
    assert queries(client, address) == listed
    page = client.get(address).content.decode()
    assert 'name="compound"' not in page
    assert 'name="compound_name"' in page

    def edit(title: str) -> str:
        committee = OwnersCommittee.objects.get(compound__title=title)
        return reverse(OwnersCommittee.snippet_viewset.get_url_name("edit"), args=[committee.pk])

    found = client.get(address, {"compound_name": "新增小区2"}).content.decode()
    assert edit("新增小区2") in found
    assert edit("新增小区1") not in found

    # A name matches nothing beyond the reader's scope.
    monkeypatch.setattr(viewsets, "COMPOUND_CHOICES_MAX", 0)
    client.force_login(role_user(Role.COMMISSIONER, street_tree.compound_a1))
    found = client.get(address, {"compound_name": "新增小区2"}).content.decode()
    assert 'name="compound_name"' in found
    assert edit("新增小区2") not in found


# The street office's dashboard: its panels' queries, pinned. Each panel reads the whole
# district in a fixed number of queries (counts in SQL, the few rows it lists fetched apart).
DASHBOARD_QUERIES = 35


def district_rows(street_tree, role_user, per_community: int) -> None:
    """In every community, ``per_community`` more compounds, each with a current committee, an
    overdue audit with an open finding, a case, and a report written by its committee."""
    communities = [street_tree.community_a, street_tree.community_b]
    tag = CompoundPage.objects.count()
    pages = [
        (community, CompoundPage(title=f"小区{tag}-{n}", slug=f"k{tag}-{n}", address="新路"))
        for community in communities
        for n in range(per_community)
    ]
    add_published_pages(pages)
    compounds = [page for _community, page in pages]
    create_checked(
        [
            OwnersCommittee(
                compound=page, term_start="2024-01-01", term_end="2028-12-31", live=True
            )
            for page in compounds
        ]
    )
    committees = OwnersCommittee.objects.filter(compound__in=compounds).select_related("compound")
    schedule = ReportSchedule.objects.get()
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    for committee in committees:
        audit = AuditFactory(committee=committee, due_on=yesterday)
        AuditFindingFactory(audit=audit)
        writer = role_user(Role.OWNERS_COMMITTEE, committee.compound)
        file(writer, committee.compound)
        written(schedule, committee.compound, writer)


def test_the_street_offices_dashboard_is_pinned_whatever_the_district(
    street_tree, role_user, client, django_assert_num_queries
) -> None:
    """Cases, audits, reports, annual tasks, disclosures due and committees' targets, each over
    the whole street: the same queries for two compounds a community as for eight."""
    ReportScheduleFactory(scope=street_tree.street)
    schedule(street_tree.street, "fees", "物业费收缴情况公开", "feecollectionpage", "quarter")
    GovernanceTaskFactory(deadline_month=datetime.date(2023, 4, 1))
    client.force_login(role_user(Role.STREET_OFFICE, street_tree.street))
    address = reverse("wagtailadmin_home")
    district_rows(street_tree, role_user, per_community=2)
    client.get(address)  # warm the per-process caches

    with django_assert_num_queries(DASHBOARD_QUERIES):
        few = client.get(address)

    district_rows(street_tree, role_user, per_community=6)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        more = client.get(address)

    # The panels count the whole grown district: 4, then 16 overdue audits with open findings.
    assert "逾期未出报告 <a" in few.text
    for page, audits in ((few, 4), (more, 16)):
        text = " ".join(page.text.split())
        assert f"<strong>{audits}</strong> 项</a> · 未整改问题" in text
        assert f"<strong>{audits}</strong> 个</a>" in text
