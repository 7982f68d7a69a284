"""A hazard nobody takes up climbs by itself, in a real browser with the real worker.

The commissioner of 锦绣花园 files it in the admin; nobody acts; past the compound's deadline the
worker (on the configured broker) passes it to 凤鸣社区's office, and past the community's to
the street office and its 执法督查组, each level told in its notifications and in its 浙政钉
(DingTalk) group, through a real receiver on a loopback port that checks each message's
signature. The street resolves it, and the case's page shows every step. A user of 阳光水岸
sees nothing of it at any point, and 阳光水岸's committee's WeCom group hears nothing.
Time is moved by setting the level's deadline into the past, as the passing days would.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from content_types.cases.models import Case, CaseLevel, CaseStatus
from content_types.cases.tasks import escalate_overdue_cases
from content_types.roles.models import Role
from tests.celery_worker import celery_worker, wait_for
from tests.content_types.cases.factories import street_working_groups
from tests.webhook_receiver import webhook_receiver
from workflows.chains.models import Notification
from workflows.channels.models import Channel, ChannelKind

from .admin_session import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PASSWORD = "weizhi-test"
SECRET = "SECbrowser0123456789abcdef"  # noqa: S105 - the test's own robots' secret


@pytest.fixture
def robots(street_tree, monkeypatch) -> Any:
    """The community's and the street's DingTalk robots and 阳光水岸's committee's WeCom robot,
    all answered by one receiver on loopback; the secret is in the environment, by name."""
    monkeypatch.setenv("WEIZHI_TEST_DINGTALK_SECRET", SECRET)
    with webhook_receiver() as receiver:
        robots = [
            ("fengming", street_tree.community_a, Role.COMMUNITY_OFFICE),
            ("street", street_tree.street, Role.STREET_OFFICE),
            ("yangguang", street_tree.compound_a2, Role.OWNERS_COMMITTEE),
        ]
        for code, scope, role in robots:
            dingtalk = code != "yangguang"
            path = (
                f"/robot/send?access_token={code}"
                if dingtalk
                else f"/cgi-bin/webhook/send?key={code}"
            )
            Channel.objects.create(
                code=code,
                name=code,
                kind=ChannelKind.DINGTALK if dingtalk else ChannelKind.WECOM,
                address=f"{receiver.url}{path}",
                secret_env="WEIZHI_TEST_DINGTALK_SECRET" if dingtalk else "",
                scope=scope,
                roles=[role],
            )
        yield receiver


@pytest.fixture
def worker_queue(robots) -> Any:
    """The real worker, started once the robots' secret is in the environment it inherits."""
    with celery_worker(settings.CELERY_BROKER_URL) as queue:
        yield queue


def robot_heard(receiver: Any, token: str, case: Case) -> list[Any]:
    return [
        got
        for got in receiver.at("/robot/send")
        if got.query.get("access_token") == token and case.number in got.text
    ]


@pytest.fixture
def people(street_tree, role_user) -> dict[str, Any]:
    street_working_groups(street_tree.street)
    people = {
        "commissioner_a1": role_user(Role.COMMISSIONER, street_tree.compound_a1, "commissioner_a1"),
        "office_a": role_user(Role.COMMUNITY_OFFICE, street_tree.community_a, "office_a"),
        "street_office": role_user(Role.STREET_OFFICE, street_tree.street, "street_office"),
        "committee_a2": role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a2, "committee_a2"),
    }
    for user in people.values():
        user.set_password(PASSWORD)
        user.save()
    return people


def signed_in(chromium: Any, base_url: str, username: str) -> Any:
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, base_url, username, PASSWORD)
    return page


def nothing_shown_to_the_other_compound(chromium: Any, base_url: str, case: Case) -> None:
    page = signed_in(chromium, base_url, "committee_a2")
    page.goto(f"{base_url}/admin/cases/")
    assert case.title not in page.content()
    response = page.goto(f"{base_url}/admin/cases/{case.pk}/")
    assert response.status == 404 and case.title not in page.content()
    page.context.close()


