"""Audits of committee finances (轮审, 换届审计): one closed, one under way with open findings
and past its due date (so the street's and community's dashboards have one to chase), one
planned. Each is the one of its committee, kind and period; a later load finds it and leaves it.

锦绣花园's rotation audit of two years ago is closed: its report, a text document, is kept in
the compound's restricted "审计材料" collection, and both findings were closed. 阳光水岸's of last
year was opened seventy days ago and has two open findings and one closed. 锦绣花园's of last year
is planned from today.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.log_actions import log

from content_types.audits.media import audit_collection
from content_types.audits.models import (
    Audit,
    AuditFinding,
    AuditKind,
    AuditPolicy,
    AuditStatus,
    FindingStatus,
)
from content_types.committees.models import OwnersCommittee

if TYPE_CHECKING:
    from content_types.structure.models import CompoundPage

    from .clock import Clock

# title, amount, requirement, closed after (days) with what was done, or None while open.
Finding = tuple[str, str, str, tuple[int, str] | None]


def _committee(compound: CompoundPage, on: datetime.date) -> OwnersCommittee | None:
    committees = OwnersCommittee.objects.filter(compound=compound, live=True)
    return committees.current(on).first() or committees.order_by("-term_start").first()


def _report(compound: CompoundPage, title: str, text: str) -> Any:
    """The report, as the auditor's upload to the compound's restricted collection would be."""
    collection = audit_collection(compound)
    document_model = get_document_model()
    found = document_model.objects.filter(title=title, collection=collection).first()
    if found is not None:
        return found
    document = document_model(title=title, collection=collection)
    document.file.save("audit-report.txt", ContentFile(text.encode()), save=False)
    document.save()
    return document


def _audit(
    clock: Clock,
    compound: CompoundPage | None,
    year: int,
    opened_days_ago: int,
    status: str,
    findings: list[Finding],
    report: str = "",
) -> Audit | None:
    if compound is None:
        return None
    committee = _committee(compound, clock.today)
    if committee is None:
        return None
    period_end = datetime.date(year, 12, 31)
    if Audit.objects.filter(
        committee=committee, kind=AuditKind.ROTATION, period_end=period_end
    ).exists():
        return None
    policy = AuditPolicy.current()
    planned_on = clock.day(opened_days_ago)
    audit = Audit(
        committee=committee,
        compound=compound,
        kind=AuditKind.ROTATION,
        period_start=max(datetime.date(year, 1, 1), committee.term_start),
        period_end=period_end,
        auditor=policy.auditor,
        status=status,
        planned_on=planned_on,
        due_on=planned_on + datetime.timedelta(days=policy.due_days),
    )
    if report:
        audit.reported_on = planned_on + datetime.timedelta(days=40)
        audit.conclusion = report
        audit.report = _report(compound, f"{compound.title}{year}年度财务轮审报告", report)
    audit.full_clean()
    with clock.at(opened_days_ago):
        audit.save()
        log(audit, "wagtail.create", data={"by": "demo"})
    for order, (title, amount, requirement, closed) in enumerate(findings):
        finding = AuditFinding(
            audit=audit,
            sort_order=order,
            title=title,
            amount=Decimal(amount) if amount else None,
            requirement=requirement,
            rectify_by=planned_on + datetime.timedelta(days=90),
        )
        if closed is not None:
            finding.status = FindingStatus.CLOSED
            finding.closed_on = planned_on + datetime.timedelta(days=closed[0])
            finding.closure_note = closed[1]
        finding.full_clean()
        finding.save()
    return audit


def load(clock: Clock, compounds: list[CompoundPage]) -> None:
    by_slug = {compound.slug: compound for compound in compounds}
    this_year = clock.today.year
    _audit(
        clock,
        by_slug.get("jinxiu"),
        this_year - 2,
        400,
        AuditStatus.CLOSED,
        [
            (
                "停车位租金收入未全额计入共有收益",
                "18600.00",
                "物业服务企业补记入账，并在下一期共有收益公示中说明。",
                (60, "已补记入账，并于季度公示中说明。"),
            ),
            (
                "两笔维修支出缺少业委会审核签字",
                "4320.50",
                "补齐审核手续，今后按“四审两公开”办理。",
                (45, "已补签，并组织业委会学习大额资金使用流程。"),
            ),
        ],
        report="收支记录基本完整，发现问题两项，均已整改销号。",
    )
    _audit(
        clock,
        by_slug.get("yangguang"),
        this_year - 1,
        70,
        AuditStatus.IN_PROGRESS,
        [
            (
                "电梯广告收益未按季度公开",
                "9800.00",
                "按季度补充公开，并说明延迟原因。",
                None,
            ),
            ("业委会办公经费超出议事规则限额", "2650.00", "说明超支原因，报业主大会追认。", None),
            ("现金收付未登记日记账", "", "建立现金日记账，逐笔登记。", (20, "已建立日记账。")),
        ],
    )
    _audit(clock, by_slug.get("jinxiu"), this_year - 1, 0, AuditStatus.PLANNED, [])
