"""The file's ``audits:`` section: when the end-of-term audit opens, the rotation of 轮审, the
auditor's days and the default auditor; planned, applied, exported back, and refused at its line
when wrong."""

from __future__ import annotations

import pytest
import yaml

from content_types.audits.models import AuditPolicy
from site_config.apply import apply_file, plan_file
from site_config.export import export_yaml
from site_config.validation import ConfigError, load_config

from .conftest import EXAMPLE, MINIMAL

pytestmark = pytest.mark.django_db

SECTION = """\
audits:
  term_end_days_before: 120
  rotation_years: 2
  rotation_month: 4
  due_days: 45
  auditor: 绍兴某会计师事务所
"""


def test_the_example_configures_the_rotation():
    audits = load_config(EXAMPLE).audits
    assert (audits.term_end_days_before, audits.rotation_years, audits.rotation_month) == (90, 3, 3)
    assert audits.auditor == "百官街道财务审计中心"


def test_the_file_sets_the_policy_the_plan_says_so_and_export_round_trips_it(
    empty_site, write_config
):
    apply_file(write_config(MINIMAL))
    assert AuditPolicy.current().term_end_days_before == 90  # the default, without a section
    path = write_config(MINIMAL + SECTION)
    report = plan_file(path)[1].report()
    assert "换届审计提前开启（天）" in report and "审计规则" in report
    apply_file(path)

    policy = AuditPolicy.current()
    assert (policy.term_end_days_before, policy.rotation_years, policy.rotation_month) == (
        120,
        2,
        4,
    )
    assert (policy.due_days, policy.auditor) == (45, "绍兴某会计师事务所")
    exported = write_config(export_yaml(), "exported.yaml")
    assert yaml.safe_load(exported.read_text())["audits"] == yaml.safe_load(SECTION)["audits"]
    assert plan_file(exported)[1].is_empty


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        ("audits:\n  rotation_month: 13\n", "audits.rotation_month："),
        ("audits:\n  term_end_days_before: 0\n", "audits.term_end_days_before："),
        ("audits:\n  rotation_every: 2\n", "audits.rotation_every："),
    ],
)
def test_a_bad_value_or_an_unknown_key_is_refused_at_its_line(
    empty_site, write_config, section, problem
):
    with pytest.raises(ConfigError) as refused:
        load_config(write_config(MINIMAL + section))

    [found] = [str(p) for p in refused.value.problems]
    assert found.startswith(f"site.yaml 第20行，{problem}")
    assert AuditPolicy.objects.count() == 0
