"""Fixtures for the configuration file: the example, and small files written per test."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    from wagtail.models import Page

EXAMPLE = Path(__file__).resolve().parents[2] / "site_config" / "examples" / "baiguan.yaml"

MINIMAL = """\
street: {title: 百官街道, slug: baiguan}
communities:
  - title: 凤鸣社区
    slug: fengming
    compounds:
      - {title: 锦绣花园, slug: jinxiu, address: 凤鸣路 101 号, households: 612}
      - {title: 阳光水岸, slug: yangguang, address: 凤鸣路 233 号}
users:
  - username: committee
    name: 锦绣花园业委会
    password: weizhi-demo
    roles: [{role: owners_committee, scope: jinxiu}]
  - username: office
    roles: [{role: community_office, scope: fengming}]
chains:
  - name: 小区内容审核
    steps: [{name: 社区审核, type: scoped_role, role: community_office}]
    attach_to: {levels: [compound]}
"""


@pytest.fixture
def empty_site(wagtail_root: Page) -> Page:
    """An empty database, as after ``migrate``."""
    return wagtail_root


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[..., Path]:
    """Write ``text`` as ``name`` in a temporary folder: ``write_config(MINIMAL)``."""

    def write(text: str, name: str = "site.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
