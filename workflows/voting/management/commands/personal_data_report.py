"""Answer a data subject's request (个人信息保护法 第四十五条): what is held about a phone number.

Lists the units registered under the phone, the vote rolls those owners are on, their ballots
(how and when, never the choice: the ballot stays secret, even from staff) and objections, and,
with ``--name``, committee candidates (in the pool and on election ballots) and members of that
name in those compounds; and the cases (诉求与事件) filed with the phone as the reporter's, or
with ``--name`` under that reporter name in those compounds. Each run is
in the audit log, naming the staff account and the phone's keyed digest, never the phone.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from content_types.accounts.audit import record
from content_types.accounts.models import AuditAction
from content_types.cases.models import Case
from content_types.committees.models import CommitteeCandidate, CommitteeMember
from content_types.units.models import Unit, normalise_phone, phone_digest
from workflows.voting.models import Ballot, ElectionCandidate, Elector, Objection


class Command(BaseCommand):
    help = (
        "列出本系统中与某个手机号有关的个人信息（个人信息查阅、复制请求）；每次查询记入审计日志。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("phone", help="业主手机号")
        parser.add_argument("--operator", required=True, help="办理查询的工作人员的用户名")
        parser.add_argument("--name", default="", help="业主姓名，用于同时查找业委会人选和委员")

    def handle(self, *args: Any, phone: str, operator: str, name: str, **options: Any) -> None:
        staff = get_user_model().objects.filter(username=operator, is_active=True).first()
        if staff is None:
            raise CommandError(f"没有用户名为“{operator}”的在用账号，请用办理人本人的用户名。")
        if not 7 <= len(normalise_phone(phone)) <= 15:
            raise CommandError("请填写有效的手机号。")
        digest = phone_digest(phone)
        record(
            AuditAction.PERSONAL_DATA_REQUEST,
            user=staff,
            description="查询某手机号关联的个人信息",
            phone_digest=digest,
            with_name=bool(name),
        )
        units = list(Unit.objects.filter(owner_phone_digest=digest).select_related("compound"))
        self.section(
            "房屋与业主名册",
            [
                f"{u.compound.title} {u.label}：业主{u.owner_name}，面积{u.exclusive_area}平方米"
                for u in units
            ],
        )
        electors = list(
            Elector.objects.filter(owner_key__in={u.owner_key for u in units})
            .select_related("vote")
            .order_by("vote__opens_at")
        )
        self.section(
            "表决业主名册",
            [f"《{e.vote.title}》（{e.vote.get_status_display()}）" for e in electors],
        )
        ballots = Ballot.objects.filter(elector__in=electors).select_related("elector__vote")
        self.section(
            "表决票（不列出表决意见）",
            [
                f"《{b.elector.vote.title}》{b.get_channel_display()}，{b.cast_at:%Y-%m-%d %H:%M}"
                for b in ballots.order_by("cast_at")
            ],
        )
        objections = Objection.objects.filter(elector__in=electors).select_related("vote")
        self.section(
            "异议", [f"《{o.vote.title}》{o.created_at:%Y-%m-%d}：{o.text}" for o in objections]
        )
        if name:
            compounds = {u.compound_id for u in units}
            candidates = CommitteeCandidate.objects.filter(name=name, compound__in=compounds)
            members = CommitteeMember.objects.filter(name=name, committee__compound__in=compounds)
            self.section(
                "业委会人选储备库",
                [
                    f"{c.compound.title}：{c.name}，{c.get_vetting_stage_display()}"  # type: ignore[attr-defined]
                    for c in candidates.select_related("compound")
                ],
            )
            candidacies = ElectionCandidate.objects.filter(
                name=name, election__vote__compound__in=compounds
            ).select_related("election__vote")
            self.section(
                "业委会选举候选人",
                [
                    f"《{c.election.vote.title}》候选人{c.name}"
                    f"（{c.election.vote.get_status_display()}）"
                    for c in candidacies.order_by("election__vote__opens_at")
                ],
            )
            self.section(
                "业委会委员",
                [
                    str(m.committee) + f"：{m}"
                    for m in members.select_related("committee__compound")
                ],
            )
        self.section(
            "诉求与事件（反映人）", self.cases(digest, {u.compound_id for u in units}, name)
        )
        if not units:
            self.stdout.write("未找到以该手机号登记的房屋。")

    @staticmethod
    def cases(digest: str, compounds: set[int], name: str) -> list[str]:
        """Cases filed with the phone, and with ``name`` in the owner's compounds (names are
        encrypted, so those are compared after reading, within those compounds only)."""
        by_phone = Case.objects.filter(reporter_phone_digest=digest)
        found = list(by_phone.select_related("scope").order_by("filed_at", "pk"))
        if name:
            seen = {case.pk for case in found}
            in_compounds = Case.objects.filter(scope__in=compounds).exclude(pk__in=seen)
            found += [
                case
                for case in in_compounds.select_related("scope").order_by("filed_at", "pk")
                if case.reporter_name.strip() == name
            ]
        return [
            f"{case.number} {case.scope.title}：{case.get_category_display()}“{case.title}”"
            f"（{case.get_status_display()}），{case.filed_at:%Y-%m-%d} 登记，"
            f"反映人{case.reporter_name or '（未填）'}，"
            f"电话{case.masked_reporter_phone or '（未填）'}"
            for case in found
        ]

    def section(self, title: str, lines: list[str]) -> None:
        self.stdout.write(f"【{title}】{len(lines)} 条")
        for line in lines:
            self.stdout.write(f"  {line}")
