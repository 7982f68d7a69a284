"""Annual tasks: month or long-term deadlines, overdue tasks, the offices' dashboard panel."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import RequestFactory
from django.urls import reverse

from content_types.governance_tasks.models import GovernanceTask, TaskStatus
from content_types.governance_tasks.wagtail_hooks import add_overdue_tasks_panel
from content_types.roles.models import Role
from tests.content_types.governance_tasks.factories import GovernanceTaskFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2023, 7, 15)


def task_form(**fields) -> dict:
    return {
        "year": "2023",
        "number": "1",
        "area": "（一）突出党建引领，健全工作机制",
        "key_task": "组建两级“微治办”",
        "measure": "街道成立街道“微治办”。",
        "responsible_offices": "党建办",
        "deadline_month": "2023-04-18",
        "status": TaskStatus.IN_PROGRESS,
        **fields,
    }


def test_the_street_office_publishes_a_task_due_in_a_month(street_tree, role_user, client):
    client.force_login(role_user(Role.STREET_OFFICE, street_tree.street))

    response = client.post(
        reverse(GovernanceTask.snippet_viewset.get_url_name("add")),
        task_form(**{"action-publish": "1"}),
    )

    assert response.status_code == 302
    task = GovernanceTask.objects.get()
    assert task.live
    assert task.deadline_month == datetime.date(2023, 4, 1)
    assert task.deadline_display == "2023年4月"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"deadline_month": ""}, "deadline_month", "请填写完成月份，或勾选“长期坚持”。"),
        (
            {"is_long_term": "on"},
            "deadline_month",
            "长期坚持的任务没有完成月份，请清空月份或取消“长期坚持”。",
        ),
        ({"status": TaskStatus.ONGOING}, "status", "只有长期坚持的任务才能标为“长期坚持”状态。"),
    ],
)
def test_a_deadline_is_a_month_or_long_term_never_both_nor_neither(
    fields, field, message, street_tree, role_user, client
):
    client.force_login(role_user(Role.STREET_OFFICE, street_tree.street))

    response = client.post(
        reverse(GovernanceTask.snippet_viewset.get_url_name("add")), task_form(**fields)
    )

    assert response.status_code == 200
    assert message in response.text
    assert not GovernanceTask.objects.exists()


def test_the_database_refuses_a_task_with_both_a_month_and_long_term():
    with pytest.raises(IntegrityError):
        GovernanceTaskFactory(deadline_month=datetime.date(2023, 4, 1), is_long_term=True)


def test_overdue_means_not_done_and_due_before_this_month():
    due = {
        "june_in_progress": GovernanceTaskFactory(
            deadline_month=datetime.date(2023, 6, 1), status=TaskStatus.IN_PROGRESS
        ),
        "april_not_started": GovernanceTaskFactory(deadline_month=datetime.date(2023, 4, 1)),
        "april_done": GovernanceTaskFactory(
            deadline_month=datetime.date(2023, 4, 1), status=TaskStatus.DONE
        ),
        "this_month": GovernanceTaskFactory(deadline_month=datetime.date(2023, 7, 1)),
        "long_term": GovernanceTaskFactory(
            deadline_month=None, is_long_term=True, status=TaskStatus.ONGOING
        ),
    }

    overdue = set(GovernanceTask.objects.overdue(TODAY))

    assert overdue == {due["june_in_progress"], due["april_not_started"]}
    assert {name for name, task in due.items() if task.is_overdue(TODAY)} == {
        "june_in_progress",
        "april_not_started",
    }


def test_compound_roles_read_the_task_list_but_do_not_edit_it(street_tree, role_user, client):
    task = GovernanceTaskFactory()
    client.force_login(role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1))
    viewset = GovernanceTask.snippet_viewset

    listing = client.get(reverse(viewset.get_url_name("list")))
    edit = client.get(reverse(viewset.get_url_name("edit"), args=[task.pk]))

    assert listing.status_code == 200 and task.key_task in listing.text
    assert edit.status_code == 302 and edit["Location"] == reverse("wagtailadmin_home")


def render_panel(user) -> str:
    request = RequestFactory().get("/admin/")
    request.user = user
    panels = []
    add_overdue_tasks_panel(request, panels)
    return "".join(panel.render_html({"request": request}) for panel in panels)


@pytest.mark.parametrize("overdue_count", [2, 20])
def test_the_coordination_offices_see_overdue_tasks_in_a_fixed_number_of_queries(
    overdue_count, street_tree, role_user, django_assert_num_queries
):
    overdue = GovernanceTaskFactory.create_batch(
        overdue_count, deadline_month=datetime.date(2020, 1, 1)
    )
    done = GovernanceTaskFactory(deadline_month=datetime.date(2020, 1, 1), status=TaskStatus.DONE)
    office = role_user(Role.COMMUNITY_OFFICE, street_tree.community_a)

    with django_assert_num_queries(2):
        html = render_panel(office)

    assert all(task.key_task in html for task in overdue)
    assert done.key_task not in html


def test_compound_roles_get_no_task_panel(street_tree, role_user):
    GovernanceTaskFactory(deadline_month=datetime.date(2020, 1, 1))

    assert render_panel(role_user(Role.PROPERTY_FIRM, street_tree.compound_a1)) == ""


def test_the_dashboard_shows_the_panel(street_tree, role_user, client):
    task = GovernanceTaskFactory(deadline_month=datetime.date(2020, 1, 1))
    client.force_login(role_user(Role.STREET_OFFICE, street_tree.street))

    response = client.get(reverse("wagtailadmin_home"))

    assert "年度任务：已过完成时限" in response.text and task.key_task in response.text


@pytest.mark.parametrize("rows", [10, 300])
def test_the_listing_takes_a_fixed_number_of_queries(
    rows, street_tree, role_user, client, django_assert_num_queries
):
    GovernanceTaskFactory.create_batch(rows)
    client.force_login(role_user(Role.STREET_OFFICE, street_tree.street))

    with django_assert_num_queries(15):  # the year and category filters list their choices
        response = client.get(reverse(GovernanceTask.snippet_viewset.get_url_name("list")))

    assert response.status_code == 200
    assert len(set(re.findall(r"重点任务\d+", response.text))) == min(rows, 50)  # a page of 50


def test_a_clean_deadline_is_stored_as_the_first_of_its_month():
    task = GovernanceTaskFactory.build(number=7, deadline_month=datetime.date(2023, 11, 30))

    task.full_clean()

    assert task.deadline_month == datetime.date(2023, 11, 1)


def test_numbers_are_unique_within_a_year_with_a_chinese_message():
    GovernanceTaskFactory(number=3)
    GovernanceTaskFactory.build(number=3, year=2024).full_clean()  # another year's list

    with pytest.raises(ValidationError) as refused:
        GovernanceTaskFactory.build(number=3).full_clean()

    assert refused.value.message_dict["number"] == ["该年度已有这个序号的任务。"]


def test_the_inspect_view_shows_the_task_in_chinese(street_tree, role_user, client):
    task = GovernanceTaskFactory(measure="建立三方联席会议制度。")
    client.force_login(role_user(Role.COMMISSIONER, street_tree.compound_a1))

    response = client.get(
        reverse(GovernanceTask.snippet_viewset.get_url_name("inspect"), args=[task.pk])
    )

    assert response.status_code == 200
    assert "具体举措" in response.text and "建立三方联席会议制度。" in response.text
    assert "责任单位" in response.text and "进展状态" in response.text
