"""Reports (报告制度) of 锦绣花园 at every state, through the services, at the dates they were due.

With the schedules of the example file: the committee's monthly report two months back was
acknowledged by 凤鸣社区's office, last month's was returned with comments; the firm's quarterly
finance report of the quarter before was acknowledged and the last quarter's waits to be read;
the commissioner has not yet written the last quarter's, and the other compounds have written
nothing, so the community's dashboard has missing and overdue reports to chase. A report already
begun for its period is left as it is.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from content_types.disclosures.periods import DuePeriod, last_finished_period
from content_types.reports import services
from content_types.reports.models import Report, ReportSchedule
from content_types.roles.models import Role

from .review import person

if TYPE_CHECKING:
    from content_types.structure.models import CompoundPage

    from .clock import Clock

# What each heading of the example's outlines says; a heading not listed reads as a quiet period.
WRITTEN: dict[str, str] = {
    "本月召开会议及议定事项": "召开业委会例会 2 次，议定 5 幢外墙渗漏维修方案，会议纪要已公示。",
    "业主诉求受理与答复情况": "受理业主来电来访 14 件，已答复 13 件，楼上漏水 1 件提交社区调解。",
    "公共收益与维修资金使用情况": "本月公共收益收入 8,620.00 元（广告位、停车），未动用维修资金。",
    "下月工作计划": "组织外墙渗漏维修招标，配合物业开展消防通道清理。",
    "物业费收缴情况": "本季度应收物业费 412,380.00 元，实收 371,150.00 元，收缴率 90.0%。",
    "主要支出情况": "人员工资 186,000.00 元，保洁绿化外包 64,500.00 元，设备维保 28,300.00 元。",
    "公共能耗费用情况": "公共照明与电梯用电 23,410.00 元，二次供水 6,080.00 元，已按面积分摊公示。",
    "存在问题及整改措施": "地下车库照明不足，计划下季度更换 LED 灯具 120 盏。",
}
QUIET = "本期无特殊情况。"
RETURN_COMMENT = "请补充维修资金使用明细，并附业委会会议纪要。"
ACK_COMMENT = "已阅。请继续做好公共收益公示。"


def _earlier(schedule: ReportSchedule, period: DuePeriod) -> DuePeriod:
    return last_finished_period(schedule.period, schedule.grace_days, period.start)


def load(clock: Clock, compounds: list[CompoundPage]) -> None:
    jinxiu = next((c for c in compounds if c.slug == "jinxiu"), compounds[0] if compounds else None)
    schedules = {schedule.code: schedule for schedule in ReportSchedule.objects.all()}
    if jinxiu is None or not schedules:
        return
    office = person(jinxiu, Role.COMMUNITY_OFFICE)

    def story(code: str, back: int, review: str | None, submitted: bool = True) -> None:
        """The report of ``code`` for the period ``back`` periods before the one now asked for."""
        schedule = schedules.get(code)
        if schedule is None:
            return
        period = last_finished_period(schedule.period, schedule.grace_days, clock.today)
        for _ in range(back):
            period = _earlier(schedule, period)
        begun = Report.objects.filter(schedule=schedule, compound=jinxiu, period_start=period.start)
        if begun.exists():
            return
        writer = person(jinxiu, schedule.role)

        def on(day: datetime.date) -> Any:
            return clock.at(max(clock.days_since(day), 0), hour=10)

        with on(period.end + datetime.timedelta(days=1)):
            report = services.start(schedule, jinxiu, writer, period.end + datetime.timedelta(1))
        for section in report.sections.all():
            section.body = WRITTEN.get(section.heading, QUIET)
            section.save(update_fields=["body"])
        if not submitted:
            return
        handed_in = period.end + datetime.timedelta(days=max(schedule.grace_days - 3, 1))
        with on(handed_in):
            services.submit(report, writer)
        read_on = handed_in + datetime.timedelta(days=2)
        if review == "acknowledge":
            with on(read_on):
                services.acknowledge(report, office, ACK_COMMENT)
        elif review == "return":
            with on(read_on):
                services.return_report(report, office, RETURN_COMMENT)

    story("committee-monthly", 1, "acknowledge")
    story("committee-monthly", 0, "return")
    story("firm-quarterly-finance", 1, "acknowledge")
    story("firm-quarterly-finance", 0, None)
    story("commissioner-quarterly", 1, None, submitted=False)  # begun, never handed in
