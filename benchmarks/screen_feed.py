"""Benchmark: a compound screen's feed, served four ways by one real server, side by side.

    .venv/bin/python -m benchmarks.screen_feed [--duration 5] [--rounds 3] [--connections 4]

It seeds a fixed data set (one compound with 50 published notices, a finance statement, fee
collection figures, two proposals and a final vote result), starts gunicorn (two sync workers,
``cms.settings.bench``: DEBUG off) on loopback and drives it with wrk, one endpoint at a time:

- ``graphql_post``: our GraphQL screen feed, the persisted query's text sent with POST (uncached);
- ``persisted_get``: the persisted query fetched by id with GET, no ``If-None-Match`` (200);
- ``persisted_get_304``: the same GET with a matching ``If-None-Match``: the cached path (304);
- ``api_v2``: Wagtail's built-in API v2 listing the same notices with the same fields;
- ``floor``: a bare Django view sending the feed's bytes, computed once before the run.

Before timing it checks that every endpoint returns the same notice ids; it counts the SQL
queries of each request in-process (Django's test client on the same database) and takes the
response bytes from the server. Endpoints are measured in rounds taken in turn, so a change in
the machine's load (it is shared) falls on all of them; the median round is reported, every
round is kept. Where the feed's time goes is profiled in-process and written with the results.

With DATABASE_URL unset (or SQLite) the database is a fresh file in a temporary folder; with
DATABASE_URL naming PostgreSQL a throwaway test database is created beside it and dropped after.
Results: ``benchmarks/results/screen_feed.json`` and a short table.

wrk must be installed (Debian: ``apt-get install -y wrk``).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import shutil
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .harness import RESULTS_DIR
from .http_load import (
    ROOT,
    WRK_INSTALL_HINT,
    Endpoint,
    fetch,
    free_port,
    measure_served,
    run_wrk,
    start_server,
    stop_server,
)

RESULTS = RESULTS_DIR / "screen_feed.json"
QUERIES = ROOT / "graphql" / "queries"
SETTINGS = "cms.settings.bench"
AIMS = {
    "graphql_post_vs_api_v2": 3.0,
    "persisted_get_vs_api_v2": 20.0,
    "persisted_get_vs_floor": 0.5,
}


# --------------------------------------------------------------------------- the feed's contract


def feed_query() -> tuple[str, str]:
    """The persisted query the screen page uses for its feed: (id, text)."""
    from api.screen_views import FEED_QUERY_ID

    path = QUERIES / f"{FEED_QUERY_ID}.graphql"
    if not path.is_file():
        raise SystemExit(f"{path} is missing: nothing to measure")
    return FEED_QUERY_ID, path.read_text(encoding="utf-8")


def feed_variables(compound: Any, notices: int) -> dict[str, Any]:
    return {"compound": compound.slug, "notices": notices}


def feed_notice_ids(payload: dict[str, Any]) -> list[int]:
    feed = payload["data"]["screenFeed"]
    return [int(notice["id"]) for notice in feed["notices"]]


def api_v2_ids(payload: dict[str, Any]) -> list[int]:
    return [int(item["id"]) for item in payload["items"]]


# --------------------------------------------------------------------------- data and server


def seed(notices: int) -> dict[str, Any]:
    from wagtail.models import Site

    from api.models import Screen

    from .screen_data import build_street, populate_screen

    seeded = populate_screen(build_street(), notices=notices)
    # The feed is for registered screens: every GraphQL request carries this screen's token.
    screen = Screen(name="基准公开屏", scope=seeded.compound)
    token = screen.issue_token()
    screen.save()
    # API v2 lists the pages of the site a request is for: the street is that site.
    Site.objects.filter(is_default_site=True).update(
        root_page=seeded.compound.get_parent().get_parent()
    )
    return {"compound": seeded.compound, "notice_ids": seeded.notice_ids, "token": token}


# --------------------------------------------------------------------------- in-process counts


def respond_in_process(endpoint: Endpoint) -> Any:
    """One request through Django's test client, in this process, on the same database."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    extra: dict[str, Any] = {
        f"HTTP_{k.upper().replace('-', '_')}": v for k, v in endpoint.headers.items()
    }
    extra.pop("HTTP_CONTENT_TYPE", None)
    if endpoint.method == "POST":
        return client.post(
            endpoint.path, data=endpoint.body, content_type="application/json", **extra
        )
    return client.get(endpoint.path, **extra)


