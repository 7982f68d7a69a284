"""A hazard nobody takes up climbs by itself, in a real browser with the real worker.

The commissioner of 锦绣花园 files it in the admin; nobody acts; past the compound's deadline the
worker (on the configured broker) passes it to 凤鸣社区's office, and past the community's to
the street office and its 执法督查组, each level told in its notifications. The street resolves
it, and the case's page shows every step. A user of 阳光水岸 sees nothing of it at any point.
Time is moved by setting the level's deadline into the past, as the passing days would.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from content_types.cases.models import Case, CaseLevel, CaseStatus
from content_types.cases.tasks import escalate_overdue_cases
from content_types.roles.models import Role
from tests.celery_worker import wait_for
from tests.content_types.cases.factories import street_working_groups
from workflows.chains.models import Notification

from .admin_session import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PASSWORD = "weizhi-test"


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
    live_server, page, chromium, street_tree, people, worker_queue
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
    nothing_shown_to_the_other_compound(chromium, base, case)

    pass_the_deadline_and_run_the_worker(case, worker_queue, CaseLevel.STREET)
    assert any("街道微治办（执法督查组）" in subject for subject in told("street_office"))
    assert told("committee_a2") == []

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
