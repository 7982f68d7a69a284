"""Synthetic data for the voting tally: a units register, its frozen roll, and ballots.

Shared by ``benchmarks.voting_tally`` and the tally tests, so the data the benchmark times is the
data the tests prove is counted right. Usage (Django set up, e.g. inside a test)::

    populate_register(compound, units=200, seed=7)
    vote = open_vote(VoteFactory(compound=compound), user)
    populate_ballots(vote, voters=150, seed=7, clerks=(alice, bob))

The mix is realistic on purpose: about one owner in ten holds two units, 30% vote on paper, 15%
change their answer (online or with a later paper ballot) and 3% have a paper ballot corrected.
Times fall on whole minutes, so equal times (resolved by recording order) do occur.
"""

from __future__ import annotations

import random
import secrets
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from content_types.units.models import Unit, derive_owner_key
from core.civil_code import Choice
from workflows.voting.models import Ballot, Channel, Elector, PaperEntry, Vote, VotingCode

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.contrib.auth.models import AbstractBaseUser

    from content_types.structure.models import CompoundPage

UNITS_PER_BUILDING = 120


def populate_register(compound: CompoundPage, *, units: int, seed: int) -> None:
    rng = random.Random(seed)
    rows: list[Unit] = []
    owner = 0
    while len(rows) < units:
        owner += 1
        phone = f"139{owner:08d}"
        for _ in range(min(2 if rng.random() < 0.1 else 1, units - len(rows))):
            n = len(rows)
            within = n % UNITS_PER_BUILDING
            rows.append(
                Unit(
                    compound=compound,
                    building=f"{n // UNITS_PER_BUILDING + 1}幢",
                    entrance=str(within // 40 + 1),
                    room=f"{within % 40 // 4 + 1}0{within % 4 + 1}",
                    exclusive_area=Decimal(rng.randint(4_000, 16_000)).scaleb(-2),
                    owner_name=f"业主{owner}",
                    owner_phone=phone,
                    owner_key=derive_owner_key(phone),
                )
            )
    Unit.objects.bulk_create(rows, batch_size=2_000)


def populate_ballots(
    vote: Vote, *, voters: int, seed: int, clerks: Sequence[AbstractBaseUser]
) -> None:
    """Ballots from ``voters`` owners of the vote's frozen roll, cast between open and now."""
    rng = random.Random(seed)
    end = min(timezone.now(), vote.closes_at)
    minutes = max(1, int((end - vote.opens_at).total_seconds() // 60))

    def moment(after: int = 0) -> int:
        """A whole minute after opening (and not before ``after``), before now and the close."""
        return rng.randrange(min(after, minutes - 1), minutes)

    def answer() -> str:
        return rng.choices(list(Choice), weights=(60, 25, 15))[0].value

    electors = list(Elector.objects.filter(vote=vote).order_by("pk"))
    chosen = rng.sample(electors, min(voters, len(electors)))
    codes = {
        code.elector_id: code
        for code in VotingCode.objects.bulk_create(
            VotingCode(elector=elector, digest=secrets.token_hex(32)) for elector in chosen
        )
    }
    latest: dict[tuple[int, str], tuple[int, Ballot]] = {}

    def record(specs: list[tuple[Elector, str, int, str, Ballot | None]]) -> None:
        entries = PaperEntry.objects.bulk_create(
            PaperEntry(
                elector=elector,
                choice=choice,
                received_at=vote.opens_at + timedelta(minutes=minute),
                entered_by_id=clerk.pk,
                corrects=corrects,
            )
            for elector, choice, minute, channel, corrects in specs
            if channel == Channel.PAPER
            for clerk in clerks[:2]
        )
        pairs = iter(zip(entries[::2], entries[1::2], strict=True))
        ballots = []
        for elector, choice, minute, channel, supersedes in specs:
            first, second = next(pairs) if channel == Channel.PAPER else (None, None)
            ballots.append(
                Ballot(
                    elector=elector,
                    choice=choice,
                    channel=channel,
                    cast_at=vote.opens_at + timedelta(minutes=minute),
                    code=codes[elector.pk] if channel == Channel.ONLINE else None,
                    first_entry=first,
                    second_entry=second,
                    supersedes=supersedes,
                )
            )
        for (elector, _, minute, channel, _), ballot in zip(
            specs, Ballot.objects.bulk_create(ballots, batch_size=2_000), strict=True
        ):
            latest[(elector.pk, channel)] = (minute, ballot)

    def channel() -> str:
        return Channel.PAPER if rng.random() < 0.3 else Channel.ONLINE

    record([(e, answer(), moment(), channel(), None) for e in chosen])

    changes = []
    for elector in rng.sample(chosen, len(chosen) * 15 // 100):
        how = channel()
        previous = latest.get((elector.pk, Channel.ONLINE)) if how == Channel.ONLINE else None
        after = previous[0] if previous else 0
        changes.append((elector, answer(), moment(after), how, previous and previous[1]))
    record(changes)

    on_paper = [e for e in chosen if (e.pk, Channel.PAPER) in latest]
    record(
        [
            (e, answer(), moment(), Channel.PAPER, latest[(e.pk, Channel.PAPER)][1])
            for e in rng.sample(on_paper, len(on_paper) * 10 // 100)
        ]
    )