def pass_the_deadline_and_run_the_worker(case: Case, queue: str, level: str) -> None:
    Case.objects.filter(pk=case.pk).update(deadline_at=timezone.now() - timedelta(minutes=1))
    escalate_overdue_cases.apply_async(queue=queue)
    assert wait_for(lambda: Case.objects.get(pk=case.pk).level == level)


def told(username: str) -> list[str]:
    return list(
        Notification.objects.filter(
            recipient__username=username, event=Notification.Event.CASE
        ).values_list("subject", flat=True)
    )


def test_a_hazard_climbs_to_the_street_group_and_is_resolved_there(
    live_server, page, chromium, street_tree, people, robots, worker_queue
) -> None:
    base = live_server.url
    sign_in(page, base, "commissioner_a1", PASSWORD)
    page.goto(f"{base}/admin/cases/new/")
    page.select_option("#id_scope", str(street_tree.compound_a1.pk))
    page.select_option("#id_category", "hazard")
    page.locator("#id_title").fill("地下车库私拉电线充电")
    page.locator("#id_place").fill("地下车库 B 区")
    page.locator("#id_description").fill("多处私拉电线为电动车充电，存在火灾隐患。")
    page.select_option("#id_reporter_kind", "patrol")
    page.locator("#w-editor-form button[type=submit]").first.click()
    page.wait_for_url(f"{base}/admin/cases/*/")
    case = Case.objects.get(title="地下车库私拉电线充电")
    assert "小区三方" in page.locator("#case-state").inner_text()
    nothing_shown_to_the_other_compound(chromium, base, case)

    pass_the_deadline_and_run_the_worker(case, worker_queue, CaseLevel.COMMUNITY)
    assert any("已上报至社区微治办" in subject for subject in told("office_a"))
    assert wait_for(lambda: robot_heard(robots, "fengming", case))
    [community] = robot_heard(robots, "fengming", case)
    assert community.signed_with(SECRET)
    assert "已上报至社区微治办" in community.text and "小区三方逾期未办结" in community.text
    nothing_shown_to_the_other_compound(chromium, base, case)

    pass_the_deadline_and_run_the_worker(case, worker_queue, CaseLevel.STREET)
    assert any("街道微治办（执法督查组）" in subject for subject in told("street_office"))
    assert told("committee_a2") == []
    assert wait_for(lambda: robot_heard(robots, "street", case))
    [street_robot] = robot_heard(robots, "street", case)
    assert street_robot.signed_with(SECRET)
    assert "已上报至街道微治办（执法督查组）" in street_robot.text
    assert "社区微治办逾期未办结" in street_robot.text
    assert len(robot_heard(robots, "fengming", case)) == 1  # each level told once

    street = signed_in(chromium, base, "street_office")
    street.goto(f"{base}/admin/cases/?waiting=true")
    street.get_by_role("link", name=f"{case.number} 地下车库私拉电线充电").click()
    assert "执法督查组" in street.locator("#case-state").inner_text()
    street.locator("#id_resolve-resolution").fill("联合执法拆除私拉电线，设置集中充电点。")
    street.locator("#case-step-resolve button").click()
    street.wait_for_load_state()
    assert "已办结" in street.locator("#case-state").inner_text()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RESOLVED

    timeline = street.locator("#case-timeline").inner_text()
    for text in (
        "登记",
        "小区三方 → 社区微治办",
        "社区微治办 → 街道微治办",
        "系统（逾期自动上报）",
        "办结",
        "联合执法拆除私拉电线",
    ):
        assert text in timeline, text
    street.context.close()
    nothing_shown_to_the_other_compound(chromium, base, case)
    assert robots.at("/cgi-bin/webhook/send") == []  # 阳光水岸's committee heard nothing
