"""业主大会表决: a vote, its frozen electorate, voting codes, ballots, objections and results.

What counts is decided by these rules, stated once here:

* The electorate is copied from the units register when the vote opens (``Elector`` per owner,
  ``ElectorUnit`` per unit); later edits of the register do not touch it.
* Ballots are append-only. A ballot that ``supersedes`` another replaces it and the superseded
  one never counts again: an owner's changed online answer supersedes their previous online
  ballot, and a corrected paper entry supersedes the mis-entered paper ballot.
* Of an owner's ballots that are not superseded, the one cast (online) or received (paper) last
  counts; equal times go to the one recorded later. So paper and online ballots of one owner are
  resolved by time, whichever channel it came through.
* A paper ballot counts only once two different users have entered it identically.

Areas of the frozen electorate are stored in integer hundredths of a square metre: SQLite has no
decimal type and sums NUMERIC columns in floating point, while integer sums are exact on every
database, which the legal thresholds require.
"""

from .ballots import AppendOnlyQuerySet, Ballot, Objection, PaperEntry, ResultStage, VoteResult
from .elections import (
    MAX_CANDIDATES,
    CandidateResult,
    Election,
    ElectionCandidate,
    election_decision,
    election_of,
)
from .reviews import PRE_REVIEWED_MATTERS, VotePreReview
from .votes import (
    CHOICE_CHOICES,
    MATTER_CHOICES,
    AppendOnlyError,
    Channel,
    Elector,
    ElectorUnit,
    Vote,
    VoteStatus,
    VotingCode,
    VotingPolicy,
    centi_to_area,
)

__all__ = [
    "CHOICE_CHOICES",
    "MATTER_CHOICES",
    "AppendOnlyError",
    "MAX_CANDIDATES",
    "PRE_REVIEWED_MATTERS",
    "AppendOnlyQuerySet",
    "Ballot",
    "CandidateResult",
    "Election",
    "ElectionCandidate",
    "Channel",
    "Elector",
    "ElectorUnit",
    "Objection",
    "PaperEntry",
    "ResultStage",
    "Vote",
    "VotePreReview",
    "VoteResult",
    "VoteStatus",
    "VotingCode",
    "VotingPolicy",
    "centi_to_area",
    "election_decision",
    "election_of",
]
