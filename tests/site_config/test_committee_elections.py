"""The seat order of committee elections is a setting of the configuration file."""

from __future__ import annotations

import pytest
import yaml

from site_config.apply import apply_file, plan_file
from site_config.export import export_yaml
from site_config.validation import ConfigError, load_config
from workflows.voting.models import ElectionPolicy

from .conftest import MINIMAL

pytestmark = pytest.mark.django_db


def test_without_the_section_seats_go_by_heads_then_area(empty_site, write_config):
    apply_file(write_config(MINIMAL))

    assert ElectionPolicy.current().seat_order == "heads_then_area"
    exported = yaml.safe_load(export_yaml())
    assert exported["committee_elections"] == {"seat_order": "heads_then_area"}


def test_the_file_sets_the_order_and_export_round_trips_it(empty_site, write_config):
    path = write_config(MINIMAL + "committee_elections:\n  seat_order: area_then_heads\n")
    apply_file(path)

    assert ElectionPolicy.current().seat_order == "area_then_heads"
    exported = write_config(export_yaml(), "exported.yaml")
    assert yaml.safe_load(exported.read_text())["committee_elections"] == {
        "seat_order": "area_then_heads"
    }
    assert plan_file(exported)[1].is_empty
    # Changing it back is a planned change of its own.
    back = write_config(MINIMAL + "committee_elections:\n  seat_order: heads_then_area\n", "b.yaml")
    [change] = plan_file(back)[1].changes
    assert change.kind == "committee_elections"


def test_an_unknown_order_is_refused_at_its_line(empty_site, write_config):
    path = write_config(MINIMAL + "committee_elections:\n  seat_order: by_age\n")

    with pytest.raises(ConfigError) as refused:
        load_config(path)

    [problem] = [str(p) for p in refused.value.problems]
    assert problem.startswith("site.yaml 第20行，committee_elections.seat_order：取值“by_age”无效")
    assert ElectionPolicy.objects.count() == 0
