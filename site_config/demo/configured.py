"""Pages of the kinds the example file declares: each compound's elevator maintenance of the
last two quarters and fire-safety checks of the last three months, written by the firm and
published through the kind's chain; the first compound's latest check still waits in review,
so the dashboard shows it owing last month's 消防设施检查公示 (the kind's schedule)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from content_types.configured_disclosures.models import ConfiguredDisclosurePage, ConfiguredKind
from content_types.roles.models import Role

from .review import add_draft, approve_all, has_child, person, submit

if TYPE_CHECKING:
    from content_types.structure.models import CompoundPage

    from .clock import Clock

FIRE_ITEMS = (
    ("地下车库", "灭火器", 12, 12),
    ("各楼道", "消火栓", 10, 9),
    ("物业用房", "烟感报警", 8, 8),
)
ELEVATOR_FIRMS = ("绍兴安达电梯有限公司", "上虞迅达电梯维保服务部")


def load(clock: Clock, compounds: list[CompoundPage]) -> None:
    kinds = {kind.code: kind for kind in ConfiguredKind.objects.filter(active=True)}
    for number, compound in enumerate(compounds):
        if "elevator-maintenance" in kinds:
            for _start, end in clock.quarters(2):
                elevator(clock, compound, kinds["elevator-maintenance"], number, end)
        if "fire-safety" in kinds:
            months = clock.months(3)
            for _start, end in months:
                # Checked in the last week of the month it is for.
                day = end - datetime.timedelta(days=5)
                waiting = number == 0 and end == months[-1][1]
                fire(clock, compound, kinds["fire-safety"], day, waiting)


def _write(
    clock: Clock,
    compound: CompoundPage,
    page: ConfiguredDisclosurePage,
    days_ago: int,
    waiting: bool = False,
) -> None:
    author = person(compound, Role.PROPERTY_FIRM)
    with clock.at(days_ago + 1, hour=10):
        add_draft(compound, page, author)
        submit(page, author)
    if not waiting:
        with clock.at(days_ago, hour=15):
            approve_all(page, comment="已核对，同意公示。")


def elevator(
    clock: Clock, compound: CompoundPage, kind: ConfiguredKind, number: int, end: datetime.date
) -> None:
    slug = f"elevator-{end:%Y-%m}"
    if has_child(compound, slug):
        return
    area = int(compound.total_exclusive_area or 30000)
    buildings = max(2, min(6, area // 9000))
    rows = []
    for building in range(1, buildings + 1):
        done = end - datetime.timedelta(days=10 + building)
        rows.append(
            {
                "building": f"{building}幢",
                "unit": "1单元",
                "maintained_on": done.isoformat(),
                "result": "停用待修" if (building + number) % 7 == 0 else "合格",
                "next_on": (done + datetime.timedelta(days=15)).isoformat(),
            }
        )
    page = ConfiguredDisclosurePage(
        title=f"{compound.title}{end.year}年{(end.month - 1) // 3 + 1}季度电梯维保公示",
        slug=slug,
        kind=kind,
        as_of=end,
        header={"elevator_count": buildings, "firm": ELEVATOR_FIRMS[number % 2]},
        rows=rows,
        notes="维保记录原件存物业服务中心，业主可查阅。",
    )
    _write(clock, compound, page, max(clock.days_since(end) - 5, 0))


def fire(
    clock: Clock, compound: CompoundPage, kind: ConfiguredKind, day: datetime.date, waiting: bool
) -> None:
    slug = f"fire-safety-{day:%Y-%m}"
    if has_child(compound, slug):
        return
    rows = [
        {"place": place, "item": item, "points": points, "passed": passed}
        for place, item, points, passed in FIRE_ITEMS
    ]
    page = ConfiguredDisclosurePage(
        title=f"{compound.title}{day.year}年{day.month}月消防设施检查公示",
        slug=slug,
        kind=kind,
        as_of=day,
        header={
            "inspected_on": day.isoformat(),
            "inspector": "物业安全主管",
            "points_total": sum(points for _, _, points, _ in FIRE_ITEMS),
        },
        rows=rows,
    )
    _write(clock, compound, page, max(clock.days_since(day) - 2, 0), waiting)
