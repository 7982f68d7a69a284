"""The file's ``firm_evaluation:`` section: the survey's questions and the score's weights."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from content_types.evaluations.models import EvaluationPolicy
from site_config.apply import apply_file, plan_file
from site_config.export import export_yaml
from site_config.validation import ConfigError, load_config

from .conftest import MINIMAL

pytestmark = pytest.mark.django_db

SECTION = """firm_evaluation:
  questions:
    - key: cleaning
      text: 保洁服务
      weight: 2
    - key: security
      text: 秩序维护
  weights: {survey: 50, committee: 10, community: 10, fee_collection: 10, cases: 10, party: 10}
  excellent_min: 88.5
"""


def test_without_the_section_the_defaults_hold_and_plan_nothing(empty_site, write_config):
    apply_file(write_config(MINIMAL))
    policy = EvaluationPolicy.current()
    assert [q["key"] for q in policy.questions] == ["overall"]
    assert policy.weights["survey"] == 40
    assert plan_file(write_config(export_yaml(), "exported.yaml"))[1].is_empty


def test_the_file_sets_questions_and_weights_and_export_round_trips_them(empty_site, write_config):
    apply_file(write_config(MINIMAL))
    path = write_config(MINIMAL + SECTION)
    assert "满意度测评题目" in plan_file(path)[1].report()
    apply_file(path)

    policy = EvaluationPolicy.current()
    assert policy.questions[0] == {"key": "cleaning", "text": "保洁服务", "weight": 2}
    assert policy.questions[1]["weight"] == 1
    assert (policy.weights["survey"], policy.excellent_min) == (50, Decimal("88.50"))
    exported = write_config(export_yaml(), "exported.yaml")
    assert yaml.safe_load(exported.read_text())["firm_evaluation"]["weights"]["survey"] == 50
    assert plan_file(exported)[1].is_empty


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        (
            "firm_evaluation:\n  weights: {survey: 60}\n",
            "firm_evaluation.weights：各项权重之和须为 100，现为 120。",
        ),
        (
            "firm_evaluation:\n  questions:\n    - {key: a, text: 甲}\n    - {key: a, text: 乙}\n",
            "firm_evaluation.questions：题目代码重复：a。",
        ),
        ("firm_evaluation:\n  excellent_min: 120\n", "firm_evaluation.excellent_min：不能大于100"),
        ("firm_evaluation:\n  bonus: 5\n", "firm_evaluation.bonus：未知的键"),
    ],
)
def test_a_bad_section_is_refused_at_its_line(empty_site, write_config, section, problem):
    with pytest.raises(ConfigError) as refused:
        load_config(write_config(MINIMAL + section))

    [found] = [str(p) for p in refused.value.problems]
    assert found.startswith("site.yaml 第2")
    assert problem in found
