"""A year of notices: each compound's and each community's, some pinned, some already expired.

Each notice is written by the compound's property firm, committee or commissioner (its
community's office for a community notice) and published by the chain that reviews its scope.
An expired notice leaves the site and the screens through Wagtail's own scheduled unpublishing,
which the loader runs last.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wagtail.rich_text import RichText

from content_types.notices.models import NoticeCategory, NoticePage
from content_types.roles.models import Role

from .pictures import site_plan
from .review import add_draft, approve_all, has_child, person, submit

if TYPE_CHECKING:
    from content_types.structure.models import CommunityPage, CompoundPage

    from .clock import Clock


@dataclass(frozen=True)
class Picture:
    """A picture drawn for the demo (``site_config.demo.pictures``), with what it shows."""

    title: str
    description: str
    caption: str


@dataclass(frozen=True)
class Notice:
    slug: str
    days_ago: int
    category: str
    title: str
    summary: str
    body: str
    author_role: str = Role.PROPERTY_FIRM
    pinned: bool = False
    valid_days: int | None = None  # expires this many days after publishing
    on_screens: bool = True
    picture: Picture | None = None


COMPOUND_NOTICES = (
    Notice(
        "spring-greening",
        330,
        NoticeCategory.NOTICE,
        "春季绿化补植通知",
        "小区中心花园及各幢楼前绿地本周补植香樟、桂花，施工期间请绕行。",
        "本周一至周五，物业将对中心花园及各幢楼前绿地进行补植，施工区域设置围挡，请业主绕行，"
        "看管好儿童和宠物。",
        valid_days=14,
    ),
    Notice(
        "fire-drill",
        250,
        NoticeCategory.EVENT,
        "高层住宅消防疏散演练",
        "联合社区和消防站开展疏散演练，请各户按楼道指示有序撤离。",
        "演练当天上午九点拉响警报，请在家的业主沿安全通道下楼，到中心广场集合清点人数。"
        "演练结束后由消防站讲解家用灭火器使用方法。",
        valid_days=30,
    ),
    Notice(
        "typhoon",
        95,
        NoticeCategory.NOTICE,
        "防台防汛安全提示",
        "台风将影响本地，请收好阳台花盆和晾晒衣物，地下车库车辆及时移出。",
        "物业已对地下车库排水泵、沙袋进行检查。台风期间请勿在大树、广告牌下停留，"
        "发现险情请拨打物业 24 小时值班电话。",
        valid_days=7,
    ),
    Notice(
        "charging-piles",
        40,
        NoticeCategory.PUBLICITY,
        "电动自行车集中充电点建成公示",
        "小区新建两处电动自行车集中充电点，收费标准和使用须知公示如下。",
        "新充电点位于北门车棚和 5 幢西侧，扫码充电，每度电收费 0.8 元（含服务费）。"
        "严禁电动自行车进楼入户和飞线充电。",
        author_role=Role.COMMISSIONER,
        picture=Picture(
            "电动自行车集中充电点位置示意图",
            "小区平面示意图，绿色圆点标出北门车棚和5幢西侧两处充电点",
            "绿色圆点为新建的集中充电点",
        ),
    ),
    Notice(
        "fee-reminder",
        20,
        NoticeCategory.NOTICE,
        "物业服务费缴纳提醒",
        "本年度物业服务费可在物业服务中心或线上缴纳，欢迎按时缴费。",
        "收费标准按前期物业服务合同执行，缴费后可在物业服务中心开具发票。对费用有疑问的，"
        "可向业委会或社区反映。",
        pinned=True,
    ),
    Notice(
        "winter-safety",
        6,
        NoticeCategory.NOTICE,
        "冬季用电用火安全提示",
        "冬季取暖请注意用电安全，离家时关闭取暖设备，楼道内禁止堆放杂物。",
        "物业将于本周开展楼道杂物清理，请业主自行清理楼道内堆放的物品，逾期将统一清运。",
        pinned=True,
        valid_days=60,
    ),
)
COMMUNITY_NOTICES = (
    Notice(
        "free-clinic",
        45,
        NoticeCategory.EVENT,
        "社区义诊进小区活动",
        "社区卫生服务中心医生来社区义诊，测血压、血糖，免费咨询。",
        "活动地点在社区党群服务中心一楼，请携带医保卡，行动不便的老人可预约上门。",
        author_role=Role.COMMUNITY_OFFICE,
        valid_days=20,
    ),
    Notice(
        "anti-fraud",
        12,
        NoticeCategory.ANNOUNCEMENT,
        "防范电信网络诈骗提示",
        "社区民警提醒：陌生来电自称客服、公检法要求转账的，一律是诈骗。",
        "如遇可疑情况请拨打 96110 咨询，或到社区警务室求助。",
        author_role=Role.COMMUNITY_OFFICE,
    ),
)


def load(clock: Clock, compounds: list[CompoundPage], communities: list[CommunityPage]) -> None:
    for compound in compounds:
        for notice in COMPOUND_NOTICES:
            publish(clock, compound, notice)
    for community in communities:
        for notice in COMMUNITY_NOTICES:
            publish(clock, community, notice)


def publish(clock: Clock, parent: CommunityPage | CompoundPage, notice: Notice) -> None:
    if has_child(parent, notice.slug):
        return
    author = person(parent, notice.author_role)
    with clock.at(notice.days_ago, hour=8) as written:
        expires = (
            written + datetime.timedelta(days=notice.valid_days) if notice.valid_days else None
        )
        page = NoticePage(
            title=notice.title,
            slug=notice.slug,
            category=notice.category,
            summary=notice.summary,
            body=[
                ("paragraph", RichText(f"<p>{notice.body}</p>")),
                *picture_blocks(parent, notice.picture),
            ],
            pinned=notice.pinned,
            show_on_screens=notice.on_screens,
            expire_at=expires,
        )
        add_draft(parent, page, author)
        submit(page, author)
    with clock.at(notice.days_ago, hour=15):
        approve_all(page, comment="内容属实，同意发布。")


def picture_blocks(parent: CommunityPage | CompoundPage, picture: Picture | None) -> list[Any]:
    """The notice's picture block, its image drawn and kept in the scope's own collection."""
    if picture is None:
        return []
    image = site_plan(parent, picture.title, picture.description)
    return [("image", {"image": image, "caption": picture.caption})]
