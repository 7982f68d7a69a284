"""Read-side queries of the vote: the tally, and what each user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Aggregate, Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from content_types.roles.permissions import ALL_ACTIONS, scope_policy_for
from content_types.structure.public import hidden_paths, public_pages
from core.civil_code import Choice, Measure, TallyCounts

from .models import Ballot, Elector, Vote, VoteStatus, centi_to_area

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

_GROUPS: dict[str, Q | None] = {
    "eligible": None,
    "participating": Q(choice__isnull=False),
    **{choice.value: Q(choice=choice.value) for choice in Choice},
}


def effective_ballots() -> QuerySet[Ballot]:
    """The ballots that may count: those no later ballot supersedes, latest cast first."""
    superseded = Ballot.objects.filter(supersedes=OuterRef("pk"))
    return Ballot.objects.filter(~Exists(superseded)).order_by("-cast_at", "-pk")


def count_votes(vote: Vote) -> TallyCounts:
    """Count the vote in one SQL query, one head and the held area per owner.

    Each owner's counting ballot is picked by a correlated subquery (latest cast, not
    superseded); conditional aggregates then sum heads and area per answer. Nothing is looped
    over in Python, so the cost stays in the database whatever the size of the compound.
    """
    choice = Subquery(effective_ballots().filter(elector=OuterRef("pk")).values("choice")[:1])
    aggregates: dict[str, Aggregate | Coalesce] = {}
    for name, condition in _GROUPS.items():
        aggregates[f"{name}_heads"] = Count("pk", filter=condition)
        aggregates[f"{name}_area"] = Coalesce(Sum("area_centi", filter=condition), 0)
    totals = Elector.objects.filter(vote=vote).annotate(choice=choice).aggregate(**aggregates)

    def measure(name: str) -> Measure:
        return Measure(totals[f"{name}_heads"], centi_to_area(totals[f"{name}_area"]))

    return TallyCounts(
        eligible=measure("eligible"),
        participating=measure("participating"),
        for_=measure(Choice.FOR),
        against=measure(Choice.AGAINST),
        abstain=measure(Choice.ABSTAIN),
    )


def managed_votes(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Vote]:
    """Votes of the compounds the user manages; everything else is a 404 for them."""
    return scope_policy_for(Vote).instances_user_has_any_permission_for(user, ALL_ACTIONS)


def public_votes() -> QuerySet[Vote]:
    """Votes owners may see: opened ones of public compounds, never drafts.

    A compound that is restricted, unpublished or expired, or under one that is, hides its
    votes as it hides its pages (``content_types.structure.public``).
    """
    now = timezone.now()
    votes = Vote.objects.exclude(status=VoteStatus.DRAFT)
    return public_pages(votes, now, hidden_paths(now), prefix="compound__")
