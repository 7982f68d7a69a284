"""A configured disclosure in review is its compound's and its reviewers' only: another
compound's users (of the same community or another) meet it in no listing, chooser, search,
report or URL, while its own community office has it to review."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import WorkflowState

from content_types.roles.models import Role
from content_types.structure.models import CompoundPage
from tests.content_types.configured_disclosures.factories import ConfiguredDisclosurePageFactory
from tests.workflows.chains.chain_setup import COMPOUND_CONTENT_CHAIN, attach, ensure_scoped_chain

pytestmark = pytest.mark.django_db

TITLE = "锦绣花园电梯维保公示（审核中）"


@pytest.fixture
def in_review(street_tree, role_user):
    attach(ensure_scoped_chain(*COMPOUND_CONTENT_CHAIN), CompoundPage.objects.all())
    author = role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1, "committee_a1")
    role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a2, "committee_a2")
    role_user(Role.PROPERTY_FIRM, street_tree.compound_b1, "property_b1")
    role_user(Role.COMMUNITY_OFFICE, street_tree.community_a, "office_a")
    role_user(Role.COMMUNITY_OFFICE, street_tree.community_b, "office_b")
    page = ConfiguredDisclosurePageFactory(
        parent=street_tree.compound_a1, title=TITLE, slug="in-review", live=False
    )
    page.save_revision(user=author)
    page.get_workflow().start(page, author)
    assert WorkflowState.objects.filter(object_id=str(page.pk), status="in_progress").exists()
    return page


def as_user(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def addresses(page, street_tree) -> list[str]:
    compound = street_tree.compound_a1
    return [
        "/admin/",
        f"/admin/pages/{compound.pk}/",
        f"/admin/choose-page/{compound.pk}/",
        f"/admin/choose-page/search/?q={TITLE[:4]}",
        f"/admin/pages/search/?q={TITLE[:4]}",
        f"/admin/pages/search/results/?q={TITLE[:4]}",
        f"/admin/api/main/pages/?child_of={compound.pk}",
        "/admin/reports/workflow/",
        "/admin/reports/workflow_tasks/",
        f"/admin/pages/{page.pk}/edit/",
        f"/admin/pages/{page.pk}/view_draft/",
        f"/admin/pages/{page.pk}/history/",
        f"/admin/pages/{page.pk}/workflow/history/",
        f"{compound.url}in-review/",
    ]


@pytest.mark.parametrize("username", ["committee_a2", "property_b1", "office_b"])
def test_other_compounds_and_communities_see_nothing_of_it(in_review, street_tree, username):
    client = as_user(username)
    for address in addresses(in_review, street_tree):
        response = client.get(address, follow=True)
        assert response.status_code in (200, 400, 403, 404), (address, response.status_code)
        assert TITLE not in response.content.decode(), address


def test_its_own_community_office_has_it_to_review(in_review, street_tree):
    office = as_user("office_a")
    assert TITLE in office.get("/admin/").text
    assert office.get(f"/admin/pages/{in_review.pk}/edit/").status_code == 200
    author = as_user("committee_a1")
    assert TITLE in author.get(f"/admin/pages/{street_tree.compound_a1.pk}/").text
