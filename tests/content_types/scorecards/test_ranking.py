"""考评 in the admin and in public: who sees which scorecards, the ranking's trend and
spreadsheet, a scorecard's figures, and the published 赛比争先 list."""

from __future__ import annotations

import io
import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from content_types.roles.models import Role
from content_types.scorecards.compute import compute
from content_types.scorecards.models import Scorecard, ScorePeriod
from content_types.scorecards.periods import from_key
from tests.conftest import build_street_tree, ensure_wagtail_root
from tests.content_types.roles.factories import RoleAssignmentFactory, UserFactory

from .street import build

pytestmark = pytest.mark.django_db

A_SIDE = {"凤鸣社区", "锦绣花园", "阳光水岸"}
B_SIDE = {"龙山社区", "龙山公寓", "翠竹苑"}


@pytest.fixture(scope="module")
def street(django_db_setup, django_db_blocker):
    """The hand-scored street, scored for two half-years, and the offices reading it."""
    with django_db_blocker.unblock(), transaction.atomic():
        tree = build_street_tree(ensure_wagtail_root())
        build(tree)
        compute(from_key("2025H2"))
        compute(from_key("2026H1"))
        people = {}
        for username, role, scope in (
            ("street_office", Role.STREET_OFFICE, tree.street),
            ("office_a", Role.COMMUNITY_OFFICE, tree.community_a),
            ("party_b", Role.COMMUNITY_PARTY, tree.community_b),
            ("committee_a1", Role.OWNERS_COMMITTEE, tree.compound_a1),
        ):
            people[username] = UserFactory(username=username)
            RoleAssignmentFactory(user=people[username], role=role, scope=scope)
        yield tree, people
        transaction.set_rollback(True)


def listed(client, user, query: str = "") -> str:
    client.force_login(user)
    response = client.get(f"/admin/scorecards/{query}")
    assert response.status_code == 200
    return response.content.decode()


def card(title: str, key: str = "2026H1") -> Scorecard:
    return Scorecard.objects.get(scope__title=title, period__key=key)


def test_a_community_sees_its_own_and_its_compounds_scorecards_only(street, client) -> None:
    _tree, people = street
    html = listed(client, people["office_a"])
    assert all(title in html for title in A_SIDE)
    assert not any(title in html for title in B_SIDE)
    # Another community's scorecard by its address: not found, as if it did not exist.
    assert client.get(f"/admin/scorecards/{card('翠竹苑').pk}/").status_code == 404
    assert client.get(f"/admin/scorecards/{card('锦绣花园').pk}/").status_code == 200

    html = listed(client, people["party_b"])
    assert all(title in html for title in B_SIDE)
    assert not any(title in html for title in A_SIDE)


def test_the_street_office_sees_every_scorecard_and_a_compound_none(street, client) -> None:
    _tree, people = street
    html = listed(client, people["street_office"])
    assert all(title in html for title in A_SIDE | B_SIDE)
    client.force_login(people["committee_a1"])
    assert client.get("/admin/scorecards/").status_code in (302, 403)
    assert client.get(f"/admin/scorecards/{card('锦绣花园').pk}/").status_code == 404
    assert "考评排名" not in client.get("/admin/").content.decode()


def test_the_ranking_shows_both_periods_as_a_trend_with_its_numbers(street, client) -> None:
    _tree, people = street
    html = listed(client, people["street_office"])
    assert "2026年上半年考评" in html
    assert 'id="scorecard-trend-chart"' in html and "vendor/echarts/echarts.min.js" in html
    trend = json.loads(
        html.split('id="scorecard-trend-data" type="application/json">')[1].split("</script>")[0]
    )
    assert trend["periods"] == ["2025年下半年", "2026年上半年"]
    assert [row["name"] for row in trend["series"]] == ["凤鸣社区", "龙山社区"]
    assert [row["data"][1] for row in trend["series"]] == ["74.21", "54.48"]
    assert "<td>74.21</td>" in html  # the same numbers as a table
    # The earlier period is there too, and its ranking can be chosen.
    earlier = ScorePeriod.objects.get(key="2025H2")
    assert "2025年下半年考评" in listed(client, people["street_office"], f"?period={earlier.pk}")


def test_a_scorecard_explains_itself_with_links_to_what_it_counted(street, client) -> None:
    _tree, people = street
    client.force_login(people["office_a"])
    html = client.get(f"/admin/scorecards/{card('锦绣花园').pk}/").content.decode()
    assert "总分 <strong>69.03</strong>" in html
    assert "四审两公开执行率" in html and "未经审核流程审定" in html
    assert "<td>实收金额 85000 / 应收金额 100000</td>" in html and "<td>85.00%</td>" in html
    assert "应于 2026-04-15 前公开，2026-04-20 公开（逾期）" in html
    assert 'href="/admin/pages/' in html
    community = client.get(f"/admin/scorecards/{card('凤鸣社区').pk}/").content.decode()
    assert (
        "锦绣花园" in community and "阳光水岸" in community and "<td>不计入</td>" not in community
    )


def test_the_ranking_exports_to_excel_with_each_indicator(street, client) -> None:
    _tree, people = street
    client.force_login(people["office_a"])
    response = client.get("/admin/scorecards/?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("考评期", "排名", "社区或小区", "层级", "所属社区", "社区内排名", "总分")
    assert "物业费收缴率（得分）" in rows[0]
    assert {row[2] for row in rows[1:]} == A_SIDE
    jinxiu = next(row for row in rows[1:] if row[2] == "锦绣花园")
    assert float(jinxiu[6]) == pytest.approx(69.03)


def test_the_street_office_publishes_the_list_and_the_public_reads_it(street, client) -> None:
    _tree, people = street
    assert client.get("/kaoping/2026H1/").status_code == 404  # not yet published
    client.force_login(people["office_a"])
    assert client.post("/admin/scorecards/periods/2026H1/publish/").status_code == 404
    client.force_login(people["street_office"])
    response = client.post("/admin/scorecards/periods/2026H1/publish/")
    assert response.status_code == 302
    client.logout()
    html = client.get("/kaoping/2026H1/").content.decode()
    assert "2026年上半年赛比争先榜" in html
    assert "先进社区：</strong>凤鸣社区（74.21 分）" in html
    assert html.index("阳光水岸") < html.index("锦绣花园") < html.index("翠竹苑")
    assert "明细" not in html and "人选" not in html  # totals only, never the figures


def test_the_ranking_costs_the_same_queries_however_many_rows(street, client) -> None:
    _tree, people = street
    client.force_login(people["street_office"])
    counts = []
    for level, rows in (("community", 2), ("compound", 4)):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(f"/admin/scorecards/?level={level}").content.decode()
        assert html.count('href="/admin/scorecards/') - html.count("/periods/") >= rows
        counts.append(len(queries))
    assert counts[0] == counts[1]
