"""Write the README's recorded figures from ``benchmarks/results/*.json``.

    .venv/bin/python -m benchmarks.readme_figures          # rewrite the README's figure blocks
    .venv/bin/python -m benchmarks.readme_figures --check  # exit 1 when they differ from the files

The README's production section shows the last recorded district and admin runs between markers
(``<!-- figures: district_scale -->`` … ``<!-- /figures -->``). Re-recording a benchmark on a
quiet machine is then two commands, and a test keeps the README and the files in step.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from .harness import RESULTS_DIR

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(
    r"(<!-- figures: (?P<name>[a-z_.]+) -->\n)(?P<body>.*?)(<!-- /figures -->)", re.DOTALL
)

DISTRICT_ROWS = {
    "screens": "screens, paced (the aim's run)",
    "screens_capacity": "screens, closed loop (capacity)",
    "floor": "floor (a feed's bytes, no work), closed loop",
    "api_v2": "API v2, 50 compounds' notices, closed loop",
}
ADMIN_PAGES = {
    "dashboard": "dashboard",
    "explorer": "page explorer (2,000 notices)",
    "units_listing": "units listing (20,000 units)",
    "committees_listing": "committees listing (2,000)",
}


def _load(values: float | list[float]) -> str:
    """A load average as recorded: the 1-minute figure, or the 1, 5 and 15-minute ones."""
    values = values if isinstance(values, list) else [values]
    return " / ".join(f"{value:.2f}" for value in values)


def _ms(value: float) -> str:
    return f"{value:.1f} ms" if value < 10 else f"{value:.0f} ms"


def district_scale(result: dict[str, Any]) -> str:
    lines = [
        f"Recorded {result['recorded_at']}; load average "
        f"{_load(result['load_average_before'])} before and "
        f"{_load(result['load_average_after'])} after; {result['district']['screens']:,} "
        f"screens of {result['district']['compounds']:,} compounds.",
        "",
        "| 60 s each | requests/s | p50 | p95 | p99 | 304s | SQL per request (mean / max) "
        "| errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, label in DISTRICT_ROWS.items():
        run = result["endpoints"].get(name)
        if run is None:
            continue
        latency, sql = run["latency_ms"], run["sql_queries_per_request"]
        share = f"{run['share_304']:.0%}" if name.startswith("screens") else "—"
        lines.append(
            f"| {label} | {run['requests_per_second']:,.0f} | {_ms(latency['p50'])} "
            f"| {_ms(latency['p95'])} | {_ms(latency['p99'])} | {share} "
            f"| {sql['mean']:.2f} / {sql['max']} | {run['errors']} |"
        )
    aims = "; ".join(
        f"{name.replace('_', ' ')} {aim['aim']}: {aim['measured']} "
        f"({'met' if aim['met'] else 'missed'})"
        for name, aim in result["aims"].items()
    )
    render = result["first_render_ms"]
    lines += [
        "",
        f"Aims: {aims}. A first render of a compound's feed: {render['p50']:.0f} ms at the "
        f"median, {render['p95']:.0f} ms at p95.",
    ]
    return "\n".join(lines) + "\n"


def admin_scale(result: dict[str, Any]) -> str:
    load = result["load_average"]
    lines = [
        f"Recorded {result['recorded_at']} on {result['db_vendor']}; load average (1, 5 and 15 "
        f"minutes) {_load(load['before'])} before and {_load(load['after'])} after.",
        "",
        "| as the street office | median | p90 | SQL queries | aim: median < 300 ms |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, label in ADMIN_PAGES.items():
        page = result["pages"].get(name)
        if page is None:
            continue
        lines.append(
            f"| {label} | {page['ms']['median']:.0f} ms | {page['ms']['p90']:.0f} ms "
            f"| {page['queries']} | {'met' if page['met'] else 'missed'} |"
        )
    return "\n".join(lines) + "\n"


RENDERERS = {"district_scale": district_scale, "admin_scale.postgresql": admin_scale}


def rendered(text: str) -> str:
    def block(match: re.Match[str]) -> str:
        name = match["name"]
        result = json.loads((RESULTS_DIR / f"{name}.json").read_text(encoding="utf-8"))
        return match.group(1) + RENDERERS[name](result) + match.group(4)

    return BLOCK.sub(block, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether they differ")
    args = parser.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    new = rendered(text)
    if args.check:
        if new != text:
            print("README figures differ from benchmarks/results: run benchmarks.readme_figures")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
