"""Benchmark: apply a district's file, 200 communities × 10 compounds, 20,000 users, 5 chains.

    .venv/bin/python -m benchmarks.site_config_apply [--communities 200] [--compounds 10]
        [--users 20000]

Targets: the first apply to an empty database under a minute; applying the same file again,
a no-op that writes nothing, under ten seconds. With DATABASE_URL unset (or naming SQLite) it
runs on a fresh SQLite file in a temporary folder; with DATABASE_URL naming PostgreSQL it
creates a throwaway test database beside the named one and drops it after. Nothing is left
behind except the result, one file per database vendor so that a run on one does not
overwrite the other's: ``benchmarks/results/site_config_apply.sqlite.json`` and
``benchmarks/results/site_config_apply.postgresql.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from .harness import RESULTS_DIR, scratch_database, write_results

ANNEX1 = (
    Path(__file__).resolve().parent.parent
    / "content_types"
    / "governance_tasks"
    / "data"
    / "annex1.yaml"
)
TARGET_FIRST_SECONDS = 60.0
TARGET_NOOP_SECONDS = 10.0
USERS = 20_000


def credit_code(n: int) -> str:
    from content_types.firms.credit_code import check_character

    body = f"91330604MA{n:07d}"
    return body + check_character(body)


def generate(communities: int, compounds: int, users: int = USERS) -> dict[str, Any]:
    """A street of ``communities`` × ``compounds``, ``users`` role holders and five chains.

    Nine role holders per compound and eight per community; the rest are the street office.
    """
    firms = [
        {
            "name": f"第{n}物业服务有限公司",
            "credit_code": credit_code(n),
            "office_phone": f"0575-8{n:07d}",
            "address": f"百官街道物业路 {n} 号",
        }
        for n in range(1, communities + 1)
    ]
    document: dict[str, Any] = {
        "include": [str(ANNEX1)],
        "street": {"title": "百官街道", "slug": "baiguan", "region": "绍兴市上虞区"},
        "communities": [],
        "firms": firms,
        "users": [],
    }
    people: list[dict[str, Any]] = document["users"]

    def user(role: str, scope: str) -> None:
        people.append(
            {
                "username": f"u{len(people) + 1:05d}",
                "name": f"用户{len(people) + 1}",
                "roles": [{"role": role, "scope": scope}],
            }
        )

    compound_roles = ["compound_party", "commissioner"] + ["owners_committee"] * 5
    compound_roles += ["property_firm"] * 2
    for c in range(1, communities + 1):
        slug = f"c{c:02d}"
        document["communities"].append(
            {
                "title": f"第{c}社区",
                "slug": slug,
                "address": f"百官街道第{c}路",
                "compounds": [
                    {
                        "title": f"第{c}社区第{k}小区",
                        "slug": f"{slug}-k{k:02d}",
                        "address": f"第{c}路 {k} 号",
                        "households": 300 + k,
                        "total_area": f"{25000 + k * 11}.50",
                        "property_firm": firms[c - 1]["credit_code"],
                        "committee_term": {"start": "2023-05-01", "end": "2028-04-30"},
                    }
                    for k in range(1, compounds + 1)
                ],
            }
        )
        for k in range(1, compounds + 1):
            for role in compound_roles:
                user(role, f"{slug}-k{k:02d}")
        for role in ["community_office"] * 4 + ["community_party"] * 4:
            user(role, slug)
    while len(people) < users:
        user("street_office", "baiguan")
    compound_slugs = [k["slug"] for c in document["communities"] for k in c["compounds"]]
    half = len(compound_slugs) // 2
    document["chains"] = [
        {
            "name": "小区内容审核（一）",
            "steps": [{"name": "社区审核", "type": "scoped_role", "role": "community_office"}],
            "attach_to": {"pages": compound_slugs[:half]},
        },
        {
            "name": "小区内容审核（二）",
            "steps": [
                {"name": "小区党组织审核", "type": "scoped_role", "role": "compound_party"},
                {"name": "社区审核", "type": "scoped_role", "role": "community_office"},
            ],
            "attach_to": {"pages": compound_slugs[half:]},
        },
        {
            "name": "社区内容审核",
            "steps": [{"name": "街道微治办审核", "type": "scoped_role", "role": "street_office"}],
            "attach_to": {"levels": ["community"]},
        },
        {
            "name": "街道内容审核",
            "steps": [{"name": "街道微治办审核", "type": "scoped_role", "role": "street_office"}],
            "attach_to": {"levels": ["street"]},
        },
        {
            "name": "物业信息审核",
            "steps": [{"name": "街道微治办审核", "type": "scoped_role", "role": "street_office"}],
            "attach_to": {"snippets": ["firms.propertyfirm"]},
        },
    ]
    return document


def password_hash_seconds() -> float:
    """What one first password written in the file costs: Django's default hasher, once."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    started = time.perf_counter()
    hasher.encode("weizhi-demo", hasher.salt())
    return time.perf_counter() - started


