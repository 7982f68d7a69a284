"""Owners see what they vote on: a proposal put to the vote is public while the vote is open."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from content_types.expenditures.models import ExpenditureProposalPage
from tests.workflows.voting.factories import codes_by_unit
from workflows.voting.services import issue_codes, open_vote

from .expenditure import draft, through_to_vote
from .factories import OWNER_HOMES, roll_units
from .test_expenditure_chain import run_vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_vote(street_tree, people, chains):
    compound = street_tree.compound_a1
    roll_units(compound)
    page = draft(compound)
    return page, through_to_vote(page, people, compound)


def test_the_proposal_is_public_from_the_moment_its_vote_opens(at_vote, people):
    page, vote = at_vote
    owner = Client()
    url = reverse("voting:proposal", args=[vote.pk])
    assert owner.get(url).status_code == 404  # the vote is still a draft

    vote = open_vote(vote, people["chair"])
    html = owner.get(url).content.decode()
    assert "3幢电梯维修" in html and "表决中" in html
    assert page.purpose in html and "80000.00" in html
    assert page.quotes.first().supplier in html
    for step in ("业委会初审", "社区(小区)党组织审核", "三方联席会议审议"):
        assert step in html
    # Who reviewed, and what they wrote, is not the owners' business.
    for username in ("chair_a1", "firm_a1", "office_a", "drafter"):
        assert username not in html
    assert url in owner.get(reverse("voting:detail", args=[vote.pk])).content.decode()
    compound_page = owner.get(vote.compound.url).content.decode()
    assert "正在表决" in compound_page and url in compound_page

    # Still unpublished: the API's published-only rule is unchanged.
    assert not ExpenditureProposalPage.objects.get(pk=page.pk).live


def test_once_decided_the_address_leads_to_the_published_proposal(at_vote, people):
    page, vote = at_vote
    run_vote(vote, people["chair"], dict.fromkeys(OWNER_HOMES, "for"))
    page = ExpenditureProposalPage.objects.get(pk=page.pk)
    response = Client().get(reverse("voting:proposal", args=[vote.pk]))
    assert response.status_code == 302 and response["Location"] == page.url


def test_a_closed_vote_shows_no_undecided_proposal(at_vote, people):
    page, vote = at_vote
    vote = open_vote(vote, people["chair"])
    codes_by_unit(issue_codes(vote, people["chair"]))
    vote.status = "preliminary"
    vote.save(update_fields=["status"])
    assert Client().get(reverse("voting:proposal", args=[vote.pk])).status_code == 404
