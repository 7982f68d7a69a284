"""Load the demo street that ``make run`` shows: structure, and one login per role.

Safe to run again: everything is looked up by slug or username first, so a
second run changes nothing and a newcomer's edits survive a restart.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page, Site

from content_types.governance_tasks.loader import load_governance_tasks
from content_types.roles.models import Role, RoleAssignment
from content_types.structure.models import CommunityPage, CompoundPage, StreetPage
from workflows.chains.setup import (
    COMMUNITY_CONTENT_CHAIN,
    COMPOUND_CONTENT_CHAIN,
    attach,
    ensure_candidate_vetting_chain,
    ensure_expenditure_chains,
    ensure_scoped_chain,
)

DEMO_PASSWORD = "weizhi-demo"  # noqa: S105
# From this amount (yuan) a proposal goes through 四审两公开; below it the committee decides.
EXPENDITURE_THRESHOLD = Decimal("50000.00")

STREET = {"title": "百官街道", "slug": "baiguan", "region": "绍兴市上虞区"}
COMMUNITIES = [
    {
        "title": "凤鸣社区",
        "slug": "fengming",
        "address": "百官街道凤鸣路 88 号",
        "compounds": [
            ("锦绣花园", "jinxiu", "凤鸣路 101 号", 612, "54321.50"),
            ("阳光水岸", "yangguang", "凤鸣路 233 号", 480, "43110.25"),
        ],
    },
    {
        "title": "龙山社区",
        "slug": "longshan",
        "address": "百官街道龙山路 12 号",
        "compounds": [
            ("龙山公寓", "longshan-gongyu", "龙山路 45 号", 256, "21876.00"),
            ("翠竹苑", "cuizhu", "龙山路 160 号", 390, "35502.80"),
        ],
    },
    {
        "title": "江滨社区",
        "slug": "jiangbin",
        "address": "百官街道江滨路 6 号",
        "compounds": [
            ("江滨一品", "jiangbin-yipin", "江滨路 18 号", 720, "68890.40"),
            ("滨江新村", "binjiang", "江滨路 302 号", 332, "26045.70"),
        ],
    },
]
# (username, full name, role, scope slug); the first compound is where the
# compound roles act, a second committee shows that scopes do not overlap.
DEMO_USERS = [
    ("street_office", "街道微治办", Role.STREET_OFFICE, "baiguan"),
    ("community_office", "凤鸣社区微治办", Role.COMMUNITY_OFFICE, "fengming"),
    ("community_party", "凤鸣社区党委", Role.COMMUNITY_PARTY, "fengming"),
    ("compound_party", "锦绣花园党支部", Role.COMPOUND_PARTY, "jinxiu"),
    ("commissioner", "锦绣花园小区专员", Role.COMMISSIONER, "jinxiu"),
    ("committee", "锦绣花园业委会", Role.OWNERS_COMMITTEE, "jinxiu"),
    ("property", "锦绣花园物业", Role.PROPERTY_FIRM, "jinxiu"),
    ("committee_yangguang", "阳光水岸业委会", Role.OWNERS_COMMITTEE, "yangguang"),
]


def add_or_get_child(parent: Page, model: type[Page], slug: str, **fields: Any) -> Page:
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


class Command(BaseCommand):
    help = "载入演示数据：百官街道的社区、小区，以及每个角色的演示账号。"

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        root = Page.get_first_root_node()
        street = add_or_get_child(
            root, StreetPage, STREET["slug"], title=STREET["title"], region=STREET["region"]
        )
        self._point_default_site_at(street)
        for community_data in COMMUNITIES:
            community = add_or_get_child(
                street,
                CommunityPage,
                community_data["slug"],
                title=community_data["title"],
                address=community_data["address"],
            )
            for title, slug, address, households, area in community_data["compounds"]:
                add_or_get_child(
                    community,
                    CompoundPage,
                    slug,
                    title=title,
                    address=address,
                    household_count=households,
                    total_exclusive_area=Decimal(area),
                )
        self._create_users()
        attach(ensure_scoped_chain(*COMMUNITY_CONTENT_CHAIN), CommunityPage.objects.all())
        attach(ensure_scoped_chain(*COMPOUND_CONTENT_CHAIN), CompoundPage.objects.all())
        ensure_candidate_vetting_chain()
        ensure_expenditure_chains(EXPENDITURE_THRESHOLD)
        load_governance_tasks()
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))

    def _point_default_site_at(self, street: StreetPage) -> None:
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost", root_page=street, is_default_site=True, site_name="百官街道"
            )
            return
        if site.root_page_id != street.pk:
            previous = site.root_page
            site.root_page = street
            site.site_name = "百官街道"
            site.save()
            # The placeholder welcome page from Wagtail's initial migration.
            if previous.depth == 2 and not previous.get_children().exists():
                previous.delete()

    def _create_users(self) -> None:
        user_model = get_user_model()
        if not user_model.objects.filter(username="admin").exists():
            user_model.objects.create_superuser(
                "admin", "admin@weizhi.local", DEMO_PASSWORD, first_name="系统管理员"
            )
        for username, name, role, scope_slug in DEMO_USERS:
            user = user_model.objects.filter(username=username).first()
            if user is None:
                user = user_model.objects.create_user(
                    username, f"{username}@weizhi.local", DEMO_PASSWORD, first_name=name
                )
            scope = Page.objects.get(slug=scope_slug)
            RoleAssignment.objects.get_or_create(user=user, role=role, scope=scope)
