"""Benchmark: a district's screens polling their feeds while editors publish, on PostgreSQL.

    .venv/bin/python -m benchmarks.district_scale [--seconds 60] [--compounds 2000]

It builds a district (``district_data``: by default 20 streets, 200 communities, 2,000
compounds with 20 notices and their current disclosures each, 10,200 screens with tokens, five
per compound and one per community), starts gunicorn (two workers of four threads,
``cms.settings.bench``: DEBUG off, Redis as the cache) and asks every compound's feed once, as
screens that have been running would have. Then wrk plays the screens: each request is a random
screen's persisted feed GET with its token, for its compound (a community's screen: one of its
compounds), sending the ``If-None-Match`` that screen last saw and keeping the ``ETag`` it gets.
Meanwhile a side process (``district_publisher``) publishes, edits and expires notices across
the district at about one a second, through Wagtail's real path, so some polls must get 200.

The screens are played twice. ``screens`` is the aim's load: requests paced to the rate the
screens make (10,200 screens every 15 s: 680 a second), spread over 16 connections, each
waiting its share; its p99 is what a screen sees at that load. ``screens_capacity`` plays the
same mix closed loop on four connections, as fast as answers come: the most the server gives,
and a p99 made of queueing at saturation. The floor (a view sending a feed's bytes computed
beforehand) and Wagtail's API v2 listing the notices of a sample of compounds are measured
closed loop like the capacity run, which is set against the floor. For each it records
requests/s, p50/p95/p99 latency, the share of 304s, SQL queries per request (mean and maximum,
from the ``X-SQL-Queries`` header the benchmark settings add) and errors, into
``benchmarks/results/district_scale.json`` with the load model of each run and the aims marked
met or not.

It needs PostgreSQL (``DATABASE_URL``; a throwaway test database is created beside it and
dropped after), Redis (``CACHE_URL``, default ``redis://127.0.0.1:6379/0``; this run's keys get
a prefix of their own, nothing is flushed) and wrk; without one of them it says so and stops.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess  # noqa: S404 (the side process and wrk are started with fixed argument lists)
import sys
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .harness import RESULTS_DIR
from .http_load import (
    ROOT,
    WRK_INSTALL_HINT,
    free_port,
    measure_served,
    start_server,
    stop_server,
)

if TYPE_CHECKING:
    from .district_data import District

RESULTS = RESULTS_DIR / "district_scale.json"
SETTINGS = "cms.settings.bench"
FEED_QUERY_ID = "screenFeed"
POLL_SECONDS = 15  # how often each screen polls (api/screen_views.py)
AIMS = {"requests_per_second": 670, "p99_ms": 50, "errors": 0, "vs_floor": 0.5}

# One connection per wrk thread, so each thread's requests and answers alternate and it knows
# which screen an answer is for. Lines of the plays file: token (or -), then path and ETag (or -)
# for each scope the screen shows, tab-separated; each thread plays every n-th line.
PLAY = r"""
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  local nthreads = tonumber(args[2])
  local lines = 0
  for _ in io.lines(args[1]) do lines = lines + 1 end
  if lines < nthreads then nthreads = 1 end
  screens = {}
  local i = 0
  for line in io.lines(args[1]) do
    if nthreads == 1 or i % nthreads == id - 1 then
      local f = {}
      for field in string.gmatch(line, "[^\t]+") do table.insert(f, field) end
      local screen = {token = f[1], paths = {}, etags = {}}
      for k = 2, #f, 2 do
        table.insert(screen.paths, f[k])
        table.insert(screen.etags, f[k + 1])
      end
      table.insert(screens, screen)
    end
    i = i + 1
  end
  math.randomseed(id * 7919)
  n, n200, n304, nother, sql, sqlmax, sqln = 0, 0, 0, 0, 0, 0, 0
  -- Pacing: this connection's share of the target rate (0: as fast as answers come). Each
  -- request is due one period after the last one was due, on the wall clock (wrk's LuaJIT
  -- reads it through its FFI), whenever the answers came; one more than a second behind its
  -- schedule starts it again from now rather than send a burst.
  rate = tonumber(args[3]) or 0
  period = rate > 0 and 1000 / rate or 0
  due = nil
