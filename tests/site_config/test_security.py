"""The roles that must sign in with a second factor are named in the configuration file."""

from __future__ import annotations

import pytest
import yaml
from django.contrib.auth import get_user_model

from content_types.accounts.models import SecurityPolicy
from content_types.accounts.two_factor import requires_second_factor
from site_config.apply import apply_file, plan_file
from site_config.export import export_yaml
from site_config.validation import ConfigError, load_config

from .conftest import MINIMAL

pytestmark = pytest.mark.django_db


def test_without_a_security_section_the_offices_need_a_second_factor(empty_site, write_config):
    apply_file(write_config(MINIMAL))

    assert SecurityPolicy.current().two_factor_roles == ["street_office", "community_office"]
    assert yaml.safe_load(export_yaml())["security"] == {
        "two_factor_roles": ["street_office", "community_office"]
    }


def test_the_file_names_the_roles_and_export_round_trips_them(empty_site, write_config):
    path = write_config(
        MINIMAL + "security:\n  two_factor_roles: [owners_committee, street_office]\n"
    )
    apply_file(path)

    assert SecurityPolicy.current().two_factor_roles == ["street_office", "owners_committee"]
    users = get_user_model().objects
    assert requires_second_factor(users.get(username="committee"))
    assert not requires_second_factor(users.get(username="office"))
    exported = write_config(export_yaml(), "exported.yaml")
    assert yaml.safe_load(exported.read_text())["security"] == {
        "two_factor_roles": ["street_office", "owners_committee"]
    }
    assert plan_file(exported)[1].is_empty


def test_an_unknown_role_is_refused_at_its_line(empty_site, write_config):
    path = write_config(MINIMAL + "security:\n  two_factor_roles: [street_office, mayor]\n")

    with pytest.raises(ConfigError) as refused:
        load_config(path)

    [problem] = [str(p) for p in refused.value.problems]
    assert problem.startswith("site.yaml 第20行，security.two_factor_roles[1]：取值“mayor”无效")
