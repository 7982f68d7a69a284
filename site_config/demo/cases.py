"""Cases (诉求与事件) in 锦绣花园 and 凤鸣社区 at every level and status, through the services.

Each case is filed, taken up, passed up or back, resolved, closed and published by the people
who would do it, each step at its own date. One hazard nobody took up climbs by itself as the
worker would climb it (the compound's and then the community's deadline passing) and is now
overdue at the street with its 执法督查组, so the dashboards have something to chase. Reporters'
names and phones are invented. A case already filed (by title, in its scope) is left as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from content_types.cases import services
from content_types.cases.models import Case, CaseCategory, ReporterKind, Satisfaction
from content_types.roles.models import Role

from .review import person

if TYPE_CHECKING:
    from collections.abc import Callable

    from content_types.structure.models import CommunityPage, CompoundPage

    from .clock import Clock

COMPOUND_PARTIES = (Role.COMMISSIONER, Role.OWNERS_COMMITTEE, Role.PROPERTY_FIRM)

# title, category, place, description, reporter (name, phone) or None for a patrol.
Story = tuple[str, str, str, str, tuple[str, str] | None]


def _file(clock: Clock, days_ago: float, scope: Any, filer: Any, story: Story) -> Case:
    title, category, place, description, reporter = story
    with clock.at(days_ago):
        return services.file_case(
            Case(
                scope=scope,
                title=title,
                category=category,
                place=place,
                description=description,
                reporter_kind=ReporterKind.OWNER if reporter else ReporterKind.PATROL,
                reporter_name=reporter[0] if reporter else "",
                reporter_phone=reporter[1] if reporter else "",
            ),
            filer,
        )


def load(clock: Clock, compounds: list[CompoundPage], communities: list[CommunityPage]) -> None:
    jinxiu = next((c for c in compounds if c.slug == "jinxiu"), compounds[0] if compounds else None)
    if jinxiu is None:
        return
    commissioner = person(jinxiu, Role.COMMISSIONER)
    committee = person(jinxiu, Role.OWNERS_COMMITTEE)
    firm = person(jinxiu, Role.PROPERTY_FIRM)
    office = person(jinxiu, Role.COMMUNITY_OFFICE)
    street = person(jinxiu, Role.STREET_OFFICE)

    def step(days_ago: float, action: Callable[..., Any], *args: Any) -> None:
        with clock.at(days_ago, hour=14):
            action(*args)

    def story(days_ago: float, scope: Any, filer: Any, told: Story) -> Case | None:
        if Case.objects.filter(scope=scope, title=told[0]).exists():
            return None
        return _file(clock, days_ago, scope, filer, told)

    # 待受理, at the compound.
    story(
        1,
        jinxiu,
        commissioner,
        (
            "2 幢单元门禁损坏",
            CaseCategory.COMPLAINT,
            "2 幢 1 单元",
            "单元门禁无法刷卡开门，已报修两天未处理。",
            ("周桂英", "13757512201"),
        ),
    )
    # 处置中, at the compound.
    case = story(
        2,
        jinxiu,
        firm,
        (
            "东侧绿化带被占用种菜",
            CaseCategory.VIOLATION,
            "东侧围墙绿化带",
            "有住户在公共绿化带内开垦种菜，破坏绿化。",
            None,
        ),
    )
    if case:
        step(1.25, services.accept, case, firm)
    # Passed up to the community: a leak between two homes the committee could not settle.
    case = story(
        5,
        jinxiu,
        committee,
        (
            "5 幢上下楼漏水纠纷",
            CaseCategory.DISPUTE,
            "5 幢 3 单元",
            "楼上卫生间渗水至楼下，双方对维修费用分担有争议。",
            ("陈国平", "13857512345"),
        ),
    )
    if case:
        step(4.25, services.accept, case, committee)
        step(1, services.escalate, case, committee, "双方多次协商未果，请社区调解。")
    # Sent back by the community, now taken up again at the compound.
    case = story(
        4,
        jinxiu,
        commissioner,
        (
            "夜间广场舞噪声扰民",
            CaseCategory.DISPUTE,
            "中心广场",
            "晚上九点后仍有广场舞音乐，影响周边住户休息。",
            ("沈丽娟", "13957512377"),
        ),
    )
    if case:
        step(3.25, services.escalate, case, commissioner, "多次劝导无效。")
        step(2, services.return_case, case, office, "请小区三方先与舞队约定时间和音量，社区跟踪。")
        step(1.25, services.accept, case, committee)
    # Up to the street's 执法督查组 by the two offices, and taken up there.
    case = story(
        12,
        jinxiu,
        commissioner,
        (
            "7 幢违章搭建阳光房",
            CaseCategory.VIOLATION,
            "7 幢顶楼露台",
            "顶楼住户在公共露台搭建阳光房，其他业主反映占用公共部位。",
            ("杨建华", "13567512310"),
        ),
    )
    if case:
        step(11, services.escalate, case, commissioner, "当事人拒绝整改。")
        step(9, services.escalate, case, office, "涉及违章建筑，需执法介入。")
        step(8, services.assign, case, street, street, "执法督查组现场核查。")
    # Nobody acted: the worker took it up twice, and it is overdue at the street.
    case = story(
        25,
        jinxiu,
        commissioner,
        (
            "地下车库电动车违规充电",
            CaseCategory.HAZARD,
            "地下车库 B 区",
            "车库内多处私拉电线为电动车充电，存在火灾隐患。",
            None,
        ),
    )
    if case:
        step(21.9, services.escalate, case, None)
        step(16.8, services.escalate, case, None)
    # Resolved, waiting to be closed after the call back.
    case = story(
        6,
        jinxiu,
        commissioner,
        (
            "3 号路灯不亮",
            CaseCategory.COMPLAINT,
            "北门至 3 幢道路",
            "路灯连续一周不亮，夜间出行不便。",
            ("吴美玲", "13857512388"),
        ),
    )
    if case:
        step(5.25, services.accept, case, firm)
        step(4, services.resolve, case, firm, "已更换灯具并检查线路。")
    # Closed with the owner's satisfaction.
    case = story(
        40,
        jinxiu,
        firm,
        (
            "化粪池满溢",
            CaseCategory.HAZARD,
            "6 幢北侧",
            "化粪池满溢，污水流到道路上。",
            ("钱文斌", "13757512399"),
        ),
    )
    if case:
        step(39.25, services.accept, case, firm)
        step(38, services.resolve, case, firm, "已清掏化粪池并疏通管道。")
        step(
            36,
            services.close,
            case,
            commissioner,
            "已处理完毕，路面已清洗。",
            Satisfaction.SATISFIED,
        )
    # Closed at the community, and published on the compound's page, anonymised.
    case = story(
        60,
        jinxiu,
        commissioner,
        (
            "楼道堆放杂物",
            CaseCategory.HAZARD,
            "4 幢各单元楼道",
            "多个楼道堆放纸箱和旧家具，堵塞消防通道。",
            ("朱秀英", "13957512366"),
        ),
    )
    if case:
        step(59, services.escalate, case, commissioner, "涉及住户较多，请社区协调。")
        step(58, services.accept, case, office)
        step(52, services.resolve, case, office, "社区、业委会、物业联合清理楼道，张贴告知书。")
        step(50, services.close, case, office, "楼道已清理，建立每月巡查。", Satisfaction.FAIRLY)
        step(
            49,
            services.publish,
            case,
            office,
            "安全隐患：4 幢楼道堆放杂物。社区、业委会、物业联合清理，已建立每月巡查。",
        )
    # A community's own case, at its office.
    community = next((c for c in communities if jinxiu.path.startswith(c.path)), None)
    if community is not None:
        case = story(
            3,
            community,
            office,
            (
                "社区文化广场健身器材损坏",
                CaseCategory.HAZARD,
                "凤鸣社区文化广场",
                "两台健身器材螺丝松动，存在安全隐患。",
                None,
            ),
        )
        if case:
            step(2.25, services.accept, case, office)
