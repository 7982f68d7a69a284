"""A finished committee election where the demo logins are (锦绣花园): seven for five seats.

Seven owners are recommended and pass the vetting chain step by step; the committee sets up
the election, opens it, and the owners answer every candidate online over ten days; it is
counted, its objection window passes, and the final result drafts the new term's committee
for its review — all through the services the admin uses, at the moments they check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from content_types.committees.models import CommitteeCandidate
from content_types.roles.models import Role
from content_types.units.models import Unit
from core.civil_code import Choice
from workflows.voting.codes import phone_tail
from workflows.voting.elections import cast_election_ballot, create_election
from workflows.voting.models import Vote
from workflows.voting.services import issue_codes, open_vote

from .governance import SPECIALTIES, name
from .review import approve_all, person, submit
from .voting import LOOPBACK, close_and_finalise, pre_reviewed, register

if TYPE_CHECKING:
    from content_types.structure.models import CompoundPage

    from .clock import Clock

TITLE = "第三届业主委员会选举"
ELECTION_DAYS_AGO = 75
DAYS = 10
SEATS = 5
# Of each twenty owners, this many take part (the rest stay away).
TURNOUT = 16
# Each candidate's answer from the owners, by the owner's place in twenty: the first five are
# liked by most, the sixth is close, the seventh is not.
FOR_OF_TWENTY = (15, 14, 13, 12, 12, 9, 6)


def load(clock: Clock, compounds: list[CompoundPage]) -> None:
    for compound in compounds:
        if compound.slug == "jinxiu":
            election(clock, compound)


def candidates(clock: Clock, compound: CompoundPage) -> list[CommitteeCandidate]:
    """Seven owners recommended about four months ago, each through the whole vetting chain."""
    recommender = person(compound, Role.COMPOUND_PARTY, Role.OWNERS_COMMITTEE)
    pool = []
    for number in range(len(FOR_OF_TWENTY)):
        candidate_name = name(compound, 60 + number * 3)
        found = CommitteeCandidate.objects.filter(compound=compound, name=candidate_name).first()
        if found is None:
            with clock.at(130 - number):
                found = CommitteeCandidate(
                    compound=compound,
                    name=candidate_name,
                    is_party_member=number % 2 == 0,
                    specialty=SPECIALTIES[number % len(SPECIALTIES)],
                    notes="业主联名推荐，长期参与小区议事协商。",
                )
                found.full_clean()
                found.save()
                submit(found, recommender)
            with clock.at(110 - number):
                approve_all(found, comment="经考察，符合业委会委员人选条件。")
            found.refresh_from_db()
        pool.append(found)
    return pool


def election(clock: Clock, compound: CompoundPage) -> None:
    if Vote.objects.filter(compound=compound, title=TITLE).exists():
        return
    register(compound)
    pool = candidates(clock, compound)
    committee = person(compound, Role.OWNERS_COMMITTEE)
    vote = Vote(
        compound=compound,
        title=TITLE,
        description="业委会任期届满前换届选举；候选人均经推荐、审核、把关、审查。",
        opens_at=clock.moment(ELECTION_DAYS_AGO, hour=9),
        closes_at=clock.moment(ELECTION_DAYS_AGO - DAYS, hour=18),
        objection_days=7,
    )
    with clock.at(ELECTION_DAYS_AGO + 1, hour=9):
        vote = create_election(vote, pool, SEATS, committee)
    pre_reviewed(clock, vote, committee, ELECTION_DAYS_AGO + 1)
    with clock.at(ELECTION_DAYS_AGO, hour=9):
        vote = open_vote(vote, committee)
        issued = issue_codes(vote, committee)
    phones = {
        unit.counted_owner_key: unit.owner_phone for unit in Unit.objects.filter(compound=compound)
    }
    on_ballot = {c.candidate_id: c.key for c in vote.election.candidates.all()}
    keys = [on_ballot[candidate.pk] for candidate in pool]
    answering = [(index % 20, item) for index, item in enumerate(issued) if index % 20 < TURNOUT]
    for day in range(DAYS):
        with clock.at(ELECTION_DAYS_AGO - day, hour=20):
            for place, item in answering[day::DAYS]:
                answers = {
                    key: (Choice.FOR if place < liked else Choice.AGAINST).value
                    for key, liked in zip(keys, FOR_OF_TWENTY, strict=True)
                }
                if place == TURNOUT - 1:  # one in twenty abstains on everyone
                    answers = dict.fromkeys(keys, Choice.ABSTAIN.value)
                tail = phone_tail(phones[item.elector.owner_key])
                cast_election_ballot(vote, item.code, tail, answers, LOOPBACK)
    close_and_finalise(clock, vote, committee)
