"""The reviewer's dashboard costs the same number of queries however long the queue is."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content_types.roles.models import Role
from content_types.structure.models import CompoundPage
from tests.content_types.notices.factories import NoticePageFactory
from workflows.chains.setup import COMPOUND_CONTENT_CHAIN, attach, ensure_scoped_chain

pytestmark = pytest.mark.django_db

DASHBOARD_QUERIES = 34


@pytest.fixture
def reviewer_and_author(street_tree, role_user):
    attach(ensure_scoped_chain(*COMPOUND_CONTENT_CHAIN), CompoundPage.objects.all())
    author = role_user(Role.COMMISSIONER, street_tree.compound_a1, "commissioner_a1")
    reviewer = role_user(Role.COMMUNITY_OFFICE, street_tree.community_a, "office_a")
    return reviewer, author


def submit_notices(compound, author, count: int) -> None:
    workflow = compound.get_workflow()
    for _ in range(count):
        notice = NoticePageFactory(parent=compound, live=False)
        notice.save_revision(user=author)
        workflow.start(notice, author)


def dashboard_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_dashboard_lists_each_waiting_notice_in_a_fixed_number_of_queries(
    street_tree, reviewer_and_author, client
):
    reviewer, author = reviewer_and_author
    client.force_login(reviewer)
    submit_notices(street_tree.compound_a1, author, 5)
    dashboard_queries(client)  # warm the per-process caches (site, content types)

    few, few_html = dashboard_queries(client)
    submit_notices(street_tree.compound_a1, author, 45)
    many, many_html = dashboard_queries(client)

    assert "共 5 项等待您审核" in few_html
    assert "共 50 项等待您审核" in many_html
    assert (few, many) == (DASHBOARD_QUERIES, DASHBOARD_QUERIES)


def test_another_communitys_reviewer_sees_none_of_the_queue(
    street_tree, reviewer_and_author, role_user, client
):
    _, author = reviewer_and_author
    submit_notices(street_tree.compound_a1, author, 3)
    client.force_login(role_user(Role.COMMUNITY_OFFICE, street_tree.community_b, "office_b"))

    _, html = dashboard_queries(client)

    assert "目前没有等待您审核的内容" in html
    assert "项等待您审核" not in html
