"""Two finished half-years of firm evaluation (培育优质物业), so the street's ranking shows a trend.

In each half-year, owners of one compound of each firm (锦绣花园, 阳光水岸, 翠竹苑) answer the
satisfaction survey over two weeks — online with the codes the committee printed, some on paper
keyed twice — the committee and the community evaluate each firm against the service standards
it disclosed, and the street closes the period: every firm is scored, ranked and the 优质物业
listed. 锦程 improves, 安居 holds, 江城 slips. All through the services the admin uses.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from content_types.disclosures.models import PropertyServicesPage, ServiceItem
from content_types.evaluations.models import EvaluationPeriod, Evaluator, Survey
from content_types.evaluations.services import close_period, disclosed_standards, save_evaluation
from content_types.roles.models import Role
from content_types.units.models import Unit
from workflows.surveys.services import (
    PaperAnswerInput,
    answer_online,
    enter_paper_answer,
    issue_codes,
    open_survey,
)
from workflows.voting.codes import phone_tail

from .disclosures import published
from .review import person
from .voting import LOOPBACK, register

if TYPE_CHECKING:
    from content_types.firms.models import PropertyFirm
    from content_types.structure.models import CompoundPage

    from .clock import Clock

# The compound surveyed for each firm, and the mean points (20–100) its owners give in the
# older and the newer half-year.
SURVEYED = {"jinxiu": (80, 89), "yangguang": (79, 79), "cuizhu": (77, 66)}
# How the committee and the community see the same firms (the others: 75 both times).
EVALUATED = {"jinxiu": (82, 90), "yangguang": (80, 78), "cuizhu": (76, 64)}
SURVEY_DAYS = 14
# Of each fifteen units, these answer online and on paper; the rest do not.
ONLINE_OF_FIFTEEN = 6
PAPER_OF_FIFTEEN = 1


def load(clock: Clock, compounds: list[CompoundPage]) -> None:
    for index, (start, end) in enumerate(clock.half_years(2)):
        title = f"{start.year}年{'上' if start.month == 1 else '下'}半年"
        if EvaluationPeriod.objects.filter(title=title).exists():
            continue
        with clock.at(clock.days_since(start)):
            period = EvaluationPeriod.objects.create(title=title, starts_on=start, ends_on=end)
        for compound in compounds:
            firm = compound.property_firms.filter(live=True).first()
            if firm is None:
                continue
            standards_in_force(clock, compound, period)
            if compound.slug in SURVEYED:
                survey(clock, compound, firm, period, SURVEYED[compound.slug][index])
            evaluate(clock, compound, firm, period, EVALUATED.get(compound.slug, (75, 75))[index])
        street = compounds[0].get_parent().get_parent()
        with clock.at(clock.days_since(end) - 15, hour=16):
            close_period(period, person(street, Role.STREET_OFFICE))


def rating(points: int, number: int) -> int:
    """A rating of 1–5 for the ``number``-th answer, so the answers average about ``points``."""
    base, rest = divmod(points, 20)
    return max(1, min(5, base + (1 if (number * 37) % 20 < rest else 0)))


def standards_in_force(clock: Clock, compound: CompoundPage, period: EvaluationPeriod) -> None:
    """The services disclosure of the period's year (the demo's own is for this year)."""
    if disclosed_standards(compound, period):
        return
    year = period.starts_on.year
    page = PropertyServicesPage(
        title=f"{year}年物业服务内容及收费标准公示",
        slug=f"property-services-{year}",
        effective_from=datetime.date(year, 1, 1),
        services=[
            ServiceItem(item="保洁", standard="楼道每日清扫一次、每周拖洗一次；垃圾日产日清。"),
            ServiceItem(item="秩序维护", standard="出入口 24 小时值守，每两小时巡逻一次。"),
            ServiceItem(item="绿化养护", standard="草坪每月修剪两次，乔灌木每年修剪两次。"),
            ServiceItem(item="设施维修", standard="报修后 2 小时内到场，一般故障 24 小时内修复。"),
        ],
    )
    published(clock, compound, page, Role.PROPERTY_FIRM, clock.days_since(period.starts_on) - 10)


def survey(
    clock: Clock, compound: CompoundPage, firm: PropertyFirm, period: EvaluationPeriod, points: int
) -> None:
    register(compound)
    committee = person(compound, Role.OWNERS_COMMITTEE)
    second = person(compound, Role.COMMUNITY_OFFICE)
    closes_days_ago = clock.days_since(period.ends_on) + 16
    opens_days_ago = closes_days_ago + SURVEY_DAYS
    found = Survey(
        period=period,
        compound=compound,
        firm=firm,
        opens_at=clock.moment(opens_days_ago, hour=9),
        closes_at=clock.moment(closes_days_ago, hour=18),
    )
    with clock.at(opens_days_ago + 1):
        found.full_clean()
        found.save()
    with clock.at(opens_days_ago, hour=9):
        found = open_survey(found, committee)
        issued = issue_codes(found, committee)
    phones = {
        (unit.building, unit.entrance, unit.room): unit.owner_phone
        for unit in Unit.objects.filter(compound=compound)
    }
    keys = [question["key"] for question in found.questions]
    for number, item in enumerate(issued):
        place = number % 15
        home = item.respondent
        ratings = {key: rating(points + 4 * (k % 3) - 4, number + k) for k, key in enumerate(keys)}
        if place < ONLINE_OF_FIFTEEN:
            with clock.at(opens_days_ago - number % SURVEY_DAYS, hour=20):
                tail = phone_tail(phones[home.building, home.entrance, home.room])
                answer_online(found, item.code, tail, ratings, LOOPBACK)
        elif place < ONLINE_OF_FIFTEEN + PAPER_OF_FIFTEEN and second.pk != committee.pk:
            received = clock.moment(closes_days_ago + 2, hour=10)
            paper = PaperAnswerInput(home.building, home.entrance, home.room, ratings, received)
            with clock.at(closes_days_ago + 1, hour=15):
                enter_paper_answer(found, committee, paper)
                enter_paper_answer(found, second, paper)


def evaluate(
    clock: Clock, compound: CompoundPage, firm: PropertyFirm, period: EvaluationPeriod, points: int
) -> None:
    standards = disclosed_standards(compound, period)
    for offset, (evaluator, role) in enumerate(
        ((Evaluator.COMMITTEE, Role.OWNERS_COMMITTEE), (Evaluator.COMMUNITY, Role.COMMUNITY_OFFICE))
    ):
        items = [
            {"item": s.item, "standard": s.standard, "rating": rating(points, n + offset)}
            for n, s in enumerate(standards)
        ]
        with clock.at(clock.days_since(period.ends_on) + 5 - offset, hour=15):
            save_evaluation(
                period,
                compound,
                firm,
                evaluator,
                items,
                "对照公示的服务标准逐项评价。",
                person(compound, role),
            )
