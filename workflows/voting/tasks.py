"""The periodic job that moves votes on when their time comes (beat runs it every minute)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import Objection, Vote, VoteStatus
from .retention import anonymise_vote, votes_due
from .services import VotingError, close_vote, finalise_vote

logger = logging.getLogger(__name__)


@shared_task(name="workflows.voting.tasks.close_due_votes")
def close_due_votes() -> dict[str, int]:
    """Count votes whose close time has passed; finalise those whose objection window is over.

    A vote with an unanswered objection waits for the committee's answer and an explicit
    finalisation; one vote failing never stops the others.
    """
    now = timezone.now()
    done = {"closed": 0, "finalised": 0}
    unanswered = Objection.objects.filter(vote=OuterRef("pk"), responded_at__isnull=True)
    steps = (
        ("closed", close_vote, Vote.objects.filter(status=VoteStatus.OPEN, closes_at__lte=now)),
        (
            "finalised",
            finalise_vote,
            Vote.objects.filter(status=VoteStatus.PRELIMINARY, objection_deadline__lte=now).exclude(
                Exists(unanswered)
            ),
        ),
    )
    for name, step, due in steps:
        for vote in due:
            try:
                step(vote)
            except VotingError:
                logger.exception("Vote %s could not be %s", vote.pk, name)
            else:
                done[name] += 1
    return done


@shared_task(name="workflows.voting.tasks.anonymise_old_votes")
def anonymise_old_votes() -> int:
    """Anonymise the rolls and ballots of votes final for the retention period; how many."""
    due = list(votes_due())
    for vote in due:
        anonymise_vote(vote)
    return len(due)