end

function request()
  current = screens[math.random(#screens)]
  slot = math.random(#current.paths)
  local headers = {}
  if current.token ~= "-" then headers["Authorization"] = "Screen " .. current.token end
  local etag = current.etags[slot]
  if etag ~= "-" then headers["If-None-Match"] = etag end
  return wrk.format("GET", current.paths[slot], headers)
end

function response(status, headers, body)
  n = n + 1
  if status == 200 then n200 = n200 + 1 elseif status == 304 then n304 = n304 + 1
  else nother = nother + 1 end
  local tag = headers["ETag"]
  if tag then current.etags[slot] = tag end
  local q = tonumber(headers["X-SQL-Queries"] or "")
  if q then
    sql = sql + q
    sqln = sqln + 1
    if q > sqlmax then sqlmax = q end
  end
end

function done(summary, latency, requests)
  local t = {n = 0, n200 = 0, n304 = 0, nother = 0, sql = 0, sqln = 0, sqlmax = 0}
  for _, thread in ipairs(threads) do
    for _, k in ipairs({"n", "n200", "n304", "nother", "sql", "sqln"}) do
      t[k] = t[k] + thread:get(k)
    end
    if thread:get("sqlmax") > t.sqlmax then t.sqlmax = thread:get("sqlmax") end
  end
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%d,"p95_us":%d,' ..
    '"p99_us":%d,"mean_us":%.1f,"answers":%d,"ok":%d,"not_modified":%d,"other":%d,' ..
    '"sql":%d,"sql_counted":%d,"sql_max":%d}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean,
    t.n, t.n200, t.n304, t.nother, t.sql, t.sqln, t.sqlmax))
end
"""

# Only a paced run gets ``delay()``: defined at all, wrk sends every request through a timer.
PACE = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_usec; } wz_timeval;
int gettimeofday(wz_timeval *tv, void *tz);
]]
local tv = ffi.new("wz_timeval")

local function now_ms()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000
end

function delay()
  if rate == 0 then return 0 end
  local now = now_ms()
  if due == nil or due < now - 1000 then
    due = now + math.random() * period  -- the connections start out of step
  else
    due = due + period
  end
  return math.max(0, math.floor(due - now))
end
"""


def feed_path(slug: str) -> str:
    variables = json.dumps({"compound": slug}, separators=(",", ":"))
    return "/graphql/?" + urllib.parse.urlencode({"id": FEED_QUERY_ID, "variables": variables})


def api_v2_path(compound_id: int, notices: int) -> str:
    from .urls import NOTICE_API_FIELDS

    return "/api/v2/pages/?" + urllib.parse.urlencode(
        {
            "type": "notices.NoticePage",
            "child_of": compound_id,
            "fields": ",".join(NOTICE_API_FIELDS),
            "order": "-first_published_at",
            "limit": notices,
        }
    )


def get(
    base: str, path: str, token: str | None = None, etag: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    from .http_load import Endpoint, fetch

    headers = {"Authorization": f"Screen {token}"} if token else {}
    if etag:
        headers["If-None-Match"] = etag
    return fetch(base, Endpoint("probe", "", path, headers=headers))


def prime(base: str, district: District) -> tuple[dict[str, str], list[float]]:
    """Every compound's feed asked once, then every screen's poll once, as when the screens
    have been running (each token kept in the shared cache): the ETags, and the first renders'
    times."""
    token_of: dict[str, str] = {}
    for token, slugs in district.screens:
        for slug in slugs:
            token_of.setdefault(slug, token)

    def ask(slug: str) -> tuple[str, str, float]:
        started = time.perf_counter()
        status, headers, body = get(base, feed_path(slug), token_of[slug])
        if status != 200:
            raise SystemExit(f"{slug}: HTTP {status}: {body[:300]!r}")
        return slug, headers["ETag"], time.perf_counter() - started

    with ThreadPoolExecutor(8) as pool:
        asked = list(pool.map(ask, [slug for _, _, slug in district.compounds]))
    etags = {slug: etag for slug, etag, _ in asked}

    def poll(screen: tuple[str, list[str]]) -> None:
        token, slugs = screen
        status, _, body = get(base, feed_path(slugs[0]), token, etags[slugs[0]])
        if status != 304:
            raise SystemExit(f"{slugs[0]}: HTTP {status}: {body[:300]!r}")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(poll, district.screens))
    return etags, [seconds for _, _, seconds in asked]


def running_for_a_while(district: District) -> None:
    """Each screen last seen at some moment of the last minute, as when they have been polling
    for a while: during the run each notes its last visit about once a minute, not at its
    first poll all at once. Done before the screens' first polls, which keep it in the shared
    cache with their tokens (the server then notes a visit only when its minute is up)."""
    from django.db.models import Case, When
    from django.utils import timezone

    from api.models import Screen

    now, rng = timezone.now(), random.Random(16)
    ids = list(Screen.objects.values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        batch = ids[start : start + 1000]
        moments = [When(pk=pk, then=now - timedelta(seconds=rng.uniform(0, 59))) for pk in batch]
        Screen.objects.filter(pk__in=batch).update(last_seen_at=Case(*moments))


def write_plays(path: Path, lines: list[list[str]]) -> Path:
    path.write_text("".join("\t".join(line) + "\n" for line in lines), encoding="utf-8")
    return path


def play(
    base: str, plays: Path, scratch: Path, seconds: int, connections: int, rate: float = 0
) -> dict[str, Any]:
    """wrk playing ``plays`` over ``connections``: as fast as answers come (``rate`` 0, a closed
    loop: capacity), or each connection paced at its share of ``rate`` requests a second."""
    script = scratch / "play.lua"
    script.write_text(PLAY + (PACE if rate else ""), encoding="utf-8")
    wrk = shutil.which("wrk") or "wrk"
    per_connection = f"{rate / connections:.3f}"
    command = [
        wrk, f"--threads={connections}", f"--connections={connections}",
        f"--duration={seconds}s", "--timeout=10s", f"--script={script}",
        base + "/", "--", str(plays), str(connections), per_connection,
    ]  # fmt: skip
    ran = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    line = next((line for line in ran.stdout.splitlines() if line.startswith("WRKJSON ")), None)
    if ran.returncode or line is None:
        raise SystemExit(f"wrk failed ({ran.returncode}):\n{ran.stdout}\n{ran.stderr}")
    raw = json.loads(line.removeprefix("WRKJSON "))
    duration = raw["duration_us"] / 1e6
    answers = max(raw["answers"], 1)
    return {
        "load_model": (
            f"paced: {connections} connections, each at {float(per_connection):g} requests/s "
            f"(a target of {rate:g} requests/s)"
            if rate
            else f"closed loop: {connections} connections, each as fast as answers come"
        ),
        "seconds": round(duration, 1),
        "requests": raw["requests"],
        "requests_per_second": round(raw["requests"] / duration, 1),
        "latency_ms": {
            key: round(raw[f"{key}_us"] / 1000, 2) for key in ("p50", "p95", "p99", "mean")
        },
        "share_304": round(raw["not_modified"] / answers, 4),
        "status_200": raw["ok"],
        "status_304": raw["not_modified"],
        "status_other": raw["other"],
        "sql_queries_per_request": {
            "mean": round(raw["sql"] / max(raw["sql_counted"], 1), 3),
            "max": raw["sql_max"],
        },
        "errors": sum(
            raw[k]
            for k in ("connect_errors", "read_errors", "write_errors", "timeouts", "status_errors")
        ),
    }


def start_publisher(env: dict[str, str], rate: float, log: Path, run: str) -> subprocess.Popen:
    """The side process, once it is set up and about to publish (``run``: its slugs' prefix)."""
    command = [
        sys.executable, "-m", "benchmarks.district_publisher", f"--rate={rate}", f"--run={run}-",
    ]  # fmt: skip
    process = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, text=True
    )
    deadline = time.monotonic() + 120
    while "READY" not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemExit(f"the publishing side process did not start:\n{log.read_text()}")
        time.sleep(0.2)
    return process


def stop_publisher(process: subprocess.Popen, log: Path) -> dict[str, Any]:
    stop_server(process, timeout=60)
    text = log.read_text(errors="replace")
    line = next((line for line in text.splitlines() if line.startswith("PUBLISHER ")), None)
    if line is None:
        raise SystemExit(f"the publishing side process failed:\n{text[-3000:]}")
    return json.loads(line.removeprefix("PUBLISHER "))


def run(args: argparse.Namespace, scratch: Path, server_env: dict[str, str]) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from .district_data import build_district

    load_before = round(os.getloadavg()[0], 2)
    started = time.perf_counter()
    district = build_district(compounds=args.compounds, notices=args.notices)
    built_seconds = time.perf_counter() - started
    print(
        f"built {district.pages:,} pages and {len(district.screens):,} screens "
        f"in {built_seconds:.0f} s",
        flush=True,
    )

    # The floor sends a compound's feed, as the server computes it, with no work at all.
    token, slugs = district.screens[0]
    floor_file = scratch / "floor.json"
    floor_file.write_bytes(
        Client(HTTP_HOST="127.0.0.1")
        .get(feed_path(slugs[0]), HTTP_AUTHORIZATION=f"Screen {token}")
        .content
    )
    os.environ["WEIZHI_BENCH_FLOOR_FILE"] = server_env["WEIZHI_BENCH_FLOOR_FILE"] = str(floor_file)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(server_env, port, args.workers, scratch / "gunicorn.log", args.threads)
    publisher = None
    try:
        # Last visits first: the screens' first polls keep them with their tokens, and each
        # screen's next write falls due when its minute is up, not all at once.
        running_for_a_while(district)
        etags, cold = prime(base, district)
        cold.sort()
        screens = [
            [token, *(part for slug in slugs for part in (feed_path(slug), etags[slug]))]
            for token, slugs in district.screens
        ]
        plays = write_plays(scratch / "screens.tsv", screens)
        floor = write_plays(scratch / "floor.tsv", [["-", "/bench/floor/", "-"]])
        sample = random.Random(16).sample(
            district.compounds, min(args.api_v2_scopes, len(district.compounds))
        )
        api_v2 = write_plays(
            scratch / "api_v2.tsv",
            [["-", api_v2_path(pk, args.notices), "-"] for pk, _, _ in sample],
        )
        status, _, body = get(base, api_v2_path(sample[0][0], args.notices))
        if status != 200 or len(json.loads(body)["items"]) != args.notices:
            raise SystemExit(f"API v2 answered {status}: {body[:300]!r}")

        side = min(args.seconds, 20)
        print(f"floor for {side} s", flush=True)
        results = {"floor": play(base, floor, scratch, side, args.connections)}
        target = len(district.screens) / POLL_SECONDS
        runs = {
            # The aim: every screen polling once in 15 s, requests spread as screens spread them.
            "screens": (args.paced_connections, target),
            # Capacity: the same mix as fast as the server answers it, set against the floor.
            "screens_capacity": (args.connections, 0),
        }
        for name, (connections, rate) in runs.items():
            log = scratch / f"publisher-{name}.log"
            publisher = start_publisher(server_env, args.publish_rate, log, name)
            print(f"{name} for {args.seconds} s, publishing meanwhile", flush=True)
            results[name] = play(base, plays, scratch, args.seconds, connections, rate)
            results[name]["side_process"] = stop_publisher(publisher, log)
            publisher = None
        side = min(args.seconds, 15)
        print(f"API v2 for {side} s", flush=True)
        results["api_v2"] = play(base, api_v2, scratch, side, args.connections)
        # The floor again: a disturbance during one of its runs (a vacuum after the build, say)
        # would otherwise flatter every ratio; the faster run stands, both are recorded.
        side = min(args.seconds, 20)
        print(f"floor again for {side} s", flush=True)
        again = play(base, floor, scratch, side, args.connections)
        floors = [results["floor"]["requests_per_second"], again["requests_per_second"]]
        if again["requests_per_second"] > results["floor"]["requests_per_second"]:
            results["floor"] = again
        results["floor"]["runs_requests_per_second"] = floors
    finally:
        if publisher is not None:
            publisher.kill()
        stop_server(server)

    floor_rps = results["floor"]["requests_per_second"]
    for entry in results.values():
        entry["vs_floor"] = round(entry["requests_per_second"] / floor_rps, 3)
    measured, capacity = results["screens"], results["screens_capacity"]
    errors = sum(each["errors"] + each["status_other"] for each in (measured, capacity))
    aims = {
        "requests_per_second": {
            "aim": f">= {AIMS['requests_per_second']} (paced run)",
            "measured": measured["requests_per_second"],
            "met": measured["requests_per_second"] >= AIMS["requests_per_second"],
        },
        "p99_ms": {
            "aim": f"< {AIMS['p99_ms']} (paced run)",
            "measured": measured["latency_ms"]["p99"],
            "met": measured["latency_ms"]["p99"] < AIMS["p99_ms"],
        },
        "errors": {
            "aim": "0 (both runs)",
            "measured": errors,
            "met": errors == AIMS["errors"],
        },
        "vs_floor": {
            "aim": f">= {AIMS['vs_floor']} (capacity run against the floor, both closed loop)",
            "measured": capacity["vs_floor"],
            "met": capacity["vs_floor"] >= AIMS["vs_floor"],
        },
        "sustained_seconds": {
            "aim": ">= 60 (paced run)",
            "measured": measured["seconds"],
            "met": measured["seconds"] >= 60,
        },
    }
    return {
        "benchmark": "district_scale",
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "db_vendor": connection.vendor,
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "server": (
            f"gunicorn, {args.workers} workers "
            f"({'sync' if args.threads == 1 else f'gthread, {args.threads} threads each'}), "
            f"{SETTINGS} (DEBUG off), Redis cache, "
            "loopback; PostgreSQL, Redis, wrk and the side process on the same machine"
        ),
        "load_generator": (
            f"wrk, one connection per thread. screens (the aim): {args.paced_connections} "
            f"connections paced to {target:g} requests/s in all ({len(district.screens):,} "
            f"screens every {POLL_SECONDS} s), each connection sending a request every "
            "1/share of the rate on the wall clock's schedule whenever the answers came "
            "(more than a second behind, it starts the schedule again); latency is timed "
            "from each request's sending, so an answer slower than the period delays that "
            "connection's next requests without being counted against them (at this rate "
            "and these latencies, a small effect). screens_capacity: the same "
            f"mix on {args.connections} connections, closed loop (each as fast as answers "
            "come): the most the server gives, with the queueing that makes its p99. The "
            "floor and API v2: closed loop too, on the same connections as the capacity "
            "run. Screens runs for the full time each, the floor and API v2 for up to 20 "
            "and 15 s; the floor is run first and again last, and the faster run stands"
        ),
        "load_average_before": load_before,
        "load_average_after": round(os.getloadavg()[0], 2),
        "district": {
            "compounds": len(district.compounds),
            "communities": len(district.communities),
            "streets": max(1, len(district.communities) // 10),
            "notices_per_compound": args.notices,
            "pages": district.pages,
            "screens": len(district.screens),
            "built_seconds": round(built_seconds, 1),
            "built_by": (
                "bulk inserts (district_data.py): treebeard paths, live pages without "
                "revisions; the side process publishes through revisions"
            ),
        },
        "first_render_ms": {
            "p50": round(cold[len(cold) // 2] * 1000, 1),
            "p95": round(cold[int(len(cold) * 0.95)] * 1000, 1),
        },
        "endpoints": results,
        "aims": aims,
        "notes": (
            "Each screen request is the persisted screenFeed GET of a random screen with its "
            "token and the If-None-Match it last saw; answers, content versions and what each "
            "token names are kept in Redis (api/shared_cache.py). Before the runs every "
            "compound's feed was rendered once and every screen polled once, as when the "
            "screens have been running. SQL queries are counted by the server per "
            "response (X-SQL-Queries). API v2 lists the notices of "
            f"{min(args.api_v2_scopes, len(district.compounds))} sampled compounds, uncached "
            "(it has no ETag). The screens' last visits: "
            + (
                "written by each server per poll, once a minute a screen (WEIZHI_API_WITHOUT=seen)."
                if "seen" in os.environ.get("WEIZHI_API_WITHOUT", "")
                else "noted in Redis per poll and written by the side process in bulk each "
                "minute, as the worker's flush does (side_process: flushes, visits_written)."
            )
        ),
        "without": os.environ.get("WEIZHI_API_WITHOUT", ""),
    }


def print_table(result: dict[str, Any], path: Path) -> None:
    print(f"{'':8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'304s':>7}{'SQL':>7}"
          f"{'max':>5}{'errors':>8}{'×floor':>8}")  # fmt: skip
    for name, entry in result["endpoints"].items():
        latency, sql = entry["latency_ms"], entry["sql_queries_per_request"]
        print(
            f"{name:8}{entry['requests_per_second']:>9,.0f}{latency['p50']:>9.2f}"
            f"{latency['p95']:>9.2f}{latency['p99']:>9.2f}{entry['share_304']:>7.0%}"
            f"{sql['mean']:>7.2f}{sql['max']:>5}{entry['errors']:>8}{entry['vs_floor']:>8.2f}"
        )
    for name, aim in result["aims"].items():
        print(f"aim {name} {aim['aim']}: {aim['measured']} ({'met' if aim['met'] else 'MISSED'})")
    print(f"written to {path}")


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def main(argv: list[str] | None = None) -> dict[str, Any] | None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="seconds the screens poll")
    parser.add_argument("--compounds", type=int, default=2000)
    parser.add_argument("--notices", type=int, default=20, help="notices per compound")
    parser.add_argument(
        "--connections", type=int, default=4, help="connections of the closed-loop runs"
    )
    parser.add_argument(
        "--paced-connections", type=int, default=16, help="connections of the paced run"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per worker (gthread); 1: sync workers"
    )
    parser.add_argument("--publish-rate", type=float, default=1.0, help="changes a second")
    parser.add_argument("--api-v2-scopes", type=int, default=50)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    if not shutil.which("wrk"):
        print(WRK_INSTALL_HINT, file=sys.stderr)
        raise SystemExit(2)
    if os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite"):
        print("district_scale: skipped, it needs PostgreSQL (set DATABASE_URL)", file=sys.stderr)
        return None
    cache_url = os.environ.get("CACHE_URL") or "redis://127.0.0.1:6379/0"
    if not redis_answers(cache_url):
        print(f"district_scale: skipped, Redis does not answer at {cache_url}", file=sys.stderr)
        return None
    os.environ["CACHE_URL"] = cache_url
    os.environ["WEIZHI_BENCH_CACHE_PREFIX"] = f"district-{uuid.uuid4().hex[:8]}"

    return measure_served(SETTINGS, run, args, args.results, print_table)


if __name__ == "__main__":
    main()
