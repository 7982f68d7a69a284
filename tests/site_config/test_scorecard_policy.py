"""The file's ``scorecards:`` section: the scoring period, each indicator's weight and target."""

from __future__ import annotations

import pytest
import yaml

from content_types.scorecards.models import ScoringPolicy
from site_config.apply import apply_file, plan_file
from site_config.export import export_yaml
from site_config.validation import ConfigError, load_config

from .conftest import MINIMAL

pytestmark = pytest.mark.django_db

SECTION = """scorecards:
  every: quarter
  honours: 2
  indicators:
    - {code: joint_meetings, weight: 60, target: 2}
    - {code: fee_collection, weight: 40, target: 0.90}
"""


def test_the_file_sets_the_weights_the_plan_says_so_and_export_round_trips_it(
    empty_site, write_config
):
    apply_file(write_config(MINIMAL))
    assert ScoringPolicy.current().indicators == []  # every indicator at its default
    path = write_config(MINIMAL + SECTION)
    assert "考评指标（权重、目标值）" in plan_file(path)[1].report()
    apply_file(path)

    policy = ScoringPolicy.current()
    assert (policy.every, policy.honours) == ("quarter", 2)
    assert policy.indicators == [
        {"code": "joint_meetings", "weight": "60", "target": "2"},
        {"code": "fee_collection", "weight": "40", "target": "0.9"},
    ]
    exported = write_config(export_yaml(), "exported.yaml")
    assert yaml.safe_load(exported.read_text())["scorecards"]["indicators"][1] == {
        "code": "fee_collection",
        "weight": "40",
        "target": "0.9",
    }
    assert plan_file(exported)[1].is_empty


@pytest.mark.parametrize(
    ("section", "line", "problem"),
    [
        (
            "scorecards:\n  indicators:\n    - {code: beauty, weight: 10, target: 1}\n",
            21,
            "scorecards.indicators[0].code：未知的考评指标“beauty”，可用：",
        ),
        (
            "scorecards:\n  indicators:\n    - {code: fee_collection, weight: 10, target: 0}\n",
            21,
            "scorecards.indicators[0].target：",
        ),
        (
            "scorecards:\n  every: month\n",
            20,
            "scorecards.every：取值“month”无效，可选：quarter、half_year、year",
        ),
    ],
)
def test_a_bad_indicator_is_refused_at_its_line(empty_site, write_config, section, line, problem):
    with pytest.raises(ConfigError) as refused:
        load_config(write_config(MINIMAL + section))

    [found] = [str(p) for p in refused.value.problems]
    assert found.startswith(f"site.yaml 第{line}行，{problem}"), found
    assert ScoringPolicy.objects.count() == 0
