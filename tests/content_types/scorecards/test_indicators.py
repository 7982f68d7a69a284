"""考评: every indicator of a small street against the values worked out by hand, and a rerun."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction

from content_types.scorecards.compute import compute
from content_types.scorecards.models import Scorecard, ScoreLine, ScoringPolicy
from content_types.scorecards.periods import from_key
from tests.conftest import build_street_tree, ensure_wagtail_root

from .street import EXPECTED, build

pytestmark = pytest.mark.django_db

H1 = from_key("2026H1")


@pytest.fixture(scope="module")
def scored(django_db_setup, django_db_blocker):
    """The street built and scored once for the module (rolled back after it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        tree = build_street_tree(ensure_wagtail_root())
        build(tree)
        yield tree, compute(H1)
        transaction.set_rollback(True)


def table(record) -> dict[str, dict[str, tuple]]:
    found: dict[str, dict[str, tuple]] = {}
    for card in Scorecard.objects.filter(period=record).select_related("scope"):
        lines = {
            line.code: (line.numerator, line.denominator, line.points) for line in card.lines.all()
        }
        lines["total"] = (card.total, card.rank, card.rank_in_community)
        found[card.scope.title] = lines
    return found


def test_every_indicator_matches_the_hand_computed_values(scored) -> None:
    _tree, record = scored
    assert record.key == "2026H1" and record.label == "2026年上半年"
    found = table(record)
    assert set(found) == set(EXPECTED)
    for scope, expected in EXPECTED.items():
        for code, figures in expected.items():
            assert found[scope][code] == figures, (scope, code)


def test_each_score_shows_what_it_counted(scored) -> None:
    _tree, record = scored
    line = ScoreLine.objects.get(
        scorecard__period=record, scorecard__scope__title="锦绣花园", code="disclosures_on_time"
    )
    details = [(item["label"], item["detail"], item["ok"]) for item in line.items]
    assert details == [
        ("物业费收缴公开 2025年第四季度", "应于 2026-01-15 前公开，2026-01-10 公开", True),
        ("物业费收缴公开 2026年第一季度", "应于 2026-04-15 前公开，2026-04-20 公开（逾期）", False),
    ]
    assert all(item["url"].startswith("/admin/pages/") for item in line.items)
    cases = ScoreLine.objects.get(
        scorecard__period=record, scorecard__scope__title="凤鸣社区", code="cases_in_time"
    )
    assert [item["ok"] for item in cases.items] == [False, True, False]  # its own first
    assert any(item["label"].startswith("锦绣花园：") for item in cases.items)


def test_a_rerun_over_the_same_data_gives_the_same_numbers(scored) -> None:
    _tree, record = scored
    before = table(record)
    items_before = list(
        ScoreLine.objects.filter(scorecard__period=record)
        .order_by("scorecard__scope__path", "position")
        .values_list("items", flat=True)
    )
    cards_before = set(Scorecard.objects.filter(period=record).values_list("pk", flat=True))
    again = compute(H1)
    assert again.pk == record.pk
    assert table(again) == before
    assert items_before == list(
        ScoreLine.objects.filter(scorecard__period=record)
        .order_by("scorecard__scope__path", "position")
        .values_list("items", flat=True)
    )
    assert set(Scorecard.objects.filter(period=record).values_list("pk", flat=True)) == cards_before


def test_weights_and_targets_come_from_the_configuration(scored) -> None:
    policy = ScoringPolicy.current()
    policy.indicators = [
        {"code": "joint_meetings", "weight": "60", "target": "2"},
        {"code": "firm_coverage", "weight": "40", "target": "1"},
    ]
    policy.save()
    try:
        card = Scorecard.objects.get(period=compute(H1), scope__title="锦绣花园")
        # 1.5 of 2 meetings a quarter: 0.75 × 60 = 45; half the firms: 20; out of 100.
        assert [(line.code, line.points) for line in card.lines.all()] == [
            ("joint_meetings", Decimal("45.00")),
            ("firm_coverage", Decimal("20.00")),
        ]
        assert card.total == Decimal("65.00")
    finally:
        policy.indicators = []
        policy.save()
        compute(H1)
