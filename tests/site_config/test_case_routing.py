"""Cases from the file: each level's deadline, and the street working group of each category."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command

from content_types.cases.models import CaseDeadline, CaseLevel, deadline_days
from content_types.cases.routing import working_group_for
from content_types.structure.models import CompoundPage
from site_config.apply import apply_file
from site_config.models import WorkingGroup
from site_config.validation import ConfigError

from .conftest import MINIMAL

pytestmark = pytest.mark.django_db

OFFICES = """\
coordination_offices:
  - scope: baiguan
    name: 百官街道“微治办”
    director: 街道办事处主任
    working_groups:
      - {name: 执法督查组, lead: 综合行政执法负责人, case_categories: [violation, hazard]}
      - {name: 司法调解组, lead: 司法所负责人, case_categories: [dispute]}
case_deadlines:
  compound: 2
  community: 4
  street: 7
"""


def test_groups_take_their_categories_and_levels_their_deadlines(
    empty_site, write_config, tmp_path
) -> None:
    apply_file(write_config(MINIMAL + OFFICES))

    jinxiu = CompoundPage.objects.get(slug="jinxiu")
    assert working_group_for(jinxiu, "hazard") == "执法督查组"
    assert working_group_for(jinxiu, "dispute") == "司法调解组"
    assert working_group_for(jinxiu, "complaint") == ""
    assert [deadline_days(level) for level in CaseLevel.values] == [2, 4, 7]

    exported = tmp_path / "exported.yaml"
    call_command("export_config", "--output", str(exported))
    written = yaml.safe_load(exported.read_text())
    groups = written["coordination_offices"][0]["working_groups"]
    assert groups[0]["case_categories"] == ["hazard", "violation"]  # in the categories' order
    assert written["case_deadlines"] == {"compound": 2, "community": 4, "street": 7}

    plan = apply_file(write_config(MINIMAL + OFFICES.replace("compound: 2", "compound: 3")))
    assert "小区三方处置期限（天）：2 → 3" in plan.report()
    assert CaseDeadline.objects.get(level=CaseLevel.COMPOUND).days == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("case_categories: [dispute]", "case_categories: [dispute, hazard]"),
            "site.yaml 第25行，coordination_offices[0].working_groups[1].case_categories[1]："
            "事件类别“安全隐患”重复。",
        ),
        (("case_categories: [dispute]", "case_categories: [noise]"), "取值“noise”无效"),
        (("street: 7", "street: 0"), "case_deadlines.street"),
    ],
)
def test_a_bad_case_setting_is_refused_at_its_line(
    empty_site, write_config, change, message
) -> None:
    with pytest.raises(ConfigError) as refused:
        apply_file(write_config(MINIMAL + OFFICES.replace(*change)))

    assert message in refused.value.report()
    assert not WorkingGroup.objects.exists() and not CaseDeadline.objects.exists()
