"""Storage limitation (个人信息保护法 第十九条): a final vote keeps its figures, not its voters.

``WEIZHI_VOTE_PERSONAL_DATA_YEARS`` after the final result, what ties the roll and the ballots to
persons is removed: owner keys become a number per roll, names, rooms, phone-tail digests and
the link to the register are blanked, code digests replaced, objectors' names blanked. Heads,
areas, choices and which ballot superseded which stay, so a recount gives the published result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from .models import Elector, ElectorUnit, Objection, Vote, VoteStatus, VotingCode

if TYPE_CHECKING:
    from datetime import datetime

ANONYMOUS = "匿名"


def years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def votes_due(now: datetime | None = None) -> QuerySet[Vote]:
    cutoff = years_before(now or timezone.now(), settings.WEIZHI_VOTE_PERSONAL_DATA_YEARS)
    return Vote.objects.filter(
        status=VoteStatus.FINAL, finalised_at__lte=cutoff, anonymised_at__isnull=True
    )


def numbered(prefix: str) -> Concat:
    """``prefix`` and the row's own id: unique, as the keys it replaces were, and meaningless."""
    return Concat(Value(prefix), Cast("pk", CharField()))


@transaction.atomic
def anonymise_vote(vote: Vote) -> None:
    Elector.objects.filter(vote=vote).update(owner_key=numbered(f"{ANONYMOUS}-"))
    ElectorUnit.objects.filter(elector__vote=vote).update(
        unit=None, owner_name="", room="", phone_tail_digest=""
    )
    VotingCode.objects.filter(elector__vote=vote).update(digest=numbered(f"{ANONYMOUS}-{vote.pk}-"))
    Objection.objects.filter(vote=vote).update(submitter="")
    Vote.objects.filter(pk=vote.pk).update(anonymised_at=timezone.now())
