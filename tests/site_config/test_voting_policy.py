"""The file's ``voting:`` section: whether owners see the overall turnout while a vote is open,
and how seats go when more candidates pass a committee election than there are seats."""

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
    assert yaml.safe_load(export_yaml())["voting"] == {
        "public_turnout": False,
        "seat_order": "heads_then_area",
    }


def test_the_file_turns_it_on_the_plan_says_so_and_export_round_trips_it(empty_site, write_config):
    apply_file(write_config(MINIMAL))
    path = write_config(MINIMAL + "voting:\n  public_turnout: true\n")
    assert "表决期间公开总体参与情况" in plan_file(path)[1].report()
    apply_file(path)

    assert VotingPolicy.current().public_turnout is True
    exported = write_config(export_yaml(), "exported.yaml")
    assert yaml.safe_load(exported.read_text())["voting"] == {
        "public_turnout": True,
        "seat_order": "heads_then_area",
    }
    assert plan_file(exported)[1].is_empty


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        ("voting:\n  public_turnout: sometimes\n", "voting.public_turnout：应为true 或 false"),
        ("voting:\n  public_by_building: true\n", "voting.public_by_building："),
        ("voting:\n  seat_order: by_age\n", "voting.seat_order：取值“by_age”无效"),
    ],
)
def test_a_bad_value_or_an_unknown_key_is_refused_at_its_line(
    empty_site, write_config, section, problem
):
    with pytest.raises(ConfigError) as refused:
        load_config(write_config(MINIMAL + section))

    [found] = [str(p) for p in refused.value.problems]
    assert found.startswith(f"site.yaml 第20行，{problem}")


def test_the_file_sets_the_seat_order_and_export_round_trips_it(empty_site, write_config):
    apply_file(write_config(MINIMAL))
    assert VotingPolicy.current().seat_order == "heads_then_area"
    path = write_config(MINIMAL + "voting:\n  seat_order: area_then_heads\n")
    apply_file(path)

    assert VotingPolicy.current().seat_order == "area_then_heads"
    exported = write_config(export_yaml(), "exported.yaml")
    assert yaml.safe_load(exported.read_text())["voting"]["seat_order"] == "area_then_heads"
    assert plan_file(exported)[1].is_empty
    # Changing it back is a planned change of its own.
    back = write_config(MINIMAL + "voting:\n  seat_order: heads_then_area\n", "b.yaml")
    [change] = plan_file(back)[1].changes
    assert change.kind == "voting"
