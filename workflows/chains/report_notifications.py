"""Who is told what about reports (报告制度): the community office when one is submitted, the
writers when it is acknowledged or returned, and the writers of an overdue report once a day."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse

from content_types.reports.models import REVIEWER_ROLES, Report, ReportStatus
from content_types.roles.scope import users_holding_role_over

from .outbox import Notification, notify

if TYPE_CHECKING:
    import datetime

    from content_types.reports.dues import ReportDue


def _inspect_url(report: Report) -> str:
    return reverse(Report.snippet_viewset.get_url_name("inspect"), args=[report.pk])


def on_report_moved(
    sender: type, report: Report, action: str, actor: Any, comment: str = "", **kwargs: Any
) -> None:
    compound = report.compound
    if action == "reports.submit":
        recipients = users_holding_role_over(compound, REVIEWER_ROLES)
        subject = f"【工作报告】{report}已提交，请阅知"
        body = f"{compound.title}的{report.get_role_display()}提交了“{report}”，请阅知或退回修改。"
    elif action in ("reports.acknowledge", "reports.return"):
        recipients = users_holding_role_over(compound, [report.role])
        if action == "reports.acknowledge":
            subject = f"【工作报告】{report}已阅知"
            body = f"社区微治办已阅知“{report}”。"
        else:
            subject = f"【工作报告】{report}被退回修改"
            body = f"社区微治办退回了“{report}”，请修改后重新提交。"
        if comment:
            body += f"\n社区意见：{comment}"
    else:
        return
    if actor is not None:
        recipients = recipients.exclude(pk=actor.pk)
    notify(recipients, Notification.Event.REPORT, subject, body, url=_inspect_url(report))


def on_report_overdue(sender: type, due: ReportDue, today: datetime.date, **kwargs: Any) -> None:
    """The daily reminder to the writers of an overdue report, once a day each."""
    start = reverse(Report.snippet_viewset.get_url_name("add"))
    url = f"{start}?schedule={due.schedule.pk}&compound={due.compound.pk}"
    reminded = Notification.objects.filter(
        event=Notification.Event.REPORT, url=url, created_at__date=today
    ).values("recipient_id")
    recipients = users_holding_role_over(due.compound, [due.schedule.role]).exclude(pk__in=reminded)
    days = (today - due.period.deadline).days
    returned = due.report is not None and due.report.status == ReportStatus.RETURNED
    what = "被退回后尚未重新提交" if returned else "尚未提交"
    notify(
        recipients,
        Notification.Event.REPORT,
        subject=f"【逾期提醒】{due.compound.title}{due.period.label}{due.schedule.name}{what}",
        body=(
            f"{due.compound.title}{due.period.label}的“{due.schedule.name}”应于"
            f"{due.period.deadline:%Y年%m月%d日}前提交社区微治办，{what}，已逾期 {days} 天。"
            "请在“工作报告 → 撰写报告”中按提纲撰写并提交。"
        ),
        url=url,
    )
