"""The reviewer's dashboard costs the same number of queries however long the queue is.

The first items go through the real route (factory, revision, ``workflow.start``);
the hundreds behind them are written in bulk with the same rows Wagtail writes,
so the 500-item queue is built in seconds.
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Revision, TaskState, WorkflowState

from content_types.notices.models import NoticePage
from content_types.roles.models import Role
from content_types.structure.models import CompoundPage
from tests.content_types.notices.factories import NoticePageFactory
from tests.workflows.chains.chain_setup import COMPOUND_CONTENT_CHAIN, attach, ensure_scoped_chain

pytestmark = pytest.mark.django_db

# Two of them are the cases panel (its counts, and its overdue cases); the panels of reports,
# audits and annual tasks a few more. The user's roles are read once for every menu and panel
# that asks (``roles_held``).
DASHBOARD_QUERIES = 38


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


def bulk_submit_notices(compound, author, count: int) -> None:
    """``count`` draft notices waiting at the chain's first step, in a handful of bulk inserts."""
    template = NoticePageFactory.build()
    now = timezone.now()
    compound = Page.objects.get(pk=compound.pk)
    workflow = compound.get_workflow()
    first_task = workflow.tasks.order_by("workflow_tasks__sort_order").first()
    notice_type = ContentType.objects.get_for_model(NoticePage)
    page_type = ContentType.objects.get_for_model(Page)
    start = compound.numchild + 1
    pages = Page.objects.bulk_create(
        Page(
            title=f"批量通知{index}",
            draft_title=f"批量通知{index}",
            slug=f"bulk-notice-{index}",
            path=Page._get_path(compound.path, compound.depth + 1, index),  # noqa: SLF001
            depth=compound.depth + 1,
            numchild=0,
            url_path=f"{compound.url_path}bulk-notice-{index}/",
            content_type=notice_type,
            locale_id=compound.locale_id,
            live=False,
            has_unpublished_changes=True,
            owner=author,
        )
        for index in range(start, start + count)
    )
    compound.numchild += count
    compound.save(update_fields=["numchild"])
    notices = []
    for page in pages:
        notice = NoticePage(page_ptr=page, body=template.body, summary=template.summary)
        notice.__dict__.update({field.attname: getattr(page, field.attname)
                                for field in Page._meta.concrete_fields})  # fmt: skip
        notices.append(notice)
    local_fields = NoticePage._meta.local_concrete_fields
    # Thousands of pages inserted as treebeard would place them, in one statement.
    NoticePage._base_manager._insert(notices, fields=local_fields, using="default")  # noqa: SLF001
    revisions = Revision.objects.bulk_create(
        Revision(
            content_type=notice_type,
            base_content_type=page_type,
            object_id=str(notice.pk),
            user=author,
            object_str=notice.title,
            created_at=now,
            content=notice.serializable_data(),
        )
        for notice in notices
    )
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = revision
    Page.objects.bulk_update(pages, ["latest_revision"])
    states = WorkflowState.objects.bulk_create(
        WorkflowState(
            content_type=notice_type,
            base_content_type=page_type,
            object_id=str(page.pk),
            workflow=workflow,
            status=WorkflowState.STATUS_IN_PROGRESS,
            requested_by=author,
            created_at=now,
        )
        for page in pages
    )
    task_states = TaskState.objects.bulk_create(
        TaskState(
            workflow_state=state,
            revision=revision,
            task=first_task,
            status=TaskState.STATUS_IN_PROGRESS,
            started_at=now,
            content_type=ContentType.objects.get_for_model(TaskState),
        )
        for state, revision in zip(states, revisions, strict=True)
    )
    for state, task_state in zip(states, task_states, strict=True):
        state.current_task_state = task_state
    WorkflowState.objects.bulk_update(states, ["current_task_state"])


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
    bulk_submit_notices(street_tree.compound_a1, author, 495)
    many, many_html = dashboard_queries(client)

    assert "共 5 项等待您审核" in few_html
    assert "共 500 项等待您审核" in many_html
    assert many_html.count('class="title"') >= 500
    assert "批量通知500" in many_html
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
