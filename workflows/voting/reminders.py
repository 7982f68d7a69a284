"""A vote's reminder for a building: printed for its notice boards, published on the compound's
noticeboard (the website and the public screens), and sent to those who pass it on.

Owners have no account, so the site reaches them through what is public: the reminder becomes
a notice of the compound, pinned until the vote closes and then taken down by the same job
that takes down any expired notice. Its words are the vote's own facts — what is voted on,
the closing time, how to vote — so there is nothing for a reviewer to add, and it is published
as the vote itself is, without the notice chain. The firm, the commissioner and the committee
are sent it through the outbox (in the admin and by e-mail) to post and pass on. It never
names anyone, and shows no turnout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.log_actions import log

from content_types.notices.models import NoticeCategory, NoticePage

from .models import ElectorUnit, Vote, VoteStatus
from .services import VotingError, locked, when
from .signals import vote_reminder_sent

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


@dataclass(frozen=True)
class Reminder:
    """The words of a reminder, the same on paper, on the noticeboard and in the message."""

    heading: str
    summary: str
    paragraphs: tuple[str, ...]


def reminder(vote: Vote, building: str, vote_url: str) -> Reminder:
    closes = when(vote.closes_at)
    return Reminder(
        heading=f"{building or '全体'}业主：请参加业主大会表决",
        summary=(
            f"“{vote.title}”将于{closes}截止。请凭表决通知书上的表决码网上表决，"
            "或填写纸质表决票交业主委员会。"
        )[:200],
        paragraphs=(
            f"{vote.compound.title}业主大会正在就“{vote.title}”（{vote.get_matter_display()}）"
            f"进行表决，表决将于{closes}截止。",
            "表决须有专有部分面积占比三分之二以上、人数占比三分之二以上的业主参与才有效。"
            "每一位业主的意见都算数，请在截止前表决。",
            f"网上表决：扫描二维码或访问 {vote_url}，输入表决通知书上的表决码和您登记的"
            "手机号后四位。也可填写纸质表决票交业主委员会，或等候委员上门收取。"
            "表决通知书遗失的，请联系业主委员会补发。",
        ),
    )


def _body(words: Reminder, vote_url: str) -> list[tuple[str, str]]:
    link = f'<a href="{escape(vote_url)}">{escape(vote_url)}</a>'
    return [
        ("paragraph", "<p>" + escape(text).replace(escape(vote_url), link) + "</p>")
        for text in words.paragraphs
    ]


@transaction.atomic
def send_reminder(vote: Vote, building: str, user: AbstractBaseUser, vote_url: str) -> NoticePage:
    """Publish (or refresh) the building's reminder notice and tell those who pass it on."""
    vote = locked(vote)
    if vote.status != VoteStatus.OPEN or not vote.accepts_ballots_at(timezone.now()):
        raise VotingError("只有正在进行的表决才能发送表决提醒。")
    if building and not ElectorUnit.objects.filter(elector__vote=vote, building=building).exists():
        raise VotingError(f"本次表决的业主名册中没有“{building}”。")
    words = reminder(vote, building, vote_url)
    compound = vote.compound
    slug = slugify(f"vote-{vote.pk}-reminder-{building or 'all'}", allow_unicode=True)
    notice = NoticePage.objects.child_of(compound).filter(slug=slug).specific().first()
    if notice is None:
        notice = NoticePage(slug=slug, owner=user, live=False, title=f"【表决提醒】{words.heading}")
        notice.body = _body(words, vote_url)
        compound.add_child(instance=notice)
    notice.category = NoticeCategory.NOTICE
    notice.summary = words.summary
    notice.body = _body(words, vote_url)
    notice.pinned = True
    notice.show_on_screens = True
    notice.expire_at = vote.closes_at
    notice.expired = False
    notice.save_revision(user=user).publish(user=user, skip_permission_checks=True)
    log(vote, "voting.reminder", user=user, data={"building": building, "notice": notice.pk})
    vote_reminder_sent.send(sender=Vote, vote=vote, building=building, notice=notice, user=user)
    return notice
