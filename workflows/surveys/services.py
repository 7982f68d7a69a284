"""Running a satisfaction survey: its roll, its codes, owners' answers online and the committee's
double-keyed paper answers.

The personal code, the second factor, the throttle and the double keying are the assembly
vote's own (``workflows.voting``), applied per unit: one unit, one answer, the latest counting.
Every function does all of its work or raises ``VotingError`` with a message for the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from content_types.evaluations.models import (
    RATING_VALUES,
    Channel,
    EvaluationPolicy,
    PaperAnswerEntry,
    Respondent,
    Survey,
    SurveyAnswer,
    SurveyCode,
    SurveyStatus,
)
from content_types.units.models import Unit, unit_label
from workflows.voting.codes import code_digests, new_code, phone_tail, phone_tail_digests
from workflows.voting.paper import check_second_entry
from workflows.voting.services import (
    ThrottledError,
    VotingError,
    refuse_attempt,
    throttled,
    when,
)

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AbstractBaseUser

KIND = "survey"


def locked(survey: Survey) -> Survey:
    return Survey.objects.select_for_update().select_related("period").get(pk=survey.pk)


def respondent_key(building: str, entrance: str, room: str) -> str:
    """What the second factor is digested with: the unit as the roll names it."""
    return unit_label(building, entrance, room)


@transaction.atomic
def open_survey(survey: Survey, user: AbstractBaseUser | None) -> Survey:
    """Freeze the roll (every unit of the compound) and the questions from the configuration."""
    survey = locked(survey)
    if survey.status != SurveyStatus.DRAFT:
        raise VotingError("该测评已经开启，名册已冻结，不能再次开启。")
    if survey.period.is_closed:
        raise VotingError(f"测评期“{survey.period.title}”已结束，不能再开启测评。")
    if survey.closes_at <= timezone.now():
        raise VotingError(f"截止时间（{when(survey.closes_at)}）已过，请先修改测评时间再开启。")
    units = list(Unit.objects.filter(compound_id=survey.compound_id).order_by("pk"))
    if not units:
        raise VotingError(f"“{survey.compound.title}”的房屋名册中没有房屋，无法开启测评。")
    survey.questions = EvaluationPolicy.current().questions
    survey.status = SurveyStatus.OPEN
    survey.opened_at = timezone.now()
    survey.save(update_fields=["questions", "status", "opened_at"])
    Respondent.objects.bulk_create(
        Respondent(
            survey=survey,
            unit=unit,
            building=unit.building,
            entrance=unit.entrance,
            room=unit.room,
            phone_tail_digest=phone_tail_digests(
                survey.pk,
                respondent_key(unit.building, unit.entrance, unit.room),
                phone_tail(unit.owner_phone),
                KIND,
            )[0],
        )
        for unit in units
    )
    log(survey, "surveys.open", user=user, data={"units": len(units)})
    return survey


@dataclass(frozen=True)
class IssuedCode:
    """A code in the clear, which exists only in the response that prints the letters."""

    respondent: Respondent
    code: str


@transaction.atomic
def issue_codes(survey: Survey, user: AbstractBaseUser, *, building: str = "") -> list[IssuedCode]:
    """New codes for every unit (or one building); their old codes stop working."""
    survey = locked(survey)
    if survey.status != SurveyStatus.OPEN or survey.closes_at <= timezone.now():
        raise VotingError("只有测评中（名册已冻结）且尚未截止的测评才能生成测评码。")
    respondents = survey.respondents.order_by("building", "entrance", "room")
    if building:
        respondents = respondents.filter(building=building)
    chosen = list(respondents)
    if not chosen:
        raise VotingError(f"本次测评的名册中没有“{building}”。")
    now = timezone.now()
    SurveyCode.objects.filter(respondent__in=chosen, revoked_at__isnull=True).update(revoked_at=now)
    issued = [IssuedCode(respondent, new_code()) for respondent in chosen]
    SurveyCode.objects.bulk_create(
        SurveyCode(respondent=item.respondent, digest=code_digests(item.code, KIND)[0])
        for item in issued
    )
    log(survey, "surveys.codes", user=user, data={"units": len(issued), "for": building or "全部"})
    return issued


def check_ratings(survey: Survey, ratings: dict[str, int], *, complete: bool) -> dict[str, int]:
    """Every rating is one of 1–5 for a question of this survey; online, every question."""
    keys = [question["key"] for question in survey.questions]
    unknown = [key for key in ratings if key not in keys]
    if unknown:
        raise VotingError("问卷中有本次测评没有的题目，请刷新页面后重新填写。")
    if any(rating not in RATING_VALUES for rating in ratings.values()):
        raise VotingError("评分须为很满意、满意、一般、不满意或很不满意之一。")
    if complete and len(ratings) != len(keys):
        raise VotingError("请回答全部题目后再提交。")
    if not ratings:
        raise VotingError("问卷没有任何一题作答，不能计入。")
    return {key: ratings[key] for key in keys if key in ratings}


def _failure_keys(survey: Survey, client_ip: str) -> str:
    return f"surveys:failures:{survey.pk}:ip:{client_ip}"


def authenticate_unit(
    survey: Survey, code: str, tail: str, client_ip: str
) -> tuple[Respondent, SurveyCode]:
    """Which unit is answering: the code names it, the registered phone's last four digits
    confirm it; wrong attempts are counted like the vote's, per client and per code."""
    ip_key = _failure_keys(survey, client_ip)
    if throttled(ip_key):
        raise ThrottledError("输入错误次数过多，为保护业主的测评权，请 10 分钟后再试。")
    found = (
        SurveyCode.objects.select_related("respondent")
        .filter(digest__in=code_digests(code, KIND))
        .first()
    )
    if found is None:
        raise refuse_attempt([ip_key], "测评码不正确，请核对测评通知书上的测评码。")
    if found.respondent.survey_id != survey.pk:
        raise refuse_attempt([ip_key], "该测评码不属于本次测评，请使用本次测评的通知书。")
    if found.revoked_at is not None:
        raise refuse_attempt([ip_key], "该测评码已作废（已重新生成），请使用最新收到的测评码。")
    code_key = f"surveys:failures:code:{found.digest}"
    if throttled(code_key):
        raise ThrottledError("该测评码验证失败次数过多，已暂停使用 10 分钟，请稍后再试。")
    respondent = found.respondent
    key = respondent_key(respondent.building, respondent.entrance, respondent.room)
    digests = phone_tail_digests(survey.pk, key, tail, KIND)
    if respondent.phone_tail_digest not in digests:
        raise refuse_attempt(
            [ip_key, code_key], "手机号后四位与业主名册登记的不一致，请使用登记的手机号。"
        )
    return respondent, found