def count_in_process(endpoint: Endpoint) -> dict[str, Any]:
    """SQL queries of one warm request (warm as the server is), and its time in this process."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    respond_in_process(endpoint)
    with CaptureQueriesContext(connection) as queries:
        response = respond_in_process(endpoint)
    sql_queries = len(queries)
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        respond_in_process(endpoint)
        timings.append(time.perf_counter() - started)
    return {
        "in_process_status": response.status_code,
        "sql_queries": sql_queries,
        "in_process_ms_median": round(sorted(timings)[len(timings) // 2] * 1000, 2),
    }


def profile_in_process(endpoint: Endpoint, requests: int = 30, top: int = 12) -> dict[str, Any]:
    """Where one endpoint's time goes, per request, under cProfile (which slows it down).

    ``ours``: the project's own functions (``api/``, ``content_types/`` …) by cumulative time,
    which says which step of ours costs what; ``by_own_time``: the hottest functions anywhere.
    """
    respond_in_process(endpoint)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        respond_in_process(endpoint)
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows, ours = [], []
    measured: Any = stats  # pstats keeps its table in an attribute the stubs do not declare
    for (filename, line, function), (_, calls, own, cumulative, _) in measured.stats.items():
        path = Path(filename)
        in_project = path.is_relative_to(ROOT) and not {".venv", "benchmarks"} & set(path.parts)
        row = {
            "function": f"{path.relative_to(ROOT) if in_project else path.name}:{line}({function})",
            "calls_per_request": round(calls / requests, 1),
            "own_ms_per_request": round(own * 1000 / requests, 3),
            "cumulative_ms_per_request": round(cumulative * 1000 / requests, 3),
        }
        rows.append(row)
        if in_project:
            ours.append(row)
    return {
        "ours": sorted(ours, key=lambda row: row["cumulative_ms_per_request"], reverse=True)[:top],
        "by_own_time": sorted(rows, key=lambda row: row["own_ms_per_request"], reverse=True)[:top],
    }


# --------------------------------------------------------------------------- the run


def endpoints(compound: Any, notices: int, token: str, etag: str | None = None) -> list[Endpoint]:
    from .urls import NOTICE_API_FIELDS

    query_id, query_text = feed_query()
    variables = feed_variables(compound, notices)
    persisted = "/graphql/?" + urllib.parse.urlencode(
        {"id": query_id, "variables": json.dumps(variables, separators=(",", ":"))}
    )
    api_v2 = "/api/v2/pages/?" + urllib.parse.urlencode(
        {
            "type": "notices.NoticePage",
            "child_of": compound.pk,
            "fields": ",".join(NOTICE_API_FIELDS),
            "order": "-first_published_at",
            "limit": notices,
        }
    )
    post_body = json.dumps({"query": query_text, "variables": variables}).encode()
    screen = {"Authorization": f"Screen {token}"}
    found = [
        Endpoint(
            "graphql_post",
            "GraphQL screenFeed, POST (uncached)",
            "/graphql/",
            method="POST",
            body=post_body,
            headers={"Content-Type": "application/json", **screen},
            ids=feed_notice_ids,
        ),
        Endpoint(
            "persisted_get",
            "persisted GET by id, no If-None-Match (200)",
            persisted,
            headers=screen,
            ids=feed_notice_ids,
        ),
    ]
    if etag:
        found.append(
            Endpoint(
                "persisted_get_304",
                "persisted GET by id, matching If-None-Match (304)",
                persisted,
                headers={**screen, "If-None-Match": etag},
                expect_status=304,
            )
        )
    found += [
        Endpoint("api_v2", "Wagtail API v2 pages listing", api_v2, ids=api_v2_ids),
        Endpoint("floor", "floor: precomputed bytes", "/bench/floor/", ids=feed_notice_ids),
    ]
    return found


def run(args: argparse.Namespace, scratch: Path, server_env: dict[str, str]) -> dict[str, Any]:
    from django.db import connection

    wrk = shutil.which("wrk") or "wrk"  # main() stops before this when there is none
    load_before = round(os.getloadavg()[0], 2)
    data = seed(args.notices)
    compound, expected = data["compound"], data["notice_ids"]
    expected_set = set(expected)

    # The floor serves exactly the feed's bytes, as POST computes them now.
    probe = {e.name: e for e in endpoints(compound, args.notices, data["token"])}
    floor_file = scratch / "floor.json"
    floor_file.write_bytes(respond_in_process(probe["graphql_post"]).content)
    # The server and the in-process counts below read it.
    os.environ["WEIZHI_BENCH_FLOOR_FILE"] = server_env["WEIZHI_BENCH_FLOOR_FILE"] = str(floor_file)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(server_env, port, args.workers, scratch / "gunicorn.log")
    checked: list[Endpoint] = []
    try:
        status, headers, _ = fetch(base, probe["persisted_get"])
        etag = headers.get("ETag") or headers.get("Etag")
        checked = endpoints(compound, args.notices, data["token"], etag)
        results: dict[str, Any] = {}
        for endpoint in checked:
            status, headers, body = fetch(base, endpoint)
            if status != endpoint.expect_status:
                raise SystemExit(
                    f"{endpoint.name}: HTTP {status}, expected {endpoint.expect_status}"
                )
            entry: dict[str, Any] = {
                "label": endpoint.label,
                "method": endpoint.method,
                "path": endpoint.path,
                "status": status,
                "response_bytes": len(body),
                "cache_control": headers.get("Cache-Control", ""),
            }
            if endpoint.ids:
                try:
                    ids = endpoint.ids(json.loads(body))
                except (KeyError, TypeError, ValueError) as unexpected:
                    raise SystemExit(f"{endpoint.name}: unexpected answer {body[:500]!r}") from (
                        unexpected
                    )
                entry["notice_ids"] = len(ids)
                entry["same_ids"] = set(ids) == expected_set and len(ids) == len(expected)
                entry["same_order"] = ids == expected
                if not entry["same_ids"]:
                    raise SystemExit(
                        f"{endpoint.name} returned other notices than were seeded: {ids}"
                    )
            entry.update(count_in_process(endpoint))
            results[endpoint.name] = entry

        for endpoint in checked:
            run_wrk(wrk, base, endpoint, scratch, 2, args.connections)  # warm-up
        # Rounds in turn, so that a change in the machine's load falls on every endpoint alike;
        # each endpoint's round with the median requests/s is the one reported.
        runs: dict[str, list[dict[str, Any]]] = {endpoint.name: [] for endpoint in checked}
        for _ in range(args.rounds):
            for endpoint in checked:
                runs[endpoint.name].append(
                    run_wrk(wrk, base, endpoint, scratch, args.duration, args.connections)
                )
        for name, measured in runs.items():
            ordered = sorted(measured, key=lambda run: run["requests_per_second"])
            results[name].update(ordered[len(ordered) // 2])
            results[name]["rounds_requests_per_second"] = [
                run["requests_per_second"] for run in measured
            ]
    finally:
        stop_server(server)

    api_rps = results["api_v2"]["requests_per_second"]
    floor_rps = results["floor"]["requests_per_second"]
    for entry in results.values():
        entry["vs_api_v2"] = round(entry["requests_per_second"] / api_rps, 2)
        entry["vs_floor"] = round(entry["requests_per_second"] / floor_rps, 3)

    cached = max(
        (results[name] for name in ("persisted_get", "persisted_get_304") if name in results),
        key=lambda entry: entry["requests_per_second"],
    )
    aims = {
        "graphql_post_vs_api_v2": {
            "aim": AIMS["graphql_post_vs_api_v2"],
            "measured": results["graphql_post"]["vs_api_v2"],
        },
        "persisted_get_vs_api_v2": {
            "aim": AIMS["persisted_get_vs_api_v2"],
            "measured": cached["vs_api_v2"],
        },
        "persisted_get_vs_floor": {
            "aim": AIMS["persisted_get_vs_floor"],
            "measured": cached["vs_floor"],
        },
    }
    for aim in aims.values():
        aim["met"] = aim["measured"] >= aim["aim"]

    return {
        "benchmark": "screen_feed",
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "db_vendor": connection.vendor,
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "server": f"gunicorn, {args.workers} sync workers, {SETTINGS} (DEBUG off), loopback",
        "load_generator": (
            f"wrk, 1 thread, {args.connections} connections; {args.rounds} rounds of "
            f"{args.duration} s per endpoint, in turn, after a 2 s warm-up; the median round"
        ),
        "load_average_before": load_before,
        "load_average_after": round(os.getloadavg()[0], 2),
        "notices": len(expected),
        "endpoints": results,
        "aims": aims,
        # Where the time goes, per request, in the functions with the most own time.
        "profiles": {
            endpoint.name: profile_in_process(endpoint)
            for endpoint in checked
            if endpoint.name in ("graphql_post", "persisted_get_304")
        },
        "notes": (
            "SQL queries are counted in-process on a warm request through Django's test client "
            "against the same database; requests/s and latency come from wrk against gunicorn. "
            "As in production, a worker remembers a screen's token for WEIZHI_API_MEMO_SECONDS "
            "(api.memo), and the pages a scope names, its content version and the persisted "
            "GET's answer are kept in the cache (api.shared_cache; without CACHE_URL, as here, "
            "one per process, the first two for the memo's time); every query of the POST runs "
            "on every request."
        ),
    }


def print_table(result: dict[str, Any], path: Path) -> None:
    header = ("endpoint", "req/s", "p50 ms", "p95 ms", "SQL", "bytes", "×API v2", "×floor")
    rows = [header]
    for name, entry in result["endpoints"].items():
        rows.append(
            (
                name,
                f"{entry['requests_per_second']:,.0f}",
                f"{entry['latency_ms']['p50']:.2f}",
                f"{entry['latency_ms']['p95']:.2f}",
                str(entry["sql_queries"]),
                f"{entry['response_bytes']:,}",
                f"{entry['vs_api_v2']:.2f}",
                f"{entry['vs_floor']:.3f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print(
            "  ".join(
                cell.rjust(w) if i else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    for name, aim in result["aims"].items():
        verdict = "met" if aim["met"] else "MISSED"
        print(f"aim {name}: ≥ {aim['aim']} — measured {aim['measured']} ({verdict})")
    for name, profile in result["profiles"].items():
        print(f"where {name}'s time goes (ms per request under cProfile, our functions):")
        for row in profile["ours"][:6]:
            print(f"  {row['cumulative_ms_per_request']:8.2f}  {row['function']}")
    print(f"database {result['db_vendor']}; written to {path}")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per endpoint, in turn")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--notices", type=int, default=50)
    parser.add_argument(
        "--without", default="", help="API fast paths to leave out, comma-separated"
    )
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    os.environ["WEIZHI_API_WITHOUT"] = args.without  # read by the settings of both processes

    if not shutil.which("wrk"):
        print(WRK_INSTALL_HINT, file=sys.stderr)
        raise SystemExit(2)

    return measure_served(SETTINGS, run, args, args.results, print_table)


if __name__ == "__main__":
    main()
