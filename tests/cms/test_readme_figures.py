"""The README's recorded district and admin figures are those in benchmarks/results/."""

from __future__ import annotations

import json

from benchmarks import readme_figures
from benchmarks.harness import RESULTS_DIR


def test_the_readme_shows_the_figures_last_recorded() -> None:
    assert readme_figures.main(["--check"]) == 0


def test_a_new_recording_changes_the_readme() -> None:
    text = readme_figures.README.read_text(encoding="utf-8")
    result = json.loads((RESULTS_DIR / "admin_scale.postgresql.json").read_text(encoding="utf-8"))
    result["pages"]["dashboard"]["ms"]["median"] = 123.4
    result["pages"]["dashboard"]["met"] = True

    block = readme_figures.admin_scale(result)

    assert "| dashboard | 123 ms |" in block
    assert "| dashboard | 123 ms |" not in text
    assert readme_figures.rendered(text) == text
