"""Everything that changes a vote, each step checked and refused in Chinese when out of turn.

Every function either does all of its work or raises ``VotingError`` with a message meant for
the user and changes nothing (the database work runs in one transaction, on the locked vote
row, so a ballot cannot slip in while the vote is being counted).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from content_types.audits.services import election_blocker, election_override, refusal_message
from content_types.units.models import Unit, unit_label
from core.civil_code import Choice, Matter, decide

from .codes import code_digests, new_code, phone_tail, phone_tail_digests
from .election_results import store_election_result
from .models import (
    Ballot,
    Channel,
    Elector,
    ElectorUnit,
    Objection,
    ResultStage,
    Vote,
    VotePreReview,
    VoteResult,
    VoteStatus,
    VotingCode,
    election_of,
)
from .pre_review import needs_pre_review, pre_review_refusal
from .selectors import count_votes, effective_ballots
from .signals import vote_finalised

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

CHOICE_VALUES = frozenset(choice.value for choice in Choice)
FAILURE_LIMIT = 5
FAILURE_WINDOW = timedelta(minutes=10)


class VotingError(Exception):
    """A refusal; its message is shown to the user as it is."""


class ThrottledError(VotingError):
    """Too many wrong attempts from one client or on one code: refused before any check."""


def when(moment: datetime) -> str:
    """Times as owners read them, in the compound's time zone."""
    return timezone.localtime(moment).strftime("%Y年%m月%d日 %H:%M")


def locked(vote: Vote) -> Vote:
    return Vote.objects.select_for_update().get(pk=vote.pk)


# --------------------------------------------------------------------------- opening


@transaction.atomic
def open_vote(vote: Vote, user: AbstractBaseUser | None) -> Vote:
    """Freeze the electorate from the units register; from now on the register does not matter."""
    vote = locked(vote)
    if vote.status != VoteStatus.DRAFT:
        raise VotingError("该表决已经开启，业主名册已冻结，不能再次开启。")
    now = timezone.now()
    if vote.closes_at <= now:
        raise VotingError(f"截止时间（{when(vote.closes_at)}）已过，请先修改表决时间再开启。")
    if vote.matter == Matter.COMMITTEE_ELECTION.value:
        # 换届审计 first: open findings hold the election back, unless the street office said why.
        blocker = election_blocker(vote.compound_id)
        if blocker is not None:
            raise VotingError(refusal_message(blocker))
    check_pre_review(vote)

    units = Unit.objects.filter(compound_id=vote.compound_id)
    if vote.buildings:
        units = units.filter(building__in=vote.buildings)
    by_owner: dict[str, list[Unit]] = defaultdict(list)
    for unit in units.order_by("pk"):
        by_owner[unit.counted_owner_key].append(unit)
    if not by_owner:
        raise VotingError(f"{vote.scope_label}的房屋名册中没有房屋，无法开启表决。")

    electors = Elector.objects.bulk_create(
        Elector(
            vote=vote,
            owner_key=key,
            area_centi=sum(int(unit.exclusive_area.scaleb(2)) for unit in owned),
        )
        for key, owned in by_owner.items()
    )
    ElectorUnit.objects.bulk_create(
        ElectorUnit(
            elector=elector,
            unit=unit,
            building=unit.building,
            entrance=unit.entrance,
            room=unit.room,
            owner_name=unit.owner_name,
            area_centi=int(unit.exclusive_area.scaleb(2)),
            phone_tail_digest=phone_tail_digests(
                vote.pk, elector.owner_key, phone_tail(unit.owner_phone)
            )[0],
        )
        for elector in electors
        for unit in by_owner[elector.owner_key]
    )
    vote.status = VoteStatus.OPEN
    vote.opened_at = now
    vote.save(update_fields=["status", "opened_at"])
    unit_count = sum(len(owned) for owned in by_owner.values())
    data = {"owners": len(electors), "units": unit_count}
    if vote.matter == Matter.COMMITTEE_ELECTION.value:
        data.update(election_override(vote.compound_id))
    log(vote, "voting.open", user=user, data=data)
    return vote


def check_pre_review(vote: Vote) -> None:
    """分级决策: a stand-alone vote on a major matter waits for the community's 前置审核."""
    refusal = pre_review_refusal(vote)
    if refusal:
        raise VotingError(refusal)


@transaction.atomic
def submit_pre_review(vote: Vote, user: AbstractBaseUser) -> VotePreReview:
    """Put the vote's terms as they stand to the 前置审核 chain."""
    if vote.status != VoteStatus.DRAFT:
        raise VotingError("表决已开启，不能再提交前置审核。")
    if not needs_pre_review(vote):
        raise VotingError("该表决无须社区前置审核：只有业委会单独发起的第1—4项、第9项事项需要。")
    review = VotePreReview.objects.filter(vote=vote).first()
    if review is None:
        review = VotePreReview(vote=vote, compound_id=vote.compound_id)
    workflow = review.get_workflow()
    if workflow is None:
        raise VotingError("尚未配置表决事项前置审核流程，请联系街道微治办。")
    if review.pk and review.workflow_in_progress:
        raise VotingError("前置审核正在进行中，请等待社区审核结果。")
    review.matter, review.title, review.description = vote.matter, vote.title, vote.description
    if not review.live:
        review.save()
    review.save_revision(user=user, log_action=True)
    sent_back = review.current_workflow_state
    if sent_back is not None:  # needs changes: the new terms start the chain afresh
        sent_back.cancel(user=user)
    workflow.start(review, user)
    log(vote, "voting.pre_review", user=user, data={"review": review.pk})
    return review


