"""The nightly job on the real worker: it scores the period it is given, and running it again
over the same data writes the same numbers, as the computation in the web process does."""

from __future__ import annotations

import pytest

from content_types.scorecards.models import Scorecard, ScorePeriod
from content_types.scorecards.tasks import compute_scorecards
from tests.celery_worker import wait_for
from tests.conftest import build_street_tree

from .street import EXPECTED, build

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def totals() -> dict[str, tuple]:
    return {
        card.scope.title: (card.total, card.rank, card.rank_in_community)
        for card in Scorecard.objects.filter(period__key="2026H1").select_related("scope")
    }


def test_the_worker_scores_a_period_and_a_rerun_changes_no_number(worker_queue, wagtail_root):
    build(build_street_tree(wagtail_root))
    compute_scorecards.apply_async(args=["2026H1"], queue=worker_queue)
    assert wait_for(lambda: len(totals()) == len(EXPECTED))
    expected = {title: rows["total"] for title, rows in EXPECTED.items()}
    assert totals() == expected
    first = list(Scorecard.objects.order_by("pk").values_list("pk", "total"))
    lines = list(
        Scorecard.objects.order_by("pk", "lines__position").values_list(
            "lines__numerator", "lines__denominator", "lines__points", "lines__items"
        )
    )

    computed = ScorePeriod.objects.get(key="2026H1").computed_at
    compute_scorecards.apply_async(args=["2026H1"], queue=worker_queue)
    assert wait_for(lambda: ScorePeriod.objects.get(key="2026H1").computed_at > computed)
    assert list(Scorecard.objects.order_by("pk").values_list("pk", "total")) == first
    assert lines == list(
        Scorecard.objects.order_by("pk", "lines__position").values_list(
            "lines__numerator", "lines__denominator", "lines__points", "lines__items"
        )
    )


def test_beat_runs_the_job_every_night(settings) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["compute-scorecards"]
    assert entry["task"] == compute_scorecards.name
    assert entry["schedule"].hour == {4}
