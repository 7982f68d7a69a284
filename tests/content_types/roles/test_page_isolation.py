"""Compound pages are a scope boundary: no admin URL shows or changes another compound's drafts.

For every compound role and every kind of content page (a configured disclosure too), a
user of 锦绣花园 (compound_a1) meets a draft of 阳光水岸 (compound_a2, same community) and of
龙山公寓 (compound_b1, other community) nowhere: not in the explorer, the page
chooser, the admin search, the admin API, the site history, nor by any URL
naming the page (moving it, or moving their own page below it, included),
nor in the page types report, and a POST to publish, unpublish or delete it
changes nothing. Their own compound's draft opens for editing. A community
role sees both of its compounds' drafts and nothing of the other community.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from wagtail.log_actions import log
from wagtail.models import Page

from tests.content_types.configured_disclosures.factories import ConfiguredDisclosurePageFactory
from tests.content_types.disclosures.factories import (
    AssetListsPageFactory,
    FeeCollectionPageFactory,
    FinanceStatementPageFactory,
    PropertyServicesPageFactory,
)
from tests.content_types.expenditures.factories import (
    ExpenditureProposalPageFactory,
    UsageReportPageFactory,
)
from tests.content_types.notices.factories import NoticePageFactory

from .test_snippet_isolation import COMMUNITY_ROLES, COMPOUND_ROLES, refused, text

pytestmark = pytest.mark.django_db

KINDS = [
    "notice",
    "finance_statement",
    "fee_collection",
    "asset_lists",
    "property_services",
    "proposal",
    "usage_report",
    "configured",
]
COMPOUNDS = ("compound_a1", "compound_a2", "compound_b1")


def marker(kind: str, compound_key: str) -> str:
    """A title found nowhere else, so a leak of the draft shows up wherever it is."""
    return f"草稿{kind}{compound_key}"


def make_draft(kind: str, compound: Page, title: str) -> Page:
    if kind == "usage_report":
        proposal = ExpenditureProposalPageFactory(parent=compound, title=f"{title}之申请")
        return UsageReportPageFactory(parent=proposal, title=title, live=False)
    factory = {
        "notice": NoticePageFactory,
        "finance_statement": FinanceStatementPageFactory,
        "fee_collection": FeeCollectionPageFactory,
        "asset_lists": AssetListsPageFactory,
        "property_services": PropertyServicesPageFactory,
        "proposal": ExpenditureProposalPageFactory,
        "configured": ConfiguredDisclosurePageFactory,
    }[kind]
    return factory(parent=compound, title=title, live=False)


@pytest.fixture
def drafts(street_tree, kind) -> dict[tuple[str, str], Page]:
    """A draft of the kind under test in compounds a1, a2 and b1, each revised and logged."""
    pages = {}
    for key in COMPOUNDS:
        page = make_draft(kind, getattr(street_tree, key), marker(kind, key))
        page.save_revision()
        log(page, "wagtail.create")
        pages[kind, key] = page
    return pages


def listings(
    client: Any, kind: str, street_tree: Any, drafts_of_kind: list[Page]
) -> list[tuple[str, Any]]:
    """Every admin view that lists pages: explorer, chooser, search, admin API, history."""
    views: list[tuple[str, Any]] = []
    for key in COMPOUNDS:
        compound = getattr(street_tree, key)
        views += [
            (f"explorer {key}", client.get(f"/admin/pages/{compound.pk}/", follow=True)),
            (f"chooser {key}", client.get(f"/admin/choose-page/{compound.pk}/", follow=True)),
            (f"api {key}", client.get("/admin/api/main/pages/", {"child_of": compound.pk})),
        ]
    query = {"q": f"草稿{kind}"}
    views += [
        ("search", client.get("/admin/pages/search/", query)),
        ("search results", client.get("/admin/pages/search/results/", query)),
        ("chooser search", client.get("/admin/choose-page/search/", query)),
        ("api search", client.get("/admin/api/main/pages/", {"search": f"草稿{kind}"})),
        ("site history", client.get(reverse("wagtailadmin_reports:site_history"))),
        ("page types report", client.get(reverse("wagtailadmin_reports:page_types_usage"))),
        *[
            (report, client.get(f"/admin/reports/{report}/"))
            for report in ("locked", "aging-pages", "workflow", "workflow_tasks")
        ],
    ]
    model = type(drafts_of_kind[0])._meta
    views.append(
        ("page type usage", client.get(f"/admin/pages/usage/{model.app_label}/{model.model_name}/"))
    )
    return views


def assert_refused_everywhere(client: Any, page: Page) -> None:
    revision = page.latest_revision
    for path in [
        "/",
        "/edit/",
        "/view_draft/",
        "/history/",
        "/revisions/",
        f"/revisions/{revision.pk}/view/",
        "/workflow_history/",
        "/usage/",
        "/delete/",
        "/unpublish/",
        "/copy/",
        "/move/",
        f"/move/{page.get_parent().pk}/confirm/",
        "/privacy/",
        "/add_subpage/",
    ]:
        response = client.get(f"/admin/pages/{page.pk}{path}", follow=True)
        # Refused, or sent back to the reader's own pages: either way, nothing of this one.
        assert response.status_code in (200, 403, 404), (path, response.status_code)
        assert page.title not in text(response), path
    for response in [
        client.get(f"/admin/choose-page/{page.pk}/"),
        client.get("/admin/choose-page/chosen-multiple/", {"id": [page.pk]}),
    ]:
        assert response.status_code in (200, 404), response.status_code
        assert page.title not in text(response)
    api = client.get(f"/admin/api/main/pages/{page.pk}/")
    assert api.status_code in (403, 404), api.status_code
    assert page.title not in text(api)


def assert_unchanged_after_writes(client: Any, page: Page) -> None:
    revisions = page.revisions.count()
    client.post(f"/admin/pages/{page.pk}/edit/", {"title": "篡改", "action-publish": "1"})
    client.post(f"/admin/pages/{page.pk}/unpublish/")
    client.post(f"/admin/pages/{page.pk}/delete/")
    client.post(f"/admin/pages/{page.pk}/revisions/{page.latest_revision.pk}/revert/")
    after = Page.objects.get(pk=page.pk)
    assert (after.title, after.live, after.revisions.count()) == (page.title, False, revisions)


def run_matrix(client: Any, kind: str, drafts: dict, street_tree: Any, own: list[str]) -> None:
    others = [key for key in COMPOUNDS if key not in own]
    drafts_of_kind = [drafts[kind, key] for key in COMPOUNDS]
    for name, response in listings(client, kind, street_tree, drafts_of_kind):
        # The admin API answers 400 for a parent outside the reader's reach.
        assert response.status_code in (200, 400) or refused(response), name
        for key in others:
            assert marker(kind, key) not in text(response), f"{name} shows {key}"
    for key in own:
        explorer = client.get(f"/admin/pages/{drafts[kind, key].get_parent().pk}/")
        assert marker(kind, key) in explorer.content.decode()
        assert client.get(f"/admin/pages/{drafts[kind, key].pk}/edit/").status_code == 200
    for key in others:
        assert_refused_everywhere(client, drafts[kind, key])
        # Moving one's own draft below another compound's names the destination.
        move = f"/admin/pages/{drafts[kind, own[0]].pk}/move/{drafts[kind, key].pk}/confirm/"
        assert marker(kind, key) not in text(client.get(move, follow=True)), move
        assert_unchanged_after_writes(client, drafts[kind, key])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", COMPOUND_ROLES)
def test_a_compound_role_reaches_its_own_compounds_drafts_only(
    role, kind, street_tree, role_user, drafts, client
):
    client.force_login(role_user(role, street_tree.compound_a1))
    run_matrix(client, kind, drafts, street_tree, own=["compound_a1"])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", COMMUNITY_ROLES)
def test_a_community_role_reaches_its_compounds_drafts_and_nothing_of_another_community(
    role, kind, street_tree, role_user, drafts, client
):
    client.force_login(role_user(role, street_tree.community_a))
    run_matrix(client, kind, drafts, street_tree, own=["compound_a1", "compound_a2"])