# --------------------------------------------------------------------------- codes


@dataclass(frozen=True)
class IssuedCode:
    """A code in the clear, which exists only in the response that prints the letters."""

    elector: Elector
    code: str


@transaction.atomic
def issue_codes(
    vote: Vote, user: AbstractBaseUser, *, building: str = "", entrance: str = "", room: str = ""
) -> list[IssuedCode]:
    """New codes for every owner (or one building, or one home); their old codes stop working."""
    vote = locked(vote)
    if vote.status != VoteStatus.OPEN:
        raise VotingError("只有已开启（业主名册已冻结）且尚未截止的表决才能生成表决码。")
    now = timezone.now()
    if vote.closes_at <= now:
        raise VotingError(f"表决已于{when(vote.closes_at)}截止，不能再生成表决码。")

    electors = Elector.objects.filter(vote=vote)
    where = "全部业主"
    if room:
        electors = electors.filter(
            units__building=building, units__entrance=entrance, units__room=room
        )
        where = unit_label(building, entrance, room)
    elif building:
        electors = electors.filter(units__building=building)
        where = building
    chosen = list(electors.distinct().prefetch_related("units").order_by("pk"))
    if not chosen:
        raise VotingError(f"本次表决的业主名册中没有“{where}”。")

    VotingCode.objects.filter(elector__in=chosen, revoked_at__isnull=True).update(revoked_at=now)
    issued = [IssuedCode(elector, new_code()) for elector in chosen]
    VotingCode.objects.bulk_create(
        VotingCode(elector=item.elector, digest=code_digests(item.code)[0], created_by_id=user.pk)
        for item in issued
    )
    log(vote, "voting.codes", user=user, data={"owners": len(issued), "for": where})
    return issued


# --------------------------------------------------------------------------- online


def _failure_keys(vote: Vote, client_ip: str, digest: str | None = None) -> list[str]:
    keys = [f"voting:failures:{vote.pk}:ip:{client_ip}"]
    if digest:
        keys.append(f"voting:failures:code:{digest}")
    return keys


def throttled(key: str) -> bool:
    """Whether the wrong attempts counted under ``key`` reached the limit in the window."""
    return (cache.get(key) or 0) >= FAILURE_LIMIT


def refuse_attempt(keys: list[str], message: str) -> VotingError:
    """Count a wrong attempt under each key (client, code) and return the refusal to raise.

    Any ballot an owner opens with a code and the second factor (a vote, a survey) counts its
    failures this way, under keys of its own."""
    timeout = int(FAILURE_WINDOW.total_seconds())
    for key in keys:
        cache.add(key, 0, timeout)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout)
    return VotingError(message)


def authenticate_owner(
    vote: Vote, code: str, tail: str, client_ip: str
) -> tuple[Elector, VotingCode]:
    """Who is voting: the code names the owner, the phone tail confirms it.

    Each wrong attempt counts against the client's address for this vote, and wrong phone tails
    also against the code itself, so neither guessing codes nor guessing the four digits of a
    known code gets far.
    """
    ip_key = _failure_keys(vote, client_ip)[0]
    if throttled(ip_key):
        raise ThrottledError("输入错误次数过多，为保护业主的表决权，请 10 分钟后再试。")

    found = (
        VotingCode.objects.select_related("elector").filter(digest__in=code_digests(code)).first()
    )
    if found is None:
        raise refuse_attempt([ip_key], "表决码不正确，请核对表决通知书上的表决码。")
    if found.elector.vote_id != vote.pk:
        raise refuse_attempt(
            [ip_key], "该表决码不属于本次表决。每项表决的表决码不同，请使用本次表决的通知书。"
        )
    if found.revoked_at is not None:
        raise refuse_attempt(
            [ip_key], "该表决码已作废（表决码已重新生成），请使用最新收到的表决码。"
        )

    keys = _failure_keys(vote, client_ip, found.digest)
    if throttled(keys[1]):
        raise ThrottledError("该表决码验证失败次数过多，已暂停使用 10 分钟，请稍后再试。")
    digests = phone_tail_digests(vote.pk, found.elector.owner_key, tail)
    if not ElectorUnit.objects.filter(
        elector=found.elector, phone_tail_digest__in=digests
    ).exists():
        raise refuse_attempt(keys, "手机号后四位与业主名册登记的不一致，请使用登记的手机号。")
    return found.elector, found


def check_accepting(vote: Vote, now: datetime) -> None:
    if vote.status == VoteStatus.OPEN and now < vote.opens_at:
        raise VotingError(f"本次表决尚未开始，开始时间为{when(vote.opens_at)}。")
    if not vote.accepts_ballots_at(now):
        raise VotingError(f"本次表决已于{when(vote.closes_at)}截止，不能再投票。")


