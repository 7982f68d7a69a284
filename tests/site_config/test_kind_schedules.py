"""A declared kind's ``schedule`` counts where the file's schedules count: the dashboard's
公开事项到期, a community screen's dues and the scorecard's 公开事项按时公开率."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from api.disclosure_dues import dues_of
from content_types.roles.models import Role
from content_types.scorecards.compute import compute
from content_types.scorecards.models import ScoreLine
from content_types.scorecards.periods import from_key
from content_types.structure.models import CompoundPage
from tests.content_types.configured_disclosures.factories import (
    ConfiguredDisclosurePageFactory,
    ConfiguredKindFactory,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 2026年第三季度 ended; with 15 days' grace it is due by 10月15日.
TODAY = datetime.datetime(2026, 10, 5, 10, tzinfo=SHANGHAI)
H2 = from_key("2026H2")


def panel(client) -> str:
    """The dashboard's 公开事项到期 panel (empty when it is not shown)."""
    html = client.get("/admin/").text
    start = html.find('id="disclosures-due-heading"')
    return "" if start < 0 else html[start : html.find("</section>", start)]


def line_of(html: str, title: str) -> str:
    start = html.find(f">{title}</a>")
    return "" if start < 0 else html[start : html.find("</li>", start)]


def on_time(compound: CompoundPage) -> tuple:
    line = ScoreLine.objects.get(
        scorecard__period__key=H2.key, scorecard__scope=compound, code="disclosures_on_time"
    )
    return line.numerator, line.denominator, [(i["label"], i["ok"]) for i in line.items]


def publish(compound: CompoundPage, kind, as_of: datetime.date, title: str):
    page = ConfiguredDisclosurePageFactory(
        parent=compound, kind=kind, as_of=as_of, title=title, live=False
    )
    page.save_revision().publish()
    return page


def test_a_declared_kind_is_due_and_scored_until_its_page_is_published(
    street_tree, role_user, client
) -> None:
    tree = street_tree
    kind = ConfiguredKindFactory(every="quarter", grace_days=15)
    # A kind for communities only is not asked of compounds; one without a schedule never.
    ConfiguredKindFactory(name="社区公示", levels=["community"], every="month")
    ConfiguredKindFactory(name="不定期公示", every="")
    with time_machine.travel(datetime.datetime(2026, 7, 10, 10, tzinfo=SHANGHAI), tick=False):
        publish(tree.compound_a1, kind, datetime.date(2026, 6, 30), "第二季度电梯维保公示")
    client.force_login(role_user(Role.COMMUNITY_OFFICE, tree.community_a))

    with time_machine.travel(TODAY, tick=False):
        before = panel(client)
        dues = dues_of(CompoundPage.objects.filter(pk=tree.compound_a1.pk), TODAY.date())
        compute(H2)
        scored = on_time(tree.compound_a1)

    assert "2026年第三季度电梯维保公示（2026年10月15日前）" in before
    assert "电梯维保公示（2026年第三季度）<strong>待公开</strong>" in line_of(before, "锦绣花园")
    assert "电梯维保公示" in line_of(before, "阳光水岸")
    assert "社区公示" not in before and "不定期公示" not in before
    assert [(due.name, due.state_label) for due in dues[tree.compound_a1.pk]] == [
        ("电梯维保公示", "待公开")
    ]
    assert scored == (
        1,
        2,
        [("电梯维保公示 2026年第二季度", True), ("电梯维保公示 2026年第三季度", False)],
    )

    with time_machine.travel(TODAY, tick=False):
        publish(tree.compound_a1, kind, datetime.date(2026, 9, 30), "第三季度电梯维保公示")
        after = panel(client)
        compute(H2)
        rescored = on_time(tree.compound_a1)

    assert line_of(after, "锦绣花园") == ""
    assert "电梯维保公示（2026年第三季度）<strong>待公开</strong>" in line_of(after, "阳光水岸")
    assert rescored[:2] == (2, 2)
    # The other compound of the community still lowers the community's share.
    community = ScoreLine.objects.get(
        scorecard__period__key=H2.key, scorecard__scope=tree.community_a, code="disclosures_on_time"
    )
    assert (community.numerator, community.denominator) == (2, 4)
