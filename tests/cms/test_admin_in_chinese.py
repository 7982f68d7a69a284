"""The admin speaks only Chinese and loads nothing from another host, for every role.

Each role walks the pages it works in: the dashboard, the page explorer at each level, the
editor of every page type, every listing in its menu (snippets, settings, reports, workflows,
users, images, documents) with the first item's edit view, the search and the account page.
No English message of Wagtail's from ``admin_strings.txt`` (those these pages showed before the
project's own catalogue in ``locale/`` translated them) may be shown, and no address may point
to another host. When a Wagtail upgrade adds an English string, add its msgid there and its
Chinese to ``locale/zh_Hans/LC_MESSAGES/``.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, Site

from cms.management.commands.load_demo import DEMO_USERS
from content_types.structure.models import CompoundPage
from tests.cms.admin_pages import AdminPage, json_strings, read_messages, shown_pattern
from tests.conftest import ensure_wagtail_root
from tests.content_types.committees import factories as committees
from tests.content_types.disclosures import factories as disclosures
from tests.content_types.expenditures import factories as expenditures
from tests.content_types.firms.factories import PropertyFirmFactory
from tests.content_types.meetings.factories import JointMeetingFactory
from tests.content_types.notices.factories import NoticePageFactory

pytestmark = pytest.mark.django_db

MESSAGES = read_messages(Path(__file__).with_name("admin_strings.txt"))
SHOWN_ENGLISH = {msgid: shown_pattern(msgid) for msgid in MESSAGES["django"]}
ANY_ENGLISH = re.compile("|".join(p.pattern for ps in SHOWN_ENGLISH.values() for p in ps))
SIDEBAR = re.compile(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', re.S)
NOT_WALKED = re.compile(r"/logout/|/delete/|/unpublish/|/export/|/bulk/")
# The superuser, then one login of the demo's for each role.
WALKERS = ["admin", *{role: username for username, _, role, _ in reversed(DEMO_USERS)}.values()]


@pytest.fixture(scope="module")
def admin_site(django_db_setup, django_db_blocker):
    """The demo street with a page of every type and a snippet of every kind in 锦绣花园,
    built once for the module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_wagtail_root()
        call_command("load_demo", stdout=io.StringIO())
        compound = CompoundPage.objects.get(slug="jinxiu")
        NoticePageFactory(parent=compound)
        disclosures.FinanceStatementPageFactory(parent=compound)
        disclosures.FeeCollectionPageFactory(parent=compound)
        disclosures.AssetListsPageFactory(parent=compound)
        disclosures.PropertyServicesPageFactory(parent=compound)
        proposal = expenditures.ExpenditureProposalPageFactory(parent=compound)
        expenditures.UsageReportPageFactory(parent=proposal)
        committees.OwnersCommitteeFactory(compound=compound)
        committees.CommitteeCandidateFactory(compound=compound)
        JointMeetingFactory(compound=compound)
        PropertyFirmFactory().compounds.set([compound])
        Site.clear_site_root_paths_cache()
        yield compound
        transaction.set_rollback(True)
    Site.clear_site_root_paths_cache()


def addresses_to_walk(compound: CompoundPage) -> list[str]:
    """The explorer down to the compound, and the editor of one page of every type."""
    community = compound.get_parent()
    street = community.get_parent()
    explorer = [reverse("wagtailadmin_explore_root")] + [
        reverse("wagtailadmin_explore", args=[page.pk]) for page in (street, community, compound)
    ]
    one_of_each_type = {}
    for page in Page.objects.descendant_of(street, inclusive=True).specific():
        one_of_each_type.setdefault(type(page), page)
    editors = [
        reverse("wagtailadmin_pages:edit", args=[page.pk]) for page in one_of_each_type.values()
    ]
    return [
        reverse("wagtailadmin_home"),
        *explorer,
        *editors,
        reverse("wagtailadmin_pages:add_subpage", args=[compound.pk]),
        reverse("wagtailadmin_pages:search") + "?q=锦绣",
        reverse("wagtailadmin_account"),
    ]


