"""The owners' side of a vote: the units register, and ballots cast through the voting services.

A vote of the demo is opened by the committee (freezing the register), its codes issued, each
owner's answer cast online with the code and the last four digits of the registered phone, then
closed and finalised after its objection window, all at the moments the services check. The
register has some owners holding two homes, so the head count and the area measure differ.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from content_types.units.models import Unit
from core.civil_code import Choice, Matter
from workflows.voting.codes import phone_tail
from workflows.voting.forms import VoteForm
from workflows.voting.models import Vote
from workflows.voting.participation import turnout_by_building
from workflows.voting.reminders import send_reminder
from workflows.voting.services import (
    IssuedCode,
    cast_online,
    close_vote,
    finalise_vote,
    issue_codes,
    open_vote,
    submit_pre_review,
)

from .governance import SURNAMES
from .review import DemoError, approve_all

if TYPE_CHECKING:
    from collections.abc import Callable

    from content_types.structure.models import CompoundPage

    from .clock import Clock

HOMES_PER_BUILDING = 60
HOMES_PER_FLOOR = 2
# Every this many homes, the owner of the previous home holds this one too.
SECOND_HOME_EVERY = 15
GIVEN = "明华军英杰芳平静磊燕斌洁勇霞涛娟"
# Of each twenty owners: this many vote for, against, abstain; the rest stay away.
ANSWERS = (Choice.FOR,) * 14 + (Choice.AGAINST,) * 2 + (Choice.ABSTAIN,)
LOOPBACK = "127.0.0.1"


def register(compound: CompoundPage) -> None:
    """The compound's units register, one row per household (kept if it has one already)."""
    if compound.units.exists():
        return
    owner = 0
    for number in range(compound.household_count):
        if number % SECOND_HOME_EVERY != SECOND_HOME_EVERY - 1:
            owner += 1
        building, place = divmod(number, HOMES_PER_BUILDING)
        entrance, place = divmod(place, HOMES_PER_BUILDING // 2)
        floor, door = divmod(place, HOMES_PER_FLOOR)
        unit = Unit(
            compound=compound,
            building=f"{building + 1}幢",
            entrance=str(entrance + 1),
            room=f"{floor + 1}{door + 1:02d}",
            exclusive_area=Decimal(72 + (number * 37) % 69) + Decimal("0.56"),
            owner_name=SURNAMES[owner % len(SURNAMES)] + GIVEN[(owner * 7) % len(GIVEN)],
            owner_phone=f"139{compound.pk:02d}{owner:06d}",
        )
        unit.full_clean(validate_constraints=False)
        unit.save()


def fading(building: str) -> int:
    """Of twenty owners, how many answer in ``building``: most in 1幢, where the committee
    lives, fewer the further away — short of two-thirds overall, as a vote is before 扫楼."""
    return max(6, 17 - int(building.rstrip("幢")))


def open_and_cast(
    clock: Clock,
    vote: Vote,
    committee: Any,
    opened_days_ago: int,
    days: int,
    turnout: int | Callable[[str], int],
) -> Vote:
    """The committee opens the vote; over ``days`` days, ``turnout`` in twenty owners answer
    (the same in every building, or as a function of the building says)."""
    with clock.at(opened_days_ago, hour=9):
        vote = open_vote(vote, committee)
        issued = issue_codes(vote, committee)
    phones = {
        unit.counted_owner_key: unit.owner_phone
        for unit in Unit.objects.filter(compound_id=vote.compound_id)
    }

    def share(item: IssuedCode) -> int:
        if isinstance(turnout, int):
            return turnout
        return turnout(item.elector.units.all()[0].building)

    answering = [
        (item, ANSWERS[index % len(ANSWERS)])
        for index, item in enumerate(issued)
        if index % 20 < share(item)
    ]
    for day in range(days):
        with clock.at(opened_days_ago - day, hour=19):
            for item, choice in answering[day::days]:
                tail = phone_tail(phones[item.elector.owner_key])
                cast_online(vote, item.code, tail, choice, LOOPBACK)
    return vote


def remind_the_furthest_behind(vote: Vote, committee: Any) -> None:
    """The committee posts a reminder in the building furthest from two-thirds (and so on the
    compound's noticeboard and screens, and to the firm and the commissioner)."""
    behind = min(turnout_by_building(vote), key=lambda building: building.heads_percent or 0)
    vote_url = f"{settings.WAGTAILADMIN_BASE_URL}{reverse('voting:detail', args=[vote.pk])}"
    send_reminder(vote, behind.label, committee, vote_url)


def close_and_finalise(clock: Clock, vote: Vote, committee: Any) -> None:
    """Count once the vote has closed, confirm the result once the objection window is over."""
    closed = clock.days_since(timezone.localdate(vote.closes_at)) - 1
    with clock.at(closed, hour=10):
        close_vote(vote, committee)
    vote.refresh_from_db()
    with clock.at(clock.days_since(timezone.localdate(vote.objection_deadline)) - 1, hour=10):
        finalise_vote(vote, committee)


RULES_VOTE = "《业主大会议事规则》修订表决"
RULES_VOTE_DAYS_AGO = 180


def pre_reviewed(clock: Clock, vote: Vote, committee: Any, days_ago: int) -> None:
    """The community office's 前置审核 of a vote the committee calls on its own (分级决策)."""
    with clock.at(days_ago, hour=11):
        review = submit_pre_review(vote, committee)
    with clock.at(days_ago, hour=16):
        approve_all(
            review, comment="事项程序合规、内容符合法律法规和小区实际，同意提交业主大会表决。"
        )


def rules_vote(clock: Clock, compound: CompoundPage, committee: Any) -> None:
    """A vote the committee puts to the owners itself, in the form the voting admin uses."""
    if Vote.objects.filter(compound=compound, title=RULES_VOTE).exists():
        return
    register(compound)
    with clock.at(RULES_VOTE_DAYS_AGO, hour=9) as now:
        form = VoteForm(
            {
                "compound": compound.pk,
                "matter": Matter.ASSEMBLY_RULES.value,
                "title": RULES_VOTE,
                "description": "修订稿已公示十五日，业主意见已吸收。",
                "opens_at": f"{now:%Y-%m-%d} 09:30",
                "closes_at": f"{clock.day(RULES_VOTE_DAYS_AGO - 14):%Y-%m-%d} 18:00",
                "objection_days": 7,
            },
            user=committee,
        )
        if not form.is_valid():
            raise DemoError(f"{compound} 的表决不能保存：{form.errors.as_text()}")
        form.instance.created_by = committee
        vote = form.save()
        log(vote, "wagtail.create", user=committee)
    pre_reviewed(clock, vote, committee, RULES_VOTE_DAYS_AGO)
    vote = open_and_cast(clock, vote, committee, RULES_VOTE_DAYS_AGO - 1, days=12, turnout=15)
    close_and_finalise(clock, vote, committee)
