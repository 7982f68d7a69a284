"""A first apply's queries do not grow with the compounds, and it leaves sound trees and indexes.

A district's file has two thousand compounds: what each one costs decides whether it applies
in a minute (benchmarks/site_config_apply.py measures the district itself).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import yaml
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import Collection, Page, ReferenceIndex

from content_types.committees.models import OwnersCommittee
from content_types.structure.models import CompoundPage
from site_config.apply import apply_file

from .conftest import EXAMPLE

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

pytestmark = pytest.mark.django_db

# Queries a compound adds to a first apply, with its page, collection, committee and nine
# role holders (their groups and permissions included): none, each kind of row is written in
# batches (a database's batch size aside, far above these files).
QUERIES_PER_COMPOUND = 0


def district(compounds_per_community: int) -> str:
    """Two communities of ``compounds_per_community`` compounds, nine role holders each."""
    compound_roles = ["compound_party", "commissioner"] + ["owners_committee"] * 5
    compound_roles += ["property_firm"] * 2
    communities, users = [], []
    for c in (1, 2):
        slugs = [f"c{c}-k{k:02d}" for k in range(compounds_per_community)]
        communities.append(
            {
                "title": f"第{c}社区",
                "slug": f"c{c}",
                "compounds": [
                    {
                        "title": f"第{c}社区第{k}小区",
                        "slug": slug,
                        "address": f"第{c}路 {k} 号",
                        "households": 300 + k,
                        "committee_term": {"start": "2023-05-01", "end": "2028-04-30"},
                    }
                    for k, slug in enumerate(slugs)
                ],
            }
        )
        users += [
            {"username": f"{slug}-{n}", "roles": [{"role": role, "scope": slug}]}
            for slug in slugs
            for n, role in enumerate(compound_roles)
        ]
    return yaml.safe_dump(
        {
            "street": {"title": "百官街道", "slug": "baiguan"},
            "communities": communities,
            "users": users,
            "chains": [
                {
                    "name": "小区内容审核",
                    "steps": [
                        {"name": "社区审核", "type": "scoped_role", "role": "community_office"}
                    ],
                    "attach_to": {"levels": ["compound"]},
                }
            ],
        },
        allow_unicode=True,
    )


def first_apply_queries(path: Path) -> int:
    """The queries of a first apply of ``path``, which is then rolled back."""
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            apply_file(path)
        transaction.set_rollback(True)
    return len(queries.captured_queries)


def test_a_compound_adds_a_fixed_number_of_queries_to_a_first_apply(
    empty_site, write_config: Callable[..., Path]
) -> None:
    small = first_apply_queries(write_config(district(2), "small.yaml"))
    large = first_apply_queries(write_config(district(8), "large.yaml"))

    assert (large - small) / 12 <= QUERIES_PER_COMPOUND, (small, large)
    assert not CompoundPage.objects.exists()  # each apply above was rolled back


def test_the_trees_are_sound_and_collections_sorted_by_name(
    empty_site, write_config: Callable[..., Path]
) -> None:
    apply_file(write_config(district(12)))

    assert Page.find_problems() == ([], [], [], [], [])
    assert Collection.find_problems() == ([], [], [], [], [])
    for parent in Collection.objects.filter(numchild__gt=0):
        children = parent.get_children()
        assert list(children.order_by("path")) == list(children.order_by("name", "path"))
    assert Collection.objects.get(name="第1社区").get_children().count() == 12


def test_the_reference_index_holds_what_wagtail_would_record(empty_site) -> None:
    apply_file(EXAMPLE)
    assert (
        ReferenceIndex.objects.filter(base_content_type__model="ownerscommittee").count()
        == OwnersCommittee.objects.count()
    )

    with CaptureQueriesContext(connection) as queries:
        for model in ReferenceIndex.indexed_models:
            for obj in model._default_manager.all():
                ReferenceIndex.create_or_update_for_object(obj)

    assert not [q for q in queries.captured_queries if q["sql"].startswith(("INSERT", "DELETE"))]
