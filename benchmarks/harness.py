"""What every benchmark's ``main()`` shares: a throwaway database, and its results file.

SQLite (``DATABASE_URL`` unset or ``sqlite…``) gets a fresh file in a scratch folder; any
other database gets a test database beside the one ``DATABASE_URL`` names, destroyed
afterwards. Nothing is left behind but the JSON in ``benchmarks/results/``.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.parse
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Scratch:
    """The scratch folder, and the address of the database the benchmark runs on."""

    folder: Path
    database_url: str


@contextmanager
def scratch_database(
    settings: str = "cms.settings.test", *, own_settings: bool = False
) -> Iterator[Scratch]:
    """Set Django up on an empty, migrated database for the ``with`` block, then drop it.

    ``own_settings`` makes ``settings`` and the scratch folder win over the environment
    (for a benchmark that starts servers of its own); otherwise the environment's win.
    """
    folder = Path(tempfile.mkdtemp(prefix="weizhi-bench-"))
    use_sqlite = os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite")
    if use_sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    if own_settings:
        os.environ["WEIZHI_VAR_DIR"] = str(folder)
        os.environ["DJANGO_SETTINGS_MODULE"] = settings
    else:
        os.environ.setdefault("WEIZHI_VAR_DIR", str(folder))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    original_name = connection.settings_dict["NAME"]
    try:
        if use_sqlite:
            call_command("migrate", verbosity=0)
            database_url = os.environ["DATABASE_URL"]
        else:
            # ``WEIZHI_BENCH_DATABASE`` names the scratch database (default: test_<name>).
            if os.environ.get("WEIZHI_BENCH_DATABASE"):
                connection.settings_dict["TEST"]["NAME"] = os.environ["WEIZHI_BENCH_DATABASE"]
            test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
            parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
            database_url = urllib.parse.urlunsplit(parts._replace(path=f"/{test_name}"))
        yield Scratch(folder, database_url)
    finally:
        connection.close()
        if not use_sqlite:
            connection.creation.destroy_test_db(original_name, verbosity=0)
        shutil.rmtree(folder, ignore_errors=True)


def write_results(result: dict[str, Any], path: Path) -> Path:
    """Write ``result`` as the benchmark's JSON, replacing the last run's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
