"""Which chain an expenditure proposal takes: by amount tier, nearest subtree first."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Workflow

from content_types.expenditures.models import ExpenditureProposalPage
from tests.content_types.expenditures.factories import ExpenditureProposalPageFactory
from tests.workflows.chains.chain_setup import (
    COMPOUND_CONTENT_CHAIN,
    attach,
    ensure_expenditure_chains,
    ensure_scoped_chain,
)
from workflows.chains.models import ChainRule

pytestmark = pytest.mark.django_db


def rule(workflow: Workflow, scope=None, min_amount: str | None = None) -> ChainRule:
    return ChainRule.objects.create(
        workflow=workflow,
        content_type=ContentType.objects.get_for_model(ExpenditureProposalPage),
        scope=scope,
        min_amount=Decimal(min_amount) if min_amount is not None else None,
    )


def test_amount_tiers_and_nearest_scope_choose_the_chain(street_tree):
    short = Workflow.objects.create(name="业委会决定")
    long = Workflow.objects.create(name="四审两公开")
    local_long = Workflow.objects.create(name="凤鸣四审两公开")
    notices = ensure_scoped_chain(*COMPOUND_CONTENT_CHAIN)
    attach(notices, [street_tree.street])
    rule(short)
    rule(long, min_amount="50000.00")
    rule(local_long, scope=street_tree.community_a, min_amount="20000.00")

    small_b = ExpenditureProposalPageFactory(
        parent=street_tree.compound_b1, amount=Decimal("49999.99")
    )
    large_b = ExpenditureProposalPageFactory(
        parent=street_tree.compound_b1, amount=Decimal("50000")
    )
    small_a = ExpenditureProposalPageFactory(
        parent=street_tree.compound_a1, amount=Decimal("19999.99")
    )
    large_a = ExpenditureProposalPageFactory(
        parent=street_tree.compound_a1, amount=Decimal("20000")
    )

    assert small_b.get_workflow() == short
    assert large_b.get_workflow() == long
    # The community's own tier wins over the site's; below it no tier of that scope applies.
    assert large_a.get_workflow() == local_long
    assert small_a.get_workflow() == short
    # Pages without rules keep the subtree's chain.
    assert street_tree.compound_a1.get_workflow() == notices


def test_without_rules_the_subtree_chain_applies(street_tree):
    notices = ensure_scoped_chain(*COMPOUND_CONTENT_CHAIN)
    attach(notices, [street_tree.street])
    proposal = ExpenditureProposalPageFactory(parent=street_tree.compound_a1)
    assert proposal.get_workflow() == notices


def test_inactive_chains_are_skipped(street_tree):
    short = Workflow.objects.create(name="业委会决定")
    long = Workflow.objects.create(name="四审两公开", active=False)
    rule(short)
    rule(long, min_amount="50000.00")
    proposal = ExpenditureProposalPageFactory(
        parent=street_tree.compound_a1, amount=Decimal("90000")
    )
    assert proposal.get_workflow() == short


def test_expenditure_chains_are_set_up_once_and_the_threshold_moves(street_tree):
    long, short = ensure_expenditure_chains(Decimal("50000.00"))
    first = set(ChainRule.objects.values_list("pk", flat=True))
    ensure_expenditure_chains(Decimal("50000.00"))
    assert set(ChainRule.objects.values_list("pk", flat=True)) == first

    proposal = ExpenditureProposalPageFactory(
        parent=street_tree.compound_a1, amount=Decimal("30000")
    )
    assert proposal.get_workflow() == short
    assert [t.name for t in long.tasks] == [
        "业委会初审",
        "社区(小区)党组织审核",
        "三方联席会议审议",
        "业主大会审定",
    ]
    ensure_expenditure_chains(Decimal("20000.00"))
    assert proposal.get_workflow() == long
