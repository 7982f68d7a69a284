from django import template
from wagtail.models import Page

from workflows.voting.decisions import (
    ProposalDecision,
    ProposalRecord,
    proposal_decision,
    proposal_records,
    proposal_votes,
)
from workflows.voting.models import Vote

register = template.Library()


@register.simple_tag(name="proposal_decision")
def proposal_decision_tag(proposal: Page) -> ProposalDecision | None:
    return proposal_decision(proposal)


@register.simple_tag(name="proposal_votes")
def proposal_votes_tag(proposal: Page) -> list[Vote]:
    return proposal_votes(proposal)


@register.simple_tag(name="proposal_record")
def proposal_record_tag(proposal: Page) -> ProposalRecord:
    """The decision and each step of the chain, for the proposal's own page."""
    return proposal_records([proposal])[proposal.pk]