def run(communities: int, compounds: int, scratch: Path, users: int = USERS) -> dict[str, Any]:
    """Write the file, then time the first apply and the no-op; assumes an empty database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from content_types.roles.models import RoleAssignment
    from content_types.structure.models import CompoundPage
    from site_config.apply import apply_file, plan_file

    path = scratch / "street.yaml"
    path.write_text(yaml.safe_dump(generate(communities, compounds, users), allow_unicode=True))

    started, cpu_started = time.perf_counter(), time.process_time()
    first = apply_file(path)
    first_seconds = time.perf_counter() - started
    first_cpu = time.process_time() - cpu_started

    started = time.perf_counter()
    _, dry = plan_file(path)
    dry_seconds = time.perf_counter() - started

    with CaptureQueriesContext(connection) as queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        again = apply_file(path)
        noop_seconds = time.perf_counter() - started
        noop_cpu = time.process_time() - cpu_started
    written = [
        q
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]

    return {
        "benchmark": "site_config_apply",
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "db_vendor": connection.vendor,
        "python": platform.python_version(),
        # Wall time depends on what else the machine runs; the benchmark process's own
        # CPU time (not the database server's) says how much of it was ours.
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "communities": communities,
        "compounds": CompoundPage.objects.count(),
        "users": users,
        "file_bytes": path.stat().st_size,
        # The file gives no passwords: each one written there is hashed for its user alone,
        # with the deployment's hasher (PBKDF2, a fresh salt each), as a password set in the
        # admin is; never shared between users, never weakened.
        "password_hashing": {
            "hasher": "pbkdf2_sha256 (Django's default)",
            "seconds_per_file_password": round(password_hash_seconds(), 3),
        },
        "role_assignments": RoleAssignment.objects.count(),
        "chains": 5,
        "first_apply": {
            "seconds": round(first_seconds, 2),
            "cpu_seconds": round(first_cpu, 2),
            "created": first.count("create"),
            "target_seconds": TARGET_FIRST_SECONDS,
            "met": first_seconds < TARGET_FIRST_SECONDS,
        },
        "dry_run_plan_seconds": round(dry_seconds, 2),
        "noop_reapply": {
            "seconds": round(noop_seconds, 2),
            "cpu_seconds": round(noop_cpu, 2),
            "changes": len(again.changes),
            "queries": len(queries.captured_queries),
            "writes": len(written),
            "target_seconds": TARGET_NOOP_SECONDS,
            "met": noop_seconds < TARGET_NOOP_SECONDS and not again.changes and not written,
        },
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=200)
    parser.add_argument("--compounds", type=int, default=10)
    parser.add_argument("--users", type=int, default=USERS)
    args = parser.parse_args(argv)

    with scratch_database() as scratch:
        result = run(args.communities, args.compounds, scratch.folder, args.users)
    results = write_results(result, RESULTS_DIR / f"site_config_apply.{result['db_vendor']}.json")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"written to {results}")
    return result


if __name__ == "__main__":
    main()
