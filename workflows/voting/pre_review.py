"""分级决策: a stand-alone vote on a major matter opens only after the community's 前置审核.

The refusal is one small function of the vote-opening path (``services.check_pre_review``);
other conditions on opening sit beside it as functions of their own. The review itself is the
chain the site configuration attaches to ``VotePreReview``: where none is attached, the street
has configured no 前置审核 and votes open as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wagtail.models import WorkflowContentType

from core.civil_code import Matter

from .models import PRE_REVIEWED_MATTERS, VotePreReview

if TYPE_CHECKING:
    from .models import Vote

# A re-run of a vote that failed for want of participation keeps the review of the vote it
# re-runs (the review judged the matter, not the turnout); this many re-runs back at most.
RERUN_DEPTH = 10


def needs_pre_review(vote: Vote) -> bool:
    """A vote the committee opens on its own (no proposal's chain) on matters 1–4 or 9."""
    return vote.proposal_id is None and Matter(vote.matter) in PRE_REVIEWED_MATTERS


def pre_review_configured() -> bool:
    return WorkflowContentType.objects.filter(
        content_type__app_label="voting",
        content_type__model="voteprereview",
        workflow__active=True,
    ).exists()


def reviewed_votes(vote: Vote) -> list[int]:
    """``vote`` and the votes it re-runs, nearest first."""
    ids = [vote.pk]
    current = vote
    while current.rerun_of_id is not None and len(ids) <= RERUN_DEPTH:
        ids.append(current.rerun_of_id)
        current = type(vote).objects.only("pk", "rerun_of").get(pk=current.rerun_of_id)
    return ids


def pre_review_refusal(vote: Vote) -> str | None:
    """Why ``vote`` may not open yet for want of its 前置审核; None when it may."""
    if not needs_pre_review(vote) or not pre_review_configured():
        return None
    matter = Matter(vote.matter)
    ids = reviewed_votes(vote)
    passed = {r.vote_id: r for r in VotePreReview.objects.filter(vote_id__in=ids, live=True)}
    review = next((passed[pk] for pk in ids if pk in passed), None)
    if review is None:
        return (
            f"“第{matter.item}项：{matter.label}”须先经社区前置审核（分级决策），"
            "前置审核通过后才能开启表决。请先在本页提交前置审核。"
        )
    if review.vote_id == vote.pk and review.terms != (vote.matter, vote.title, vote.description):
        return "表决事项在前置审核通过后已修改，请重新提交前置审核，通过后再开启表决。"
    return None
