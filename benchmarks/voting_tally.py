"""Benchmark: the owners' assembly tally of a 20,000-unit compound with 15,000 owners voting.

    .venv/bin/python -m benchmarks.voting_tally [--units 20000] [--voters 15000] [--repeat 5]

With DATABASE_URL unset (or naming SQLite) it runs on a fresh SQLite file in a temporary folder;
with DATABASE_URL naming PostgreSQL it creates a throwaway test database beside the named one and
drops it after.
Either way nothing is left behind except ``benchmarks/results/voting_tally.<vendor>.json``.
Target: the tally under 100 ms (issue 16), on PostgreSQL after ``ANALYZE``. The data comes
from ``benchmarks.voting_data``, the generator the tally tests check against the rule engine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from .harness import RESULTS_DIR, scratch_database, write_results

if TYPE_CHECKING:
    from collections.abc import Callable

TARGET_SECONDS = 0.1


def _timed(step: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = step()
    return time.perf_counter() - started, value


def run(units: int, voters: int, repeat: int, seed: int) -> dict[str, Any]:
    """Build the data, then time the tally; assumes Django is set up on an empty database."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone
    from wagtail.models import Page

    from content_types.structure.models import CommunityPage, CompoundPage, StreetPage
    from content_types.units.models import Unit
    from core.civil_code import Matter, decide
    from workflows.voting.models import (
        Ballot,
        Elector,
        ElectorUnit,
        PaperEntry,
        Vote,
        VotingCode,
    )
    from workflows.voting.selectors import count_votes
    from workflows.voting.services import open_vote

    from .voting_data import populate_ballots, populate_register

    root = Page.get_first_root_node()
    street = root.add_child(instance=StreetPage(title="基准街道", slug="bench-street"))
    community = street.add_child(instance=CommunityPage(title="基准社区", slug="bench-community"))
    compound = community.add_child(
        instance=CompoundPage(title="基准小区", slug="bench-compound", address="基准路 1 号")
    )
    clerks = [get_user_model().objects.create_user(username=f"bench-clerk-{n}") for n in (1, 2)]

    populate_seconds, _ = _timed(lambda: populate_register(compound, units=units, seed=seed))
    now = timezone.now()
    draft = Vote.objects.create(
        compound=compound,
        matter=Matter.USE_MAINTENANCE_FUND,
        title="更换小区电梯（使用专项维修资金）",
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=1),
    )
    freeze_seconds, vote = _timed(lambda: open_vote(draft, clerks[0]))
    ballots_seconds, _ = _timed(
        lambda: populate_ballots(vote, voters=voters, seed=seed, clerks=clerks)
    )

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have by the time a vote is counted
    count_votes(vote)  # warm the connection and the page cache
    runs = [_timed(lambda: count_votes(vote))[0] for _ in range(repeat)]
    counts = count_votes(vote)
    decision = decide(vote.matter_enum, counts)

    return {
        "benchmark": "voting_tally",
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "db_vendor": connection.vendor,
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "units": units,
        "owners": counts.eligible.heads,
        "voting_owners": counts.participating.heads,
        "ballots": Ballot.objects.filter(elector__vote=vote).count(),
        "rows": {
            "units_register": Unit.objects.count(),
            "electors": Elector.objects.count(),
            "elector_units": ElectorUnit.objects.count(),
            "ballots": Ballot.objects.count(),
            "paper_entries": PaperEntry.objects.count(),
            "voting_codes": VotingCode.objects.count(),
        },
        "tally_seconds": {
            "runs": [round(seconds, 4) for seconds in runs],
            "min": round(min(runs), 4),
            "median": round(statistics.median(runs), 4),
            "max": round(max(runs), 4),
        },
        "target_seconds": TARGET_SECONDS,
        "within_target": max(runs) < TARGET_SECONDS,
        "setup_seconds": {
            "register": round(populate_seconds, 2),
            "freeze_electorate": round(freeze_seconds, 2),
            "ballots": round(ballots_seconds, 2),
        },
        "outcome": decision.outcome.value,
        "seed": seed,
    }


def _print_table(result: dict[str, Any]) -> None:
    tally = result["tally_seconds"]
    rows = [
        ("database", result["db_vendor"]),
        ("units", f"{result['units']:,}"),
        ("owners on the roll", f"{result['owners']:,}"),
        ("owners who voted", f"{result['voting_owners']:,}"),
        ("ballots (incl. changes)", f"{result['ballots']:,}"),
        ("tally min / median / max", f"{tally['min']} / {tally['median']} / {tally['max']} s"),
        (
            "target",
            f"< {result['target_seconds']} s: {'met' if result['within_target'] else 'MISSED'}",
        ),
        ("freeze electorate", f"{result['setup_seconds']['freeze_electorate']} s"),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--voters", type=int, default=15_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args(argv)

    with scratch_database():
        result = run(args.units, args.voters, args.repeat, args.seed)
    path = write_results(result, RESULTS_DIR / f"voting_tally.{result['db_vendor']}.json")
    _print_table(result)
    print(f"written to {path}")
    return result


if __name__ == "__main__":
    main()
