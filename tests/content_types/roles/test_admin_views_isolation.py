"""Wagtail's reports and move confirmation name only what is within the reader's reach.

A commissioner (also in the Party organisation) of each of 锦绣花园 (a1),
阳光水岸 (a2) and 龙山公寓 (b1) submits, locks and edits a notice of their
compound and submits a committee candidate. A compound role of a1 then finds
only a1's commissioner among the users its reports filter by (site history,
workflows, locked pages), only a1's notice and candidate in the workflow
reports, and counts only a1's pages in the page types report; a role of
凤鸣社区 finds a1's and a2's, never b1's. A commissioner is asked to confirm
moving their own draft within their compound, and refused below another.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from wagtail.log_actions import log

from content_types.notices.models import NoticePage
from content_types.roles.models import Role
from content_types.structure.models import CompoundPage
from tests.content_types.committees.factories import CommitteeCandidateFactory
from tests.content_types.notices.factories import NoticePageFactory
from tests.workflows.chains.chain_setup import (
    COMPOUND_CONTENT_CHAIN,
    attach,
    ensure_candidate_vetting_chain,
    ensure_scoped_chain,
)

from .factories import RoleAssignmentFactory
from .test_snippet_isolation import COMMUNITY_ROLES, COMPOUND_ROLES, refused

pytestmark = pytest.mark.django_db

WRITERS = {"compound_a1": "writer_a1", "compound_a2": "writer_a2", "compound_b1": "writer_b1"}
USER_FILTERS = {"site_history": "user", "workflow": "requested_by", "locked_pages": "locked_by"}
REPORTS = [*USER_FILTERS, "workflow_tasks"]


@pytest.fixture
def submitted(street_tree, role_user) -> None:
    """Each writer's notice (in review, locked, edited) and candidate (in vetting)."""
    attach(ensure_scoped_chain(*COMPOUND_CONTENT_CHAIN), CompoundPage.objects.all())
    vetting = ensure_candidate_vetting_chain()
    for key, username in WRITERS.items():
        compound = getattr(street_tree, key)
        writer = role_user(Role.COMMISSIONER, compound, username)
        notice = NoticePageFactory(parent=compound, title=f"审核中{key}", live=False)
        notice.save_revision(user=writer)
        compound.get_workflow().start(notice, writer)
        log(notice, "wagtail.edit", user=writer)
        NoticePage.objects.filter(pk=notice.pk).update(locked=True, locked_by=writer)
        RoleAssignmentFactory(user=writer, role=Role.COMPOUND_PARTY, scope=compound)
        candidate = CommitteeCandidateFactory(compound=compound, name=f"人选{key}")
        candidate.save_revision(user=writer)
        vetting.start(candidate, writer)


def filter_choices(response: Any, name: str) -> set[str]:
    filters = response.context["filters"]
    if filters is None or name not in filters.form.fields:
        return set()
    return {str(user) for user in filters.form.fields[name].queryset}


def readers(street_tree: Any, role_user: Any) -> list[tuple[Any, set[str]]]:
    """Every scoped role's user, with the writers they may see."""
    return [
        (role_user(role, street_tree.compound_a1), {"writer_a1"}) for role in COMPOUND_ROLES
    ] + [
        (role_user(role, street_tree.community_a), {"writer_a1", "writer_a2"})
        for role in COMMUNITY_ROLES
    ]


def test_report_user_filters_list_only_users_within_reach(
    street_tree, role_user, submitted, client
):
    for reader, reachable in readers(street_tree, role_user):
        client.force_login(reader)
        for report in REPORTS:
            response = client.get(reverse(f"wagtailadmin_reports:{report}"))
            if refused(response):
                continue
            assert response.status_code == 200, (reader.username, report)
            if field := USER_FILTERS.get(report):
                assert filter_choices(response, field) <= reachable, (reader.username, report)
            body = response.content.decode()
            for key, username in WRITERS.items():
                if username not in reachable:
                    for name in (username, f"审核中{key}", f"人选{key}"):
                        assert name not in body, (reader.username, report, name)
        history = client.get(reverse("wagtailadmin_reports:site_history"))
        assert filter_choices(history, "user") == reachable, reader.username
        workflows = client.get(reverse("wagtailadmin_reports:workflow"))
        assert filter_choices(workflows, "requested_by") == reachable, reader.username


def test_the_page_types_report_counts_only_pages_within_reach(
    street_tree, role_user, submitted, client
):
    for reader, reachable in readers(street_tree, role_user):
        client.force_login(reader)
        response = client.get(reverse("wagtailadmin_reports:page_types_usage"))
        assert response.status_code == 200
        rows = {row.model: row for row in response.context["object_list"]}
        assert rows["noticepage"].count == len(reachable), reader.username
        assert rows["compoundpage"].count == len(reachable), reader.username
        assert rows["noticepage"].last_edited_page.title in {
            f"审核中{key}" for key, username in WRITERS.items() if username in reachable
        }
        body = response.content.decode()
        for key, username in WRITERS.items():
            if username not in reachable:
                assert f"审核中{key}" not in body, (reader.username, key)


def test_a_move_is_confirmed_only_within_reach(street_tree, role_user, client):
    commissioner = role_user(Role.COMMISSIONER, street_tree.compound_a1)
    own = NoticePageFactory(parent=street_tree.compound_a1, title="本小区草稿", live=False)
    own.owner = commissioner
    own.save()
    client.force_login(commissioner)

    within = client.get(f"/admin/pages/{own.pk}/move/{street_tree.compound_a1.pk}/confirm/")
    beyond = client.get(f"/admin/pages/{own.pk}/move/{street_tree.compound_b1.pk}/confirm/")

    assert within.status_code == 200 and "本小区草稿" in within.content.decode()
    assert refused(beyond)


def test_the_replaced_views_still_ask_for_a_login(street_tree, client):
    for url in [
        f"/admin/pages/{street_tree.compound_a1.pk}/move/{street_tree.compound_b1.pk}/confirm/",
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:page_types_usage"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
