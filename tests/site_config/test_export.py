"""Export writes a file that rebuilds the state: export → apply (empty) → export is identical."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import transaction

from content_types.structure.models import StreetPage
from site_config.apply import apply_file
from site_config.export import export_yaml

from .conftest import EXAMPLE

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def exported_after_applying(path) -> str:
    """Apply ``path`` to the empty database, export, and roll the database back to empty."""
    text = ""
    try:
        with transaction.atomic():
            apply_file(path)
            text = export_yaml()
            raise _Rollback
    except _Rollback:
        pass
    assert not StreetPage.objects.exists()
    return text


def test_the_example_round_trips(empty_site, tmp_path) -> None:
    first = exported_after_applying(EXAMPLE)
    exported = tmp_path / "exported.yaml"
    exported.write_text(first, encoding="utf-8")

    second = exported_after_applying(exported)

    assert second == first
    document = yaml.safe_load(first)
    assert [c["slug"] for c in document["communities"]] == ["fengming", "longshan", "jiangbin"]
    assert len(document["tasks"]) == 34
    assert {u["username"] for u in document["users"]} >= {"admin", "committee_yangguang"}
    assert "password" not in first  # secrets stay out of exports


def test_applying_an_export_over_its_own_state_changes_nothing(empty_site, tmp_path) -> None:
    apply_file(EXAMPLE)
    exported = tmp_path / "exported.yaml"

    call_command("export_config", "--output", str(exported))

    assert apply_file(exported).is_empty


def test_export_of_an_empty_database_says_so(empty_site) -> None:
    with pytest.raises(CommandError, match="数据库中还没有街道"):
        call_command("export_config")