@transaction.atomic
def cast_online(vote: Vote, code: str, tail: str, choice: str, client_ip: str) -> Ballot:
    """Record an owner's answer; a later answer with the same code replaces the earlier one."""
    vote = locked(vote)
    now = timezone.now()
    check_accepting(vote, now)
    elector, voting_code = authenticate_owner(vote, code, tail, client_ip)
    if choice not in CHOICE_VALUES:
        raise VotingError("请选择同意、反对或弃权。")
    previous = effective_ballots().filter(elector=elector, channel=Channel.ONLINE).first()
    return Ballot.objects.create(
        elector=elector,
        choice=choice,
        channel=Channel.ONLINE,
        cast_at=now,
        code=voting_code,
        supersedes=previous,
    )


# --------------------------------------------------------------------------- paper


# --------------------------------------------------------------------------- results


def _store_result(vote: Vote, stage: str) -> VoteResult:
    election = election_of(vote)
    if election is not None:
        return store_election_result(vote, election, stage)
    result = VoteResult.from_decision(vote, stage, decide(vote.matter_enum, count_votes(vote)))
    result.save()
    return result


@transaction.atomic
def close_vote(vote: Vote, user: AbstractBaseUser | None = None) -> VoteResult:
    """Count at the close and open the objection window on the preliminary result."""
    vote = locked(vote)
    now = timezone.now()
    if vote.status != VoteStatus.OPEN:
        raise VotingError("只有正在进行的表决才能截止计票。")
    if now < vote.closes_at:
        raise VotingError(f"表决截止时间为{when(vote.closes_at)}，届时才能计票。")
    result = _store_result(vote, ResultStage.PRELIMINARY)
    vote.status = VoteStatus.PRELIMINARY
    vote.closed_at = now
    vote.objection_deadline = now + timedelta(days=vote.objection_days)
    vote.save(update_fields=["status", "closed_at", "objection_deadline"])
    log(vote, "voting.close", user=user, data={"outcome": result.outcome})
    return result


def _check_objection_window(vote: Vote) -> None:
    if not vote.takes_objections_at(timezone.now()):
        raise VotingError("现在不在异议期内，不能提出异议。")


@transaction.atomic
def lodge_objection(
    vote: Vote,
    text: str,
    *,
    elector: Elector | None = None,
    recorded_by: AbstractBaseUser | None = None,
    submitter: str = "",
) -> Objection:
    """Record an objection to the preliminary result; it must be answered before it is final."""
    vote = locked(vote)
    _check_objection_window(vote)
    if not text.strip():
        raise VotingError("请填写异议内容。")
    objection = Objection.objects.create(
        vote=vote,
        elector=elector,
        submitter=submitter.strip(),
        text=text.strip(),
        recorded_by_id=recorded_by.pk if recorded_by is not None else None,
    )
    log(vote, "voting.objection", user=recorded_by, data={"objection": objection.pk})
    return objection


def lodge_owner_objection(vote: Vote, code: str, tail: str, text: str, client_ip: str) -> Objection:
    """Owners object with their voting code, so only owners on the roll can object online."""
    _check_objection_window(vote)
    elector, _ = authenticate_owner(vote, code, tail, client_ip)
    return lodge_objection(vote, text, elector=elector, submitter="业主（网络提交）")


@transaction.atomic
def answer_objection(objection: Objection, user: AbstractBaseUser, response: str) -> None:
    vote = locked(objection.vote)
    if objection.responded_at is not None:
        raise VotingError("该异议已经答复过。")
    if vote.status != VoteStatus.PRELIMINARY:
        raise VotingError("最终结果已确认，不能再答复异议。")
    if not response.strip():
        raise VotingError("请填写答复内容。")
    objection.response = response.strip()
    objection.responded_at = timezone.now()
    objection.responded_by_id = user.pk
    objection.save(update_fields=["response", "responded_at", "responded_by"])
    log(vote, "voting.objection_answer", user=user, data={"objection": objection.pk})


@transaction.atomic
def finalise_vote(vote: Vote, user: AbstractBaseUser | None = None) -> VoteResult:
    """Recount after the objection window, so corrections made in it are in the final result."""
    vote = locked(vote)
    if vote.status != VoteStatus.PRELIMINARY:
        raise VotingError("只有处于异议期的表决才能确认最终结果。")
    deadline = vote.objection_deadline
    if deadline is not None and timezone.now() < deadline:
        raise VotingError(f"异议期至{when(deadline)}结束，届满后才能确认最终结果。")
    unanswered = vote.objections.filter(responded_at__isnull=True).count()
    if unanswered:
        raise VotingError(f"还有 {unanswered} 条异议尚未答复，答复后才能确认最终结果。")
    result = _store_result(vote, ResultStage.FINAL)
    vote.status = VoteStatus.FINAL
    vote.finalised_at = timezone.now()
    vote.save(update_fields=["status", "finalised_at"])
    log(vote, "voting.finalise", user=user, data={"outcome": result.outcome})
    vote_finalised.send(sender=Vote, vote=vote, result=result, user=user)
    return result
