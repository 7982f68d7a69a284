"""Whether owners see the overall turnout while a vote is open is the file's ``voting:`` section."""

from __future__ import annotations

import pytest
import yaml

from site_config.apply import apply_file, plan_file
from site_config.export import export_yaml
from site_config.validation import ConfigError, load_config
from workflows.voting.models import VotingPolicy

from .conftest import MINIMAL

pytestmark = pytest.mark.django_db


def test_without_a_voting_section_the_turnout_stays_with_the_organisers(empty_site, write_config):
    apply_file(write_config(MINIMAL))

    assert VotingPolicy.current().public_turnout is False
    assert yaml.safe_load(export_yaml())["voting"] == {"public_turnout": False}


def test_the_file_turns_it_on_the_plan_says_so_and_export_round_trips_it(empty_site, write_config):
    apply_file(write_config(MINIMAL))
    path = write_config(MINIMAL + "voting:\n  public_turnout: true\n")
    assert "表决期间公开总体参与情况" in plan_file(path)[1].report()
    apply_file(path)

    assert VotingPolicy.current().public_turnout is True
    exported = write_config(export_yaml(), "exported.yaml")
    assert yaml.safe_load(exported.read_text())["voting"] == {"public_turnout": True}
    assert plan_file(exported)[1].is_empty


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        ("voting:\n  public_turnout: sometimes\n", "voting.public_turnout：应为true 或 false"),
        ("voting:\n  public_by_building: true\n", "voting.public_by_building："),
    ],
)
def test_a_bad_value_or_an_unknown_key_is_refused_at_its_line(
    empty_site, write_config, section, problem
):
    with pytest.raises(ConfigError) as refused:
        load_config(write_config(MINIMAL + section))

    [found] = [str(p) for p in refused.value.problems]
    assert found.startswith(f"site.yaml 第20行，{problem}")
