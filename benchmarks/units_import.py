"""Benchmark: importing a 20,000-unit register from Excel, through the path the admin uses.

    .venv/bin/python -m benchmarks.units_import [--units 20000] [--seed 2023]

Generates the .xlsx as a clerk would fill in the template, then hands it to ``start_import``,
the function the upload form calls, with the whole file run in this process (what the Celery
worker runs for a large file): the archive check, the job record, reading, checking every cell,
the duplicate checks and the single-transaction write. The target is under a minute.

With DATABASE_URL unset (or naming SQLite) it runs on a fresh SQLite file in a temporary folder;
with DATABASE_URL naming PostgreSQL it creates a throwaway test database beside the named one and
drops it after. Nothing is left behind except the result, one file per database vendor
(``benchmarks/results/units_import.<vendor>.json``).
"""

from __future__ import annotations

import argparse
import io
import platform
import random
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .harness import RESULTS_DIR, scratch_database, write_results

if TYPE_CHECKING:
    from pathlib import Path

TARGET_SECONDS = 60.0
HEADERS = ["楼栋", "单元", "室", "专有面积", "业主姓名", "业主手机号"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def register_workbook(units: int, seed: int) -> bytes:
    """``units`` distinct rooms: 25 floors × 4 rooms per entrance, 3 entrances per building.

    About one owner in ten holds a second unit (same phone), as in a real register.
    """
    from openpyxl import Workbook

    rng = random.Random(seed)
    # Not write-only: Excel records the sheet's size, and so does a normal openpyxl workbook.
    book = Workbook()
    sheet = book.active
    sheet.title = "房屋与业主名册"
    sheet.append(HEADERS)
    phones: list[str] = []
    for n in range(units):
        building, rest = divmod(n, 300)
        entrance, rest = divmod(rest, 100)
        floor, room = divmod(rest, 4)
        if phones and rng.random() < 0.1:
            phone = rng.choice(phones)
        else:
            phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
            phones.append(phone)
        sheet.append(
            [
                f"{building + 1}幢",
                str(entrance + 1),
                f"{floor + 1}{room + 1:02d}",
                round(rng.uniform(45, 180), 2),
                rng.choice(SURNAMES) + f"业主{n}",
                phone,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(units: int, seed: int) -> dict[str, Any]:
    """Generate the file and time the import; assumes Django is set up on an empty database."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import override_settings
    from wagtail.models import Page

    from content_types.imports.models import ImportStatus
    from content_types.imports.services import start_import
    from content_types.imports.workbook import open_sheet_rows
    from content_types.structure.models import CommunityPage, CompoundPage, StreetPage
    from content_types.units.models import Unit

    root = Page.get_first_root_node()
    street = root.add_child(instance=StreetPage(title="基准街道", slug="bench-street"))
    community = street.add_child(instance=CommunityPage(title="基准社区", slug="bench-community"))
    compound = community.add_child(
        instance=CompoundPage(title="基准小区", slug="bench-compound", address="基准路 1 号")
    )
    clerk = get_user_model().objects.create_user(username="bench-clerk")

    started = time.perf_counter()
    data = register_workbook(units, seed)
    generate_seconds = time.perf_counter() - started

    started = time.perf_counter()
    rows_read = sum(1 for _ in open_sheet_rows(data)) - 1
    read_seconds = time.perf_counter() - started

    with override_settings(WEIZHI_IMPORT_INLINE_ROWS=units, WEIZHI_IMPORT_INLINE_BYTES=2**31):
        started = time.perf_counter()
        job = start_import("units", compound, clerk, "房屋与业主名册.xlsx", data)
        import_seconds = time.perf_counter() - started

    if job.status != ImportStatus.SUCCEEDED:
        raise SystemExit(f"the import ended {job.status}: {job.problems[:5]}")
    created = Unit.objects.filter(compound=compound).count()
    if created != units or rows_read != units:
        raise SystemExit(f"expected {units} units, read {rows_read} and created {created}")

    return {
        "benchmark": "units_import",
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "db_vendor": connection.vendor,
        "python": platform.python_version(),
        "units": units,
        "owners": Unit.objects.values("owner_key").distinct().count(),
        "file_bytes": len(data),
        "import_seconds": round(import_seconds, 2),
        "rows_per_second": round(units / import_seconds),
        "target_seconds": TARGET_SECONDS,
        "within_target": import_seconds < TARGET_SECONDS,
        "of_which_reading_the_file_seconds": round(read_seconds, 2),
        "generate_file_seconds": round(generate_seconds, 2),
        "seed": seed,
    }


def results_path(result: dict[str, Any]) -> Path:
    return RESULTS_DIR / f"units_import.{result['db_vendor']}.json"


def _print_table(result: dict[str, Any]) -> None:
    rows = [
        ("database", result["db_vendor"]),
        ("units", f"{result['units']:,}"),
        ("owners", f"{result['owners']:,}"),
        ("file size", f"{result['file_bytes']:,} bytes"),
        ("import", f"{result['import_seconds']} s ({result['rows_per_second']:,} rows/s)"),
        ("  of which reading the file", f"{result['of_which_reading_the_file_seconds']} s"),
        (
            "target",
            f"< {result['target_seconds']} s: {'met' if result['within_target'] else 'MISSED'}",
        ),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    print(f"written to {results_path(result)}")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args(argv)

    with scratch_database():
        result = run(args.units, args.seed)
    write_results(result, results_path(result))
    _print_table(result)
    return result


if __name__ == "__main__":
    main()
