"""The people who govern each compound: committee rosters, candidates in vetting, joint meetings.

A compound whose committee the street file sets up gets its members (about half Party members,
with their three pledges), written by the committee and published as the roster's chain says
(their trainings and evaluations are ``committee_records``). Every compound has candidates at
each stage of the vetting chain of measure 5, and the three parties' meetings with their minutes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from content_types.committees.models import (
    CommitteeCandidate,
    CommitteeMember,
    MemberRole,
    OwnersCommittee,
    Specialty,
)
from content_types.meetings.models import JointMeeting
from content_types.roles.models import Role

from .review import approve, person, submit

if TYPE_CHECKING:
    from content_types.structure.models import CompoundPage

    from .clock import Clock

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ("建国", "秀英", "志强", "丽华", "伟", "敏", "海燕", "国庆", "文斌", "晓红", "春梅", "立新")
SPECIALTIES = (Specialty.FINANCE, Specialty.LAW, Specialty.ENGINEERING, Specialty.OTHER)
# (name offset, stage reached): steps of the vetting chain approved; None: recommended, not sent.
CANDIDATES = ((3, None), (5, 0), (7, 1), (9, 3))
MEETINGS = (
    (200, "审议小区停车管理方案", "同意按月租和临停分类管理，收费标准报业主大会决定。"),
    (120, "协调二次供水设施改造", "物业先行排查，社区协调供水公司，业委会做好业主解释。"),
    (60, "研究冬季消防安全隐患整治", "三方联合开展楼道杂物清理，违规充电由执法督查组处置。"),
)


def name(compound: CompoundPage, number: int) -> str:
    seed = compound.pk * 5 + number
    return SURNAMES[seed % len(SURNAMES)] + GIVEN[(seed * 7) % len(GIVEN)]


def load(clock: Clock, compounds: list[CompoundPage]) -> None:
    for compound in compounds:
        roster(clock, compound)
        candidates(clock, compound)
        for days_ago, agenda, decisions in MEETINGS:
            meeting(clock, compound, days_ago, agenda, decisions)


def roster(clock: Clock, compound: CompoundPage) -> None:
    committee = (
        OwnersCommittee.objects.filter(compound=compound)
        .current(clock.today)
        .order_by("-pk")
        .first()
    )
    if committee is None or committee.members.exists():
        return
    pledged = max(committee.term_start, clock.day(360))
    roles = [MemberRole.CHAIR, MemberRole.VICE_CHAIR, *[MemberRole.MEMBER] * 5]
    committee.members = [
        CommitteeMember(
            name=name(compound, number),
            role=role,
            is_party_member=number % 2 == 0,
            specialty=SPECIALTIES[number % len(SPECIALTIES)],
            candidacy_pledge_date=pledged,
            service_pledge_date=pledged,
            resignation_pledge_date=pledged,
            sort_order=number,
        )
        for number, role in enumerate(roles)
    ]
    for member in committee.members.all():
        member.full_clean(exclude=["committee"])
    committee.full_clean()
    with clock.at(25):
        submit(committee, person(compound, Role.OWNERS_COMMITTEE))


def candidates(clock: Clock, compound: CompoundPage) -> None:
    recommender = person(compound, Role.COMPOUND_PARTY, Role.OWNERS_COMMITTEE)
    for offset, approved_steps in CANDIDATES:
        candidate_name = name(compound, offset + 20)
        if CommitteeCandidate.objects.filter(compound=compound, name=candidate_name).exists():
            continue
        with clock.at(90 - offset * 5):
            candidate = CommitteeCandidate(
                compound=compound,
                name=candidate_name,
                is_party_member=offset % 3 != 0,
                specialty=SPECIALTIES[offset % len(SPECIALTIES)],
                notes="热心公益，多次参与小区志愿服务，群众基础较好。",
            )
            candidate.full_clean()
            candidate.save()
            if approved_steps is None:
                candidate.save_revision(user=recommender, log_action=True)
                continue
            submit(candidate, recommender)
        for step in range(approved_steps):
            with clock.at(60 - offset * 5 - step * 7):
                approve(candidate, comment="经考察，同意进入下一环节。")


def meeting(
    clock: Clock, compound: CompoundPage, days_ago: int, agenda: str, decisions: str
) -> JointMeeting | None:
    """A recorded 三方联席会议 (returned whether this load or an earlier one wrote it)."""
    found = JointMeeting.objects.filter(compound=compound, agenda=agenda).first()
    if found is not None:
        return found
    community = compound.get_parent().specific
    with clock.at(days_ago, hour=14), transaction.atomic():
        record = JointMeeting(
            compound=compound,
            date=clock.day(days_ago),
            community_attendees=f"{name(compound, 40)}（{community.title}党委书记）",
            committee_attendees=f"{name(compound, 0)}（业委会主任）、{name(compound, 1)}（副主任）",
            firm_attendees=f"{name(compound, 41)}（物业项目经理）",
            agenda=agenda,
            minutes=f"会议听取了有关情况汇报，三方逐项讨论了“{agenda}”，意见一致。",
            decisions=decisions,
        )
        record.full_clean()
        record.save()
        record.save_revision(user=person(compound, Role.COMMISSIONER, Role.OWNERS_COMMITTEE))
    return record
