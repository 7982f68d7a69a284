"""Two years of committee trainings and annual evaluations (measure 7), as the community keeps them.

Each current committee's members attended two trainings last year and, all but the last two,
one this year (so the dashboard shows who is still due); every member has an evaluation for each
of the last two years. In the first compound one member was graded 不称职 last year, which opened
the withdrawal step the community has yet to start; in the second, an earlier 不称职 withdrawal
was started.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from wagtail.log_actions import log

from content_types.committees.evaluations import follow_up
from content_types.committees.models import (
    EvaluationGrade,
    MemberEvaluation,
    OwnersCommittee,
    TrainingAttendance,
    TrainingSession,
    WithdrawalStatus,
)
from content_types.roles.models import Role

from .review import person

if TYPE_CHECKING:
    from content_types.structure.models import CompoundPage

    from .clock import Clock

# (month, day, topic, organiser) of last year's trainings.
LAST_YEAR = (
    (4, 18, "《民法典》物业管理相关条款解读", "街道党工委、社区党委"),
    (10, 22, "业主大会议事规则与大额资金“四审两公开”实务", "社区党委、社区微治办"),
)
THIS_YEAR_TOPIC = "业委会成员履职能力提升培训"
GRADES = (
    EvaluationGrade.EXCELLENT,
    EvaluationGrade.COMPETENT,
    EvaluationGrade.COMPETENT,
    EvaluationGrade.BASICALLY_COMPETENT,
)


def load(clock: Clock, compounds: list[CompoundPage]) -> None:
    for index, compound in enumerate(compounds):
        committee = (
            OwnersCommittee.objects.filter(compound=compound, live=True)
            .current(clock.today)
            .order_by("-pk")
            .first()
        )
        if committee is None or MemberEvaluation.objects.filter(compound=compound).exists():
            continue
        members = list(committee.members.order_by("sort_order"))
        if not members:
            continue
        recorder = person(compound, Role.COMMUNITY_PARTY)
        year = clock.today.year
        for month, day, topic, organiser in LAST_YEAR:
            training(
                compound, datetime.date(year - 1, month, day), topic, organiser, members, recorder
            )
        this_year = max(clock.day(40), datetime.date(year, 1, 1))
        training(compound, this_year, THIS_YEAR_TOPIC, "社区党委", members[:-2], recorder)
        for evaluated in (year - 2, year - 1):
            for number, member in enumerate(members):
                grade = GRADES[(number + evaluated) % len(GRADES)]
                if index < 2 and number == len(members) - 1 and evaluated == year - 1 - index:
                    grade = EvaluationGrade.INCOMPETENT
                evaluation = MemberEvaluation(
                    compound=compound,
                    member=member,
                    year=evaluated,
                    grade=grade,
                    notes="社区党组织牵头，结合业主评议和履职记录综合评定。",
                )
                evaluation.full_clean()
                evaluation.save()
                log(evaluation, "wagtail.create", user=recorder)
                withdrawal = follow_up(evaluation, recorder)
                if withdrawal is not None and evaluated == year - 2:
                    withdrawal.status = WithdrawalStatus.STARTED
                    withdrawal.started_on = datetime.date(year - 1, 2, 20)
                    withdrawal.notes = "社区已约谈本人，按辞职承诺办理退出，提请业主大会更换委员。"
                    withdrawal.full_clean()
                    withdrawal.save()
                    log(withdrawal, "wagtail.edit", user=recorder)


def training(
    compound: CompoundPage,
    date: datetime.date,
    topic: str,
    organiser: str,
    members: list,
    recorder: object = None,
) -> None:
    session = TrainingSession(compound=compound, date=date, topic=topic, organiser=organiser)
    session.full_clean()
    session.save()
    TrainingAttendance.objects.bulk_create(
        TrainingAttendance(session=session, member=member, member_name=member.name)
        for member in members
    )
    log(session, "wagtail.create", user=recorder)
