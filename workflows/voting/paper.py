"""Paper ballots (书面表决票): entered twice by two people, compared, and voided with a reason."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from content_types.units.models import unit_label

from .elections import check_answers
from .models import (
    Ballot,
    Channel,
    ElectorUnit,
    PaperEntry,
    Vote,
    VoteStatus,
    election_of,
)
from .services import CHOICE_VALUES, VotingError, locked, when

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AbstractBaseUser


@dataclass(frozen=True)
class PaperBallotInput:
    """What is keyed from one paper ballot."""

    building: str
    entrance: str
    room: str
    choice: str
    received_at: datetime
    corrects_id: int | None = None
    # An election's ballot: candidate key → choice (``choice`` is then blank).
    answers: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return unit_label(self.building, self.entrance, self.room)


_COMPARED = (
    ("choice", "表决意见"),
    ("answers", "各候选人意见"),
    ("received_at", "收到时间"),
    ("corrects_id", "所更正的票"),
)


def check_second_entry(
    pending: object,
    entry: object,
    user: AbstractBaseUser,
    label: str,
    compared: tuple[tuple[str, str], ...],
    paper: str = "纸质表决票",
) -> None:
    """Refuse a second keying by the same person, or one that differs from the first.

    Any paper form keyed twice (a ballot, a survey answer) is compared this way: the refusal
    names which fields differ, never what the first keying said, so the check stays blind.
    """
    if getattr(pending, "entered_by_id", None) == user.pk:
        raise VotingError(
            f"您已录入过{label}的这张纸质票，须由另一位工作人员复核录入（双人录入）。"
        )
    differences = [
        name for attr, name in compared if getattr(pending, attr) != getattr(entry, attr)
    ]
    if differences:
        raise VotingError(
            f"与另一位工作人员对{label}的第一次录入不一致（{'、'.join(differences)}），"
            f"本次录入未保存。请核对{paper}；如第一次录入有误，请作废该录入后重新录入。"
        )


@transaction.atomic
def enter_paper_ballot(
    vote: Vote, user: AbstractBaseUser, entry: PaperBallotInput
) -> Ballot | None:
    """Key one paper ballot; it counts once a second user has keyed it identically.

    Returns the ballot when this entry completed a matching pair, None when it is the first
    entry. A second entry that differs is refused without saying what the first one said, so
    the check stays blind.
    """
    vote = locked(vote)
    now = timezone.now()
    if vote.status == VoteStatus.PRELIMINARY:
        if entry.corrects_id is None:
            raise VotingError("表决已截止：异议期内只能更正已录入的纸质票，不能补录新的纸质票。")
        if vote.objection_deadline is None or now >= vote.objection_deadline:
            raise VotingError("异议期已结束，不能再更正纸质票。")
    elif vote.status != VoteStatus.OPEN:
        raise VotingError("该表决不在投票期或异议期内，不能录入纸质票。")
    if now < vote.opens_at:
        raise VotingError(f"本次表决尚未开始（开始时间{when(vote.opens_at)}），不能录入纸质票。")
    if entry.received_at < vote.opens_at:
        raise VotingError(f"收到时间早于表决开始时间（{when(vote.opens_at)}），该票无效。")
    if entry.received_at >= vote.closes_at:
        raise VotingError(f"收到时间不早于表决截止时间（{when(vote.closes_at)}），该票不计入。")
    if entry.received_at > now:
        raise VotingError("收到时间不能晚于当前时间。")
    election = election_of(vote)
    if election is not None:
        answers = check_answers(election, entry.answers, complete=False)
        entry = replace(entry, choice="", answers=answers)
    elif entry.choice not in CHOICE_VALUES:
        raise VotingError("请选择同意、反对或弃权。")

    home = (
        ElectorUnit.objects.select_related("elector")
        .filter(
            elector__vote=vote,
            building=entry.building.strip(),
            entrance=entry.entrance.strip(),
            room=entry.room.strip(),
        )
        .first()
    )
    if home is None:
        raise VotingError(
            f"{entry.label}不在本次表决的业主名册中（表决范围：{vote.scope_label}），不能录入。"
        )
    elector = home.elector
    corrects = None
    if entry.corrects_id is not None:
        corrects = Ballot.objects.filter(
            pk=entry.corrects_id, elector=elector, channel=Channel.PAPER
        ).first()
        if corrects is None:
            raise VotingError(f"第 {entry.corrects_id} 号表决票不是{entry.label}业主的纸质票。")
        if corrects.superseded_by.exists():
            raise VotingError(f"第 {corrects.pk} 号表决票已被更正过，请更正最新的那张。")

    pending = PaperEntry.pending().filter(elector=elector).first()
    if pending is None:
        PaperEntry.objects.create(
            elector=elector,
            choice=entry.choice,
            answers=entry.answers,
            received_at=entry.received_at,
            corrects=corrects,
            entered_by_id=user.pk,
        )
        log(vote, "voting.paper_entry", user=user, data={"unit": home.label})
        return None
    check_second_entry(pending, entry, user, home.label, _COMPARED)
    second = PaperEntry.objects.create(
        elector=elector,
        choice=entry.choice,
        answers=entry.answers,
        received_at=entry.received_at,
        corrects=corrects,
        entered_by_id=user.pk,
    )
    ballot = Ballot.objects.create(
        elector=elector,
        choice=entry.choice,
        answers=entry.answers,
        channel=Channel.PAPER,
        cast_at=entry.received_at,
        first_entry=pending,
        second_entry=second,
        supersedes=corrects,
    )
    log(vote, "voting.paper_ballot", user=user, data={"unit": home.label, "ballot": ballot.pk})
    return ballot


@transaction.atomic
def void_paper_entry(entry: PaperEntry, user: AbstractBaseUser) -> None:
    """Withdraw a first entry that was keyed wrongly, before it is paired."""
    vote = locked(entry.elector.vote)
    if not PaperEntry.pending().filter(pk=entry.pk).exists():
        raise VotingError("该录入已配对计票或已作废，不能作废。")
    entry.voided_at = timezone.now()
    entry.voided_by_id = user.pk
    entry.save(update_fields=["voided_at", "voided_by"])
    log(vote, "voting.paper_void", user=user, data={"entry": entry.pk})
