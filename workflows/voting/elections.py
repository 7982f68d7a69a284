"""Setting up a committee election, owners' ballots on it, and its result reaching the committee.

Only candidates who passed the vetting chain (``CommitteeCandidate.live``: 已通过审查) of the
election's compound can be put on the ballot. Once the result is final, the elected become the
members of a new term's committee record, saved as a draft and put to the committee record's own
chain (where the site configuration attaches one), so the roster changes only by its review.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from content_types.committees.models import (
    MAX_TERM_YEARS,
    CommitteeCandidate,
    CommitteeMember,
    MemberRole,
    OwnersCommittee,
)
from core.civil_code import Matter
from core.civil_code.election import ElectionOutcome

from .models import (
    MAX_CANDIDATES,
    Ballot,
    Channel,
    Election,
    ElectionCandidate,
    Vote,
    VoteResult,
    VotingPolicy,
    election_decision,
    election_of,
)
from .selectors import effective_ballots
from .services import CHOICE_VALUES, VotingError, authenticate_owner, check_accepting, locked

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.contrib.auth.models import AbstractBaseUser

    from content_types.structure.models import CompoundPage


def check_candidates(compound: CompoundPage, candidates: Sequence[CommitteeCandidate]) -> None:
    """Refuse a ballot of candidates who have not all passed vetting in this compound."""
    if not candidates:
        raise VotingError("请至少选择一名候选人。")
    if len(candidates) > MAX_CANDIDATES:
        raise VotingError(f"一张选票最多列 {MAX_CANDIDATES} 名候选人。")
    if len({candidate.pk for candidate in candidates}) != len(candidates):
        raise VotingError("候选人名单中有重复的候选人。")
    others = [c.name for c in candidates if c.compound_id != compound.pk]
    if others:
        raise VotingError(f"候选人“{'、'.join(others)}”不是{compound.title}的业委会人选。")
    unvetted = [c.name for c in candidates if not c.live]
    if unvetted:
        raise VotingError(
            f"候选人“{'、'.join(unvetted)}”尚未通过业委会人选考察（推荐、审核、把关、审查），"
            "不能列入选票。"
        )


@transaction.atomic
def create_election(
    vote: Vote,
    candidates: Sequence[CommitteeCandidate],
    seats: int,
    user: AbstractBaseUser | None,
) -> Vote:
    """Save a draft vote of matter 3 as an election of ``seats`` among ``candidates``.

    The seat order is the site configuration's at this moment, kept with the election.
    """
    check_candidates(vote.compound, candidates)
    if not 1 <= seats <= len(candidates):
        raise VotingError(f"应选名额须在 1 至 {len(candidates)} 名（候选人数）之间。")
    vote.matter = Matter.COMMITTEE_ELECTION.value
    vote.proposal = None
    vote.buildings = []
    vote.created_by_id = user.pk if user is not None else None
    vote.save()
    election = Election.objects.create(
        vote=vote, seats=seats, seat_order=VotingPolicy.current().seat_order
    )
    ElectionCandidate.objects.bulk_create(
        ElectionCandidate(election=election, candidate=candidate, name=candidate.name, position=n)
        for n, candidate in enumerate(candidates, start=1)
    )
    log(vote, "wagtail.create", user=user)
    log(vote, "voting.election", user=user, data={"seats": seats, "candidates": len(candidates)})
    return vote


def check_answers(election: Election, answers: dict[str, str], *, complete: bool) -> dict[str, str]:
    """Answers keyed by candidate, each 同意, 反对 or 弃权; online every candidate is answered,
    a paper ballot may leave one blank (a blank counts as none of the three)."""
    keys = [candidate.key for candidate in election.candidates.all()]
    unknown = set(answers) - set(keys)
    if unknown or any(choice not in CHOICE_VALUES for choice in answers.values()):
        raise VotingError("选票中有无效的候选人或意见，请重新填写。")
    if complete and len(answers) != len(keys):
        raise VotingError("请对每一位候选人选择同意、反对或弃权。")
    return {key: answers[key] for key in keys if key in answers}


@transaction.atomic
def cast_election_ballot(
    vote: Vote, code: str, tail: str, answers: dict[str, str], client_ip: str
) -> Ballot:
    """An owner's answers on every candidate; a later ballot with the same code replaces it."""
    vote = locked(vote)
    check_accepting(vote, timezone.now())
    election = election_of(vote)
    if election is None:
        raise VotingError("本次表决不是业委会选举。")
    elector, voting_code = authenticate_owner(vote, code, tail, client_ip)
    answers = check_answers(election, answers, complete=True)
    previous = effective_ballots().filter(elector=elector, channel=Channel.ONLINE).first()
    return Ballot.objects.create(
        elector=elector,
        choice="",
        answers=answers,
        channel=Channel.ONLINE,
        cast_at=timezone.now(),
        code=voting_code,
        supersedes=previous,
    )


def new_term(start: datetime.date) -> tuple[datetime.date, datetime.date]:
    """A term from ``start`` for the longest the rules allow (the committee may shorten it)."""
    try:
        end = start.replace(year=start.year + MAX_TERM_YEARS)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + MAX_TERM_YEARS, day=28)
    return start, end - datetime.timedelta(days=1)


def draft_new_committee(
    sender: type, vote: Vote, result: VoteResult, user: Any = None, **kwargs: Any
) -> OwnersCommittee | None:
    """The elected as the new term's committee, a draft put to the committee's own review.

    Nothing is drafted when no one was elected or a tie waits for a runoff: the runoff's result
    drafts the committee.
    """
    election = election_of(vote)
    if election is None or election.committee_id is not None:
        return None
    decision = election_decision(result, election)
    if decision.outcome != ElectionOutcome.ELECTED or not decision.elected:
        return None
    author = user or vote.created_by
    chosen = {c.key: c for c in election.candidates.select_related("candidate")}
    start, end = new_term(timezone.localdate(vote.finalised_at))
    committee = OwnersCommittee(compound=vote.compound, term_start=start, term_end=end, live=False)
    committee.members = [
        CommitteeMember(
            name=chosen[key].name,
            role=MemberRole.MEMBER,
            is_party_member=chosen[key].candidate.is_party_member,
            specialty=chosen[key].candidate.specialty,
            sort_order=number,
        )
        for number, key in enumerate(decision.elected)
    ]
    committee.full_clean()
    committee.save()
    committee.save_revision(user=author, log_action=True)
    workflow = committee.get_workflow()
    if workflow is not None:
        workflow.start(committee, author)
    Election.objects.filter(pk=election.pk).update(committee=committee)
    election.committee = committee
    log(vote, "voting.committee_draft", user=user, data={"committee": committee.pk})
    return committee
