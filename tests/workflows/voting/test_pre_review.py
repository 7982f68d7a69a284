"""分级决策: a vote the committee calls on its own on a major matter waits for the 前置审核.

The committee sets up an election (matter 3) and cannot open it: the vote page says why and
offers the 前置审核. Once the community office approves in the chain the site configuration
attaches, the vote opens; a vote on a proposal's chain, or on a matter the community does not
review first, is not held back. The refusal and the submission go through the admin views.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.models import TaskState

from content_types.roles.models import Role
from core.civil_code import Matter
from tests.content_types.committees.factories import CommitteeCandidateFactory
from tests.workflows.chains.chain_setup import attach_to_model, ensure_scoped_chain
from workflows.voting.elections import create_election
from workflows.voting.models import Vote, VotePreReview, VoteStatus
from workflows.voting.services import VotingError, open_vote

from .factories import VoteFactory

pytestmark = pytest.mark.django_db

PRE_REVIEW_CHAIN = ("表决事项前置审核", [("社区微治办前置审核", Role.COMMUNITY_OFFICE)])
REFUSED = "须先经社区前置审核（分级决策），前置审核通过后才能开启表决"


@pytest.fixture
def pre_review_chain():
    workflow = ensure_scoped_chain(*PRE_REVIEW_CHAIN)
    attach_to_model(workflow, VotePreReview)
    return workflow


@pytest.fixture
def election(compound, committee, roll):
    candidates = [
        CommitteeCandidateFactory(compound=compound, name=name, live=True)
        for name in ("周立新", "吴海燕", "郑文斌")
    ]
    vote = VoteFactory.build(compound=compound, title="第三届业主委员会换届选举")
    return create_election(vote, candidates, 2, committee)


def detail(client, vote: Vote) -> str:
    return client.get(reverse("voting_admin:detail", args=[vote.pk])).content.decode()


def approve(client, review: VotePreReview):
    state = TaskState.objects.for_instance(review).get(status=TaskState.STATUS_IN_PROGRESS)
    url = reverse(
        VotePreReview.snippet_viewset.get_url_name("workflow_action"),
        args=[review.pk, "approve", state.pk],
    )
    return client.post(url, {"comment": "程序合规，同意提交业主大会表决。"})


def test_a_committee_election_opens_only_after_its_pre_review_passes(
    pre_review_chain, election, committee, role_user, street_tree, client
):
    client.force_login(committee)
    opened = client.post(reverse("voting_admin:open", args=[election.pk]), follow=True)
    assert REFUSED in opened.content.decode()
    assert Vote.objects.get(pk=election.pk).status == VoteStatus.DRAFT
    assert "提交社区前置审核" in detail(client, election)

    client.post(reverse("voting_admin:pre_review", args=[election.pk]))
    review = VotePreReview.objects.get(vote=election)
    assert not review.live and review.workflow_in_progress
    with pytest.raises(VotingError, match=REFUSED):  # still under review
        open_vote(election, committee)

    office = role_user(Role.COMMUNITY_OFFICE, street_tree.community_a)
    client.force_login(office)
    assert approve(client, review).status_code == 302
    assert VotePreReview.objects.get(pk=review.pk).live

    client.force_login(committee)
    client.post(reverse("voting_admin:open", args=[election.pk]))
    assert Vote.objects.get(pk=election.pk).status == VoteStatus.OPEN


def test_a_vote_changed_after_its_pre_review_must_be_reviewed_again(
    pre_review_chain, election, committee, role_user, street_tree, client
):
    client.force_login(committee)
    client.post(reverse("voting_admin:pre_review", args=[election.pk]))
    client.force_login(role_user(Role.COMMUNITY_OFFICE, street_tree.community_a))
    approve(client, VotePreReview.objects.get(vote=election))
    Vote.objects.filter(pk=election.pk).update(title="第三届业主委员会换届选举（修改）")

    with pytest.raises(VotingError, match="前置审核通过后已修改，请重新提交前置审核"):
        open_vote(Vote.objects.get(pk=election.pk), committee)


def test_only_stand_alone_votes_on_matters_one_to_four_and_nine_wait(
    pre_review_chain, compound, committee, roll
):
    rebuild = open_vote(VoteFactory(compound=compound, matter=Matter.REBUILD.value), committee)
    assert rebuild.status == VoteStatus.OPEN
    firm = VoteFactory(compound=compound, matter=Matter.PROPERTY_MANAGER.value)
    with pytest.raises(VotingError, match="第4项：选聘和解聘物业服务企业或者其他管理人"):
        open_vote(firm, committee)


def test_a_pre_review_sent_back_is_submitted_again_with_the_amended_terms(
    pre_review_chain, election, committee, role_user, street_tree, client
):
    client.force_login(committee)
    client.post(reverse("voting_admin:pre_review", args=[election.pk]))
    review = VotePreReview.objects.get(vote=election)
    office = role_user(Role.COMMUNITY_OFFICE, street_tree.community_a)
    client.force_login(office)
    state = TaskState.objects.for_instance(review).get(status=TaskState.STATUS_IN_PROGRESS)
    client.post(
        reverse(
            VotePreReview.snippet_viewset.get_url_name("workflow_action"),
            args=[review.pk, "reject", state.pk],
        ),
        {"comment": "请补充换届工作方案。"},
    )
    client.force_login(committee)
    assert REFUSED in detail(client, election)

    Vote.objects.filter(pk=election.pk).update(description="换届工作方案已公示。")
    client.post(reverse("voting_admin:pre_review", args=[election.pk]))
    review = VotePreReview.objects.get(vote=election)
    assert review.workflow_in_progress and review.description == "换届工作方案已公示。"
    client.force_login(office)
    approve(client, review)

    assert open_vote(Vote.objects.get(pk=election.pk), committee).status == VoteStatus.OPEN
