"""What each of the API's fast paths buys: the screen feed measured with each one left out.

Runs ``benchmarks.screen_feed`` with every path (its usual results) and then once without each
path of ``api/fast_paths.py``, and records requests per second of the uncached POST and of the
persisted GET (200 and 304), each path's gain as the ratio of the run with it to the run without
it, and SQL queries per uncached feed. A path is kept where it pays clearly: a gain of at least
``CLEAR_GAIN`` on one of the three.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from api.fast_paths import PATHS

from .harness import write_results
from .screen_feed import RESULTS as FEED_RESULTS

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "fast_paths.json"
ENDPOINTS = ("graphql_post", "persisted_get", "persisted_get_304")
CLEAR_GAIN = 1.10


def feed(results: Path, without: str = "") -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.screen_feed", "--results", str(results)]
    if without:
        command += ["--without", without]
    subprocess.run(command, cwd=ROOT, check=True)
    return json.loads(results.read_text(encoding="utf-8"))


def main() -> dict[str, Any]:
    full = feed(FEED_RESULTS)
    paths: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        for path in PATHS:
            without = feed(Path(folder) / f"without-{path}.json", without=path)
            measured: dict[str, Any] = {}
            for name in ENDPOINTS:
                with_it = full["endpoints"][name]["requests_per_second"]
                without_it = without["endpoints"][name]["requests_per_second"]
                measured[name] = {
                    "requests_per_second_with": with_it,
                    "requests_per_second_without": without_it,
                    "gain": round(with_it / without_it, 3) if without_it else None,
                }
            measured["sql_queries_per_uncached_feed_without"] = without["endpoints"][
                "graphql_post"
            ]["sql_queries"]
            best = max(measured[name]["gain"] or 0 for name in ENDPOINTS)
            measured["pays_clearly"] = best >= CLEAR_GAIN
            paths[path] = measured
    result = {
        "benchmark": "fast_paths",
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "clear_gain": CLEAR_GAIN,
        "sql_queries_per_uncached_feed": full["endpoints"]["graphql_post"]["sql_queries"],
        "load_average_before": full["load_average_before"],
        "paths": paths,
    }
    write_results(result, RESULTS)
    for path, measured in paths.items():
        summary = ", ".join(f"{name} ×{measured[name]['gain']}" for name in ENDPOINTS)
        print(f"{path}: {summary} — {'kept' if measured['pays_clearly'] else 'does not pay'}")
    return result


if __name__ == "__main__":
    main()
