"""重新表决: a vote that closed without the owners' participation, put to them again.

Only a vote whose final result failed for want of participation (fewer than two-thirds of the
owners or of the area took part) can be re-run: a result the owners passed or turned down
stands, and a vote still open or in its objection window is not over yet. The re-run is a new
vote of the same proposal and matter, a draft until its organisers open it, which freezes the
roll again from the units register as it is then. The old vote, its roll and its results stay
as they are; the new one names it (``Vote.rerun_of``), and each vote is re-run at most once.

A proposal whose review chain waited on the vote goes back to the owners' assembly step, not
to the start: the reviews it passed judged the proposal, which has not changed, not the
turnout. The chain follows through ``signals.vote_rerun``, whose receiver refuses when the
proposal was changed or resubmitted since.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from content_types.roles.models import Role
from content_types.roles.scope import is_active_superuser, user_holds_role_over
from core.civil_code import Outcome

from .models import ResultStage, Vote, VoteStatus
from .services import VotingError, locked, when
from .signals import vote_rerun

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

ROUND = re.compile(r"（第\d+次表决）$")


def may_rerun(user: AbstractBaseUser, vote: Vote) -> bool:
    """The committee and the community office over the vote's compound (and superusers)."""
    return is_active_superuser(user) or user_holds_role_over(
        user, vote.compound, Role.VOTE_RERUNNERS
    )


def rerun_refusal(vote: Vote) -> str:
    """Why ``vote`` cannot be re-run, in the organisers' words; empty when it can."""
    if vote.status == VoteStatus.DRAFT:
        return "该表决尚未开启，无需重新表决。"
    if vote.status == VoteStatus.OPEN:
        return "表决仍在进行中，截止计票并确认最终结果后，才能判断是否需要重新表决。"
    if vote.status == VoteStatus.PRELIMINARY:
        return "异议期内结果尚未最终确认，确认最终结果后才能重新表决。"
    rerun = Vote.objects.filter(rerun_of=vote).first()
    if rerun is not None:
        return f"该表决已于{when(rerun.created_at)}发起重新表决（“{rerun.title}”），不能重复发起。"
    result = vote.results.filter(stage=ResultStage.FINAL).order_by("-pk").first()
    if result is None:
        return "该表决没有最终结果，不能重新表决。"
    if result.outcome == Outcome.PASSED:
        return "该表决已通过，不能重新表决。"
    if result.outcome != Outcome.FAILED_PARTICIPATION:
        return (
            "该表决参与表决的业主人数和面积均已达到三分之二，是经表决未获同意，"
            "不能以重新表决代替；如需再议，请修改申请后重新提交审核。"
        )
    return ""


def round_of(vote: Vote) -> int:
    """Which time the matter is put to the owners: 1 for a first vote, 2 for its re-run..."""
    rounds = 1
    while vote.rerun_of_id is not None:
        vote = Vote.objects.only("rerun_of_id").get(pk=vote.rerun_of_id)
        rounds += 1
    return rounds


@transaction.atomic
def rerun_vote(vote: Vote, user: AbstractBaseUser) -> Vote:
    """A new draft vote of the same proposal and matter; the old one and its result stay."""
    vote = locked(vote)
    if not may_rerun(user, vote):
        raise VotingError("只有本小区的业委会或社区微治办可以发起重新表决。")
    refusal = rerun_refusal(vote)
    if refusal:
        raise VotingError(refusal)
    now = timezone.now()
    title = f"{ROUND.sub('', vote.title)}（第{round_of(vote) + 1}次表决）"
    rerun = Vote.objects.create(
        compound_id=vote.compound_id,
        proposal_id=vote.proposal_id,
        rerun_of=vote,
        matter=vote.matter,
        title=title[:200],
        description=vote.description,
        buildings=vote.buildings,
        opens_at=now,
        closes_at=now + (vote.closes_at - vote.opens_at),
        objection_days=vote.objection_days,
        created_by_id=user.pk,
    )
    log(vote, "voting.rerun", user=user, data={"rerun": rerun.pk})
    log(rerun, "wagtail.create", user=user, data={"rerun_of": vote.pk})
    vote_rerun.send(sender=Vote, vote=rerun, previous=vote, user=user)
    return rerun
