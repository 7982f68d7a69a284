"""Benchmark: the admin at district size, as the street office sees it.

    .venv/bin/python -m benchmarks.admin_scale [--communities 200] [--compounds 10]
        [--users 20000] [--notices 2000] [--units 20000] [--repeat 15]

Builds a district with the street's configuration file (``benchmarks.site_config_apply``:
2,000 compounds, each with its owners' committee, and 20,000 users), 2,000 notices in one
community (a few of them waiting for the street office's review), and a units register of
20,000 units in one compound; then signs in as a street office user and times, in this
process through Django's test client (middleware, views and templates, no network), the
dashboard, the page explorer of that community, and the listings of the units register and
of the owners' committees. Each page is fetched once to warm the caches, then ``--repeat``
times; its SQL queries are counted on one more fetch.

Aims: a median under 300 ms each, and a number of queries that does not grow with the rows
(pinned by tests/cms/test_admin_scale.py on a small and a larger street for the dashboard and
the two listings, and for the explorer with two and six pages in review; here recorded). Past
a hundred compounds, the committees listing's compound filter takes a name, not a list.
With DATABASE_URL naming PostgreSQL the district is built in a throwaway test database
beside the named one; otherwise in a fresh SQLite file. The result goes to
``benchmarks/results/admin_scale.<vendor>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import yaml

from .harness import RESULTS_DIR, scratch_database, write_results

if TYPE_CHECKING:
    from pathlib import Path

TARGET_MEDIAN_MS = 300.0
IN_REVIEW = 20


def build(
    scratch: Path, communities: int, compounds: int, users: int, notices: int, units: int
) -> dict[str, Any]:
    """The district, its notices and register; returns what the pages to time need."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    from content_types.notices.models import NoticePage
    from content_types.roles.models import Role, RoleAssignment
    from content_types.structure.models import CommunityPage, CompoundPage
    from site_config.apply import apply_file
    from site_config.batch import add_published_pages
    from site_config.search_index import indexing_deferred

    from .site_config_apply import generate
    from .voting_data import populate_register

    document = generate(communities, compounds, users)
    document["disclosure_schedules"] = [
        {
            "code": "fee-collection",
            "name": "物业费收缴情况公开",
            "page_type": "disclosures.feecollectionpage",
            "scope": document["street"]["slug"],
        }
    ]
    path = scratch / "district.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    started = time.perf_counter()
    settings.WEIZHI_SITE_CONFIG_MAX_BYTES = max(
        settings.WEIZHI_SITE_CONFIG_MAX_BYTES, path.stat().st_size
    )
    apply_file(path)
    apply_seconds = time.perf_counter() - started

    community = CommunityPage.objects.order_by("path").first()
    compound = CompoundPage.objects.order_by("path").first()
    with indexing_deferred():
        add_published_pages(
            [
                (
                    community,
                    NoticePage(
                        title=f"社区通知第{n}号",
                        slug=f"notice-{n}",
                        summary="本周六 8:00—12:00 二次供水设施检修，届时停水。",
                        body=[("paragraph", "<p>请各位业主提前储水，敬请谅解。</p>")],
                    ),
                )
                for n in range(1, notices + 1)
            ]
        )
    # A few are edited and sent to the street office's review (the community chain).
    office = (
        RoleAssignment.objects.filter(role=Role.COMMUNITY_OFFICE, scope=community)
        .select_related("user")
        .first()
        .user  # type: ignore[union-attr]  # the generated file gives each community offices
    )
    workflow = Page.objects.get(pk=community.pk).get_workflow()
    for notice in NoticePage.objects.child_of(community).order_by("-path")[:IN_REVIEW]:
        notice.title += "（修订）"
        notice.save_revision(user=office)
        workflow.start(notice, office)
    populate_register(compound, units=units, seed=2026)
    street_office = (
        get_user_model()
        .objects.filter(role_assignments__role=Role.STREET_OFFICE)
        .order_by("username")[0]
    )
    return {
        "apply_seconds": round(apply_seconds, 1),
        "community": community,
        "street_office": street_office,
    }


def pages(built: dict[str, Any]) -> dict[str, str]:
    from django.urls import reverse

    from content_types.committees.models import OwnersCommittee

    return {
        "dashboard": reverse("wagtailadmin_home"),
        "explorer": reverse("wagtailadmin_explore", args=[built["community"].pk]),
        "units_listing": reverse("weizhi_units:index"),
        "committees_listing": reverse(OwnersCommittee.snippet_viewset.get_url_name("list")),
    }


def count_queries(client: Any, url: str) -> int:
    """The SQL statements one request runs (the request's start empties Django's own log)."""
    from django.db import connection

    statements: list[str] = []

    def counted(execute: Any, sql: str, *args: Any) -> Any:
        statements.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(counted):
        client.get(url)
    return len(statements)


def measure(client: Any, url: str, repeat: int) -> dict[str, Any]:
    response = client.get(url)  # warm the per-process caches (site, content types, templates)
    status = response.status_code
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        runs.append((time.perf_counter() - started) * 1000)
    median = statistics.median(runs)
    return {
        "url": url,
        "status": status,
        "queries": count_queries(client, url),
        "ms": {
            "median": round(median, 1),
            "p90": round(statistics.quantiles(runs, n=10)[-1], 1),
            "min": round(min(runs), 1),
            "max": round(max(runs), 1),
        },
        "target_median_ms": TARGET_MEDIAN_MS,
        "met": status == 200 and median < TARGET_MEDIAN_MS,
    }


def run(args: argparse.Namespace, scratch: Path) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from content_types.committees.models import OwnersCommittee
    from content_types.notices.models import NoticePage
    from content_types.structure.models import CompoundPage
    from content_types.units.models import Unit

    built = build(scratch, args.communities, args.compounds, args.users, args.notices, args.units)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have, long before anyone looks
    # A host the settings allow (the bench and dev settings allow 127.0.0.1, not "testserver").
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(built["street_office"])
    load_before = os.getloadavg()
    timed = {name: measure(client, url, args.repeat) for name, url in pages(built).items()}
    return {
        "benchmark": "admin_scale",
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "db_vendor": connection.vendor,
        "python": platform.python_version(),
        # Other work on the machine slows every figure; the load average says how much there was.
        "load_average": {
            "before": [round(x, 2) for x in load_before],
            "after": [round(x, 2) for x in os.getloadavg()],
        },
        "rows": {
            "compounds": CompoundPage.objects.count(),
            "committees": OwnersCommittee.objects.count(),
            "users": args.users,
            "notices_in_community": NoticePage.objects.child_of(built["community"]).count(),
            "units": Unit.objects.count(),
        },
        "setup_apply_config_seconds": built["apply_seconds"],
        "viewer": "街道微治办 (street_office)",
        "repeat": args.repeat,
        "pages": timed,
        "all_met": all(page["met"] for page in timed.values()),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=200)
    parser.add_argument("--compounds", type=int, default=10)
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--notices", type=int, default=2_000)
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)

    with scratch_database() as scratch:
        result = run(args, scratch.folder)
    path = write_results(result, RESULTS_DIR / f"admin_scale.{result['db_vendor']}.json")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"written to {path}")
    return result


if __name__ == "__main__":
    main()
