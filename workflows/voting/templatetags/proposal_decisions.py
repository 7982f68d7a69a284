from django import template
from wagtail.models import Page

from workflows.voting.decisions import ProposalDecision, proposal_decision

register = template.Library()


@register.simple_tag(name="proposal_decision")
def proposal_decision_tag(proposal: Page) -> ProposalDecision | None:
    return proposal_decision(proposal)
