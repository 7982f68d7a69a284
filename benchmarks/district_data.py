"""A district for ``benchmarks.district_scale``: streets, communities, compounds, their notices
and current disclosures, and the screens that poll them.

By default 20 streets, 200 communities, 2,000 compounds with 20 notices, a finance statement
and a fee collection each, five notices per community, five screens per compound and one per
community: about 47,000 pages and 10,200 screens.

The rows are written in bulk. Adding pages one at a time through treebeard and revisions costs
tens of milliseconds a page, so the district alone would take the better part of an hour to
build; instead each page is written as ``Page.save`` would write it — a treebeard path, depth and
child count, a URL path, live with its publication dates, its own translation key — as a batch
of Wagtail page rows followed by a batch of its type's own rows (and a disclosure's lines). The
pages have no revisions yet, as pages created by a data migration; the benchmark's side process
edits and publishes them through the real path, which creates their revisions.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from api.models import TOKEN_PREFIX, Screen, hash_token
from content_types.disclosures.models import (
    BuildingCollection,
    FeeCollectionPage,
    FinanceLine,
    FinanceStatementPage,
)
from content_types.notices.models import NoticePage
from content_types.structure.models import CommunityPage, CompoundPage, StreetPage

from .screen_data import (
    BUILDINGS,
    CATEGORIES,
    FINANCE_LINES,
    SUBJECTS,
    fee_fields,
    statement_fields,
)

BATCH = 2000


@dataclass
class District:
    """What the benchmark needs to play the screens: scopes, their notices and the tokens."""

    compounds: list[tuple[int, str, str]] = field(default_factory=list)  # id, path, slug
    communities: list[tuple[int, str, list[str]]] = field(default_factory=list)  # id, path, slugs
    # Each screen's token and the compound slugs it shows (a community's: all of its compounds).
    screens: list[tuple[str, list[str]]] = field(default_factory=list)
    pages: int = 0


class _Tree:
    """Pages in memory with their treebeard paths, written in bulk by ``write``."""

    def __init__(self) -> None:
        self.locale_id = Locale.get_default().pk
        self.content_types: dict[type[Page], int] = {}
        self.pending: list[Page] = []
        self.now = timezone.now().replace(microsecond=0)

    def child(self, parent: Page, model: type[Page], **values: Any) -> Page:
        parent.numchild += 1
        depth = parent.depth + 1
        if model not in self.content_types:
            self.content_types[model] = ContentType.objects.get_for_model(model).pk
        published = values.pop("published_at", self.now)
        page = model(
            path=Page._get_path(parent.path, depth, parent.numchild),  # noqa: SLF001 - treebeard's own
            depth=depth,
            numchild=0,
            url_path=f"{parent.url_path}{values['slug']}/",
            draft_title=values["title"],
            live=True,
            has_unpublished_changes=False,
            first_published_at=published,
            last_published_at=published,
            locale_id=self.locale_id,
            content_type_id=self.content_types[model],
            **values,
        )
        self.pending.append(page)
        return page

    def write(self) -> int:
        """Wagtail's page rows, then each type's own rows; returns how many pages."""
        pages, self.pending = self.pending, []
        names = [f.attname for f in Page._meta.concrete_fields if not f.primary_key]
        bases = [Page(**{name: getattr(page, name) for name in names}) for page in pages]
        Page.objects.bulk_create(bases, batch_size=BATCH)
        by_model: dict[type[Page], list[Page]] = {}
        for page, base in zip(pages, bases, strict=True):
            page.id = page.page_ptr_id = base.pk
            by_model.setdefault(type(page), []).append(page)
        for model, objs in by_model.items():
            fields = model._meta.local_concrete_fields
            for start in range(0, len(objs), BATCH):
                # What Model.save runs for a subclass's own table, for many rows at once.
                model._base_manager._insert(objs[start : start + BATCH], fields=fields)  # noqa: SLF001
        return len(pages)


def _numchild(pages: list[Page]) -> None:
    """The child counts ``_Tree.child`` kept in memory, written in one statement per count."""
    by_count: dict[int, list[int]] = {}
    for page in pages:
        by_count.setdefault(page.numchild, []).append(page.pk)
    for count, ids in by_count.items():
        Page.objects.filter(pk__in=ids).update(numchild=count)


def _notice(tree: _Tree, parent: Page, n: int, *, hours_ago: int) -> Page:
    title, summary = SUBJECTS[n % len(SUBJECTS)]
    return tree.child(
        parent,
        NoticePage,
        title=f"{title}（第{n + 1}号）",
        slug=f"notice-{n + 1}",
        category=CATEGORIES[n % len(CATEGORIES)],
        summary=summary,
        body=[("paragraph", f"<p>{summary}</p>")],
        pinned=n < 2,
        published_at=tree.now - timedelta(hours=hours_ago),
    )


def _disclosures(tree: _Tree, compound: Page) -> tuple[Page, Page]:
    statement = tree.child(compound, FinanceStatementPage, **statement_fields())
    return statement, tree.child(compound, FeeCollectionPage, **fee_fields())


def build_district(
    *,
    compounds: int = 2000,
    per_community: int = 10,
    per_street: int = 10,
    notices: int = 20,
    community_notices: int = 5,
    screens_per_compound: int = 5,
    screens_per_community: int = 1,
) -> District:
    """Build the district under the tree's root, in one transaction per batch of pages."""
    district = District()
    root = Page.get_first_root_node()
    communities_count = max(1, compounds // per_community)
    streets_count = max(1, communities_count // per_street)
    with transaction.atomic():
        tree = _Tree()
        streets = [
            tree.child(root, StreetPage, title=f"第{s + 1}街道", slug=f"street-{s + 1}")
            for s in range(streets_count)
        ]
        communities = [
            tree.child(
                streets[c % streets_count],
                CommunityPage,
                title=f"第{c + 1}社区",
                slug=f"community-{c + 1}",
            )
            for c in range(communities_count)
        ]
        compound_pages = [
            tree.child(
                communities[n % communities_count],
                CompoundPage,
                title=f"第{n + 1}小区",
                slug=f"compound-{n + 1}",
                address=f"示范路 {n + 1} 号",
                household_count=360,
                total_exclusive_area=Decimal("36210.50"),
            )
            for n in range(compounds)
        ]
        district.pages += tree.write()
        for community in communities:
            for n in range(community_notices):
                _notice(tree, community, n, hours_ago=n * 5 + 2)
        disclosures = []
        for number, compound in enumerate(compound_pages):
            for n in range(notices):
                _notice(tree, compound, n, hours_ago=n * 3 + number % 3 + 1)
            disclosures.append(_disclosures(tree, compound))
            if len(tree.pending) >= 5 * BATCH:
                district.pages += tree.write()
        district.pages += tree.write()
        FinanceLine.objects.bulk_create(
            [
                FinanceLine(
                    page_id=statement.pk,
                    sort_order=i,
                    direction=d,
                    category=c,
                    description=s,
                    amount=Decimal(a),
                )
                for statement, _ in disclosures
                for i, (d, c, s, a) in enumerate(FINANCE_LINES)
            ],
            batch_size=BATCH,
        )
        BuildingCollection.objects.bulk_create(
            [
                BuildingCollection(
                    page_id=fees.pk,
                    sort_order=i,
                    building=name,
                    households_total=total,
                    households_paid=paid,
                    amount_due=Decimal(total * 1200),
                    amount_collected=Decimal(paid * 1200),
                )
                for _, fees in disclosures
                for i, (name, total, paid) in enumerate(BUILDINGS)
            ],
            batch_size=BATCH,
        )
        _numchild([root, *streets, *communities, *compound_pages])
        # Wagtail's API v2 lists the pages of the site a request is for: the whole tree here.
        Site.objects.filter(is_default_site=True).update(root_page=root)

        screens: list[Screen] = []
        slugs_of: dict[str, list[str]] = {community.path: [] for community in communities}
        for compound in compound_pages:
            district.compounds.append((compound.pk, compound.path, compound.slug))
            slugs_of[compound.path[: -Page.steplen]].append(compound.slug)
        for compound in compound_pages:
            for n in range(screens_per_compound):
                screens.append(
                    _screen(district, compound, f"{compound.title}{n + 1}号屏", [compound.slug])
                )
        for community in communities:
            district.communities.append((community.pk, community.path, slugs_of[community.path]))
            for n in range(screens_per_community):
                screens.append(
                    _screen(
                        district,
                        community,
                        f"{community.title}{n + 1}号屏",
                        slugs_of[community.path],
                    )
                )
        Screen.objects.bulk_create(screens, batch_size=BATCH)
    return district


def _screen(district: District, scope: Page, name: str, slugs: list[str]) -> Screen:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    district.screens.append((token, slugs))
    return Screen(name=name, scope_id=scope.pk, token_hash=hash_token(token))