@transaction.atomic
def answer_online(
    survey: Survey, code: str, tail: str, ratings: dict[str, int], client_ip: str
) -> SurveyAnswer:
    """Record a unit's answer; answering again before the close replaces the earlier one."""
    survey = locked(survey)
    now = timezone.now()
    if survey.status == SurveyStatus.OPEN and now < survey.opens_at:
        raise VotingError(f"本次测评尚未开始，开始时间为{when(survey.opens_at)}。")
    if not survey.accepts_answers_at(now):
        raise VotingError(f"本次测评已于{when(survey.closes_at)}截止，不能再填写。")
    respondent, used = authenticate_unit(survey, code, tail, client_ip)
    ratings = check_ratings(survey, ratings, complete=True)
    answer = SurveyAnswer.objects.create(
        respondent=respondent,
        ratings=ratings,
        channel=Channel.ONLINE,
        answered_at=now,
        code=used,
    )
    log(survey, "surveys.answer", data={"channel": Channel.ONLINE})
    return answer


@dataclass(frozen=True)
class PaperAnswerInput:
    """What is keyed from one paper questionnaire."""

    building: str
    entrance: str
    room: str
    ratings: dict[str, int]
    received_at: datetime

    @property
    def label(self) -> str:
        return unit_label(self.building, self.entrance, self.room)


_COMPARED = (("ratings", "各题评分"), ("received_at", "收到时间"))


@transaction.atomic
def enter_paper_answer(
    survey: Survey, user: AbstractBaseUser, entry: PaperAnswerInput
) -> SurveyAnswer | None:
    """Key one paper questionnaire; it counts once a second person has keyed it identically
    (the answer, or None for a first keying)."""
    survey = locked(survey)
    now = timezone.now()
    if survey.status != SurveyStatus.OPEN:
        raise VotingError("该测评不在测评期内，不能录入纸质问卷。")
    if not survey.opens_at <= entry.received_at < survey.closes_at:
        raise VotingError(
            f"收到时间须在测评期内（{when(survey.opens_at)}至{when(survey.closes_at)}）。"
        )
    if entry.received_at > now:
        raise VotingError("收到时间不能晚于当前时间。")
    ratings = check_ratings(survey, entry.ratings, complete=False)
    respondent = survey.respondents.filter(
        building=entry.building.strip(), entrance=entry.entrance.strip(), room=entry.room.strip()
    ).first()
    if respondent is None:
        raise VotingError(f"{entry.label}不在本次测评的房屋名册中，不能录入。")
    keyed = PaperAnswerInput(entry.building, entry.entrance, entry.room, ratings, entry.received_at)
    pending = respondent.paper_entries.filter(voided_at__isnull=True, paired=False).first()
    if pending is None:
        PaperAnswerEntry.objects.create(
            respondent=respondent,
            ratings=ratings,
            received_at=entry.received_at,
            entered_by_id=user.pk,
        )
        log(survey, "surveys.paper_entry", user=user, data={"unit": respondent.label})
        return None
    check_second_entry(pending, keyed, user, respondent.label, _COMPARED, paper="纸质问卷")
    second = PaperAnswerEntry.objects.create(
        respondent=respondent,
        ratings=ratings,
        received_at=entry.received_at,
        entered_by_id=user.pk,
        paired=True,
    )
    pending.paired = True
    pending.save(update_fields=["paired"])
    answer = SurveyAnswer.objects.create(
        respondent=respondent,
        ratings=ratings,
        channel=Channel.PAPER,
        answered_at=entry.received_at,
        first_entry=pending,
        second_entry=second,
    )
    log(survey, "surveys.paper_answer", user=user, data={"unit": respondent.label})
    return answer


@transaction.atomic
def void_paper_entry(entry: PaperAnswerEntry, user: AbstractBaseUser) -> None:
    """Withdraw a first keying that was wrong, before it is paired."""
    survey = locked(entry.respondent.survey)
    if entry.paired or entry.voided_at is not None:
        raise VotingError("该录入已配对计入或已作废，不能作废。")
    entry.voided_at = timezone.now()
    entry.save(update_fields=["voided_at"])
    log(survey, "surveys.paper_void", user=user, data={"entry": entry.pk})