def walk(client: Client, compound: CompoundPage) -> dict[str, AdminPage]:
    """Every fixed address the user may open, then every listing in the user's menu and the
    first item each lists."""
    seen: dict[str, AdminPage] = {}

    def visit(url: str) -> str | None:
        if url in seen or NOT_WALKED.search(url):
            return None
        response = client.get(url, follow=True)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            return None
        html = response.text
        seen[url] = AdminPage(html)
        return html

    home = None
    for url in addresses_to_walk(compound):
        html = visit(url)
        home = home or html
    menu = [
        u
        for u in json_strings(json.loads(SIDEBAR.search(home).group(1)))
        if u.startswith("/admin/")
    ]
    for listing in menu:
        html = visit(listing)
        if html and (
            first := re.search(rf'href="({re.escape(listing)}[^"]*?/?(?:edit/)?\d+/)"', html)
        ):
            visit(first.group(1))
    return seen


def english_shown(page: AdminPage) -> set[str]:
    english = {text for text in set(page.shown) if ANY_ENGLISH.fullmatch(text)}
    return {
        msgid
        for msgid, patterns in SHOWN_ENGLISH.items()
        if any(pattern.fullmatch(text) for pattern in patterns for text in english)
    }


@pytest.fixture(scope="module")
def walks(admin_site, django_db_blocker) -> dict[str, dict[str, AdminPage]]:
    found = {}
    with django_db_blocker.unblock():
        users = get_user_model().objects.in_bulk(WALKERS, field_name="username")
        for username in WALKERS:
            client = Client()
            client.force_login(users[username])
            found[username] = walk(client, admin_site)
    return found


def test_the_catalogue_is_compiled() -> None:
    assert (Path(settings.BASE_DIR) / "locale/zh_Hans/LC_MESSAGES/django.mo").exists(), (
        "先运行 make install（或 make messages）编译 locale/ 下的译文"
    )


@pytest.mark.parametrize("username", WALKERS)
def test_no_english_message_of_wagtail_is_shown(walks, username) -> None:
    pages = walks[username]

    assert len(pages) >= 8, sorted(pages)
    english = {url: found for url, page in pages.items() if (found := english_shown(page))}
    assert english == {}


@pytest.mark.parametrize("username", WALKERS)
def test_nothing_is_loaded_or_linked_from_another_host(walks, username) -> None:
    outside = {
        url: found for url, page in walks[username].items() if (found := page.outside_addresses())
    }

    assert outside == {}


def test_the_superuser_walks_every_part_of_the_admin(walks, admin_site) -> None:
    walked = set(walks["admin"])

    assert set(addresses_to_walk(admin_site)) <= walked
    for part in ("/admin/snippets/", "/admin/reports/", "/admin/workflows/", "/admin/users/"):
        assert any(url.startswith(part) for url in walked), part
    assert len([url for url in walked if re.search(r"/admin/snippets/.+/edit/\d+/", url)]) == 9


def test_the_scripts_catalogue_has_chinese_for_what_the_admin_writes_in_scripts(
    admin_site, django_db_blocker
) -> None:
    client = Client()
    with django_db_blocker.unblock():
        client.force_login(get_user_model().objects.get(username="committee"))
    catalog = client.get(reverse("wagtailadmin_javascript_catalog")).text

    untranslated = [msgid for msgid in MESSAGES["djangojs"] if json.dumps(msgid) not in catalog]
    assert untranslated == []


def test_avatars_load_no_picture_from_here_or_elsewhere(walks) -> None:
    """Avatars are a person's initial (``tests/cms/test_avatars.py``), never a picture (the
    account page's link to its own profile section is no picture)."""
    for username in ("committee", "admin"):
        for url, page in walks[username].items():
            pictures = [src for src in page.loads if "avatar" in src and src[0] != "#"]
            assert not pictures, url


def test_wagtails_default_workflow_is_offered_under_a_chinese_name(walks) -> None:
    shown = {text for page in walks["admin"].values() for text in page.shown}

    assert not [text for text in shown if "Moderators approval" in text]
    assert [text for text in shown if "审核员组审批" in text]
