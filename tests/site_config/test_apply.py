"""Applying a configuration file: the plan, all-or-nothing, and a second run that does nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, ReferenceIndex, Site, WorkflowPage
from wagtail.search import index
from wagtail.search.models import IndexEntry

from content_types.accounts.models import AuditAction, AuditEvent
from content_types.governance_tasks.models import GovernanceTask
from content_types.roles.models import Role, RoleAssignment
from content_types.structure.models import CommunityPage, CompoundPage, StreetPage
from site_config.apply import apply_file
from site_config.models import ManagedObject
from site_config.validation import ConfigError
from tests.content_types.notices.factories import NoticePageFactory
from tests.sign_in import sign_in

from .conftest import EXAMPLE, MINIMAL

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)
    ]


def test_the_example_builds_the_street_with_every_role_chain_and_task(empty_site) -> None:
    call_command("apply_config", str(EXAMPLE))

    street = StreetPage.objects.get()
    assert street.title == "百官街道" and street.live
    assert Site.objects.get(is_default_site=True).root_page_id == street.pk
    assert CommunityPage.objects.child_of(street).live().count() == 3
    assert CompoundPage.objects.descendant_of(street).live().count() == 6
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    assert RoleAssignment.objects.filter(managed_by_config=False).count() == 0
    assert GovernanceTask.objects.filter(live=True).count() == 34
    jinxiu = CompoundPage.objects.get(slug="jinxiu")
    assert WorkflowPage.objects.get(page=jinxiu).workflow.name == "小区内容审核"
    assert ManagedObject.objects.filter(kind="compound", key="jinxiu").exists()


def test_a_second_apply_plans_nothing_and_writes_nothing(empty_site) -> None:
    apply_file(EXAMPLE)

    with CaptureQueriesContext(connection) as queries:
        plan = apply_file(EXAMPLE)

    assert plan.is_empty
    assert writes(queries) == []
    assert "无需任何修改" in plan.report()


def test_a_no_op_apply_reads_in_a_fixed_number_of_queries_whatever_the_size(
    empty_site, write_config, django_assert_num_queries
) -> None:
    small = write_config(MINIMAL)
    apply_file(small)
    with CaptureQueriesContext(connection) as queries:
        apply_file(small)
    apply_file(EXAMPLE, allow_delete=True)  # ten times the rows, every kind of object

    with django_assert_num_queries(len(queries.captured_queries)):
        assert apply_file(EXAMPLE).is_empty


def test_the_command_says_when_nothing_changes(empty_site, capsys) -> None:
    call_command("apply_config", str(EXAMPLE))
    call_command("apply_config", str(EXAMPLE))

    out = capsys.readouterr().out
    assert "合计：新建 0，更新 0，移除 0" in out
    assert "站点已与配置文件一致，未做修改。" in out


def test_a_dry_run_prints_the_plan_and_writes_nothing(empty_site, capsys) -> None:
    before = Page.objects.count()

    with CaptureQueriesContext(connection) as queries:
        call_command("apply_config", str(EXAMPLE), "--dry-run")

    out = capsys.readouterr().out
    assert "新建 小区 jinxiu" in out
    assert "新建 用户 committee_yangguang" in out
    assert "演练模式，未做任何修改" in out
    assert writes(queries) == []
    assert Page.objects.count() == before
    assert not get_user_model().objects.exists()


def test_a_changed_file_plans_the_changed_fields_only(empty_site, write_config, capsys) -> None:
    apply_file(write_config(MINIMAL))
    changed = write_config(MINIMAL.replace("households: 612", "households: 640"))

    call_command("apply_config", str(changed), "--dry-run")

    out = capsys.readouterr().out
    assert "更新 小区 jinxiu：户数：612 → 640" in out
    assert "合计：新建 0，更新 1，移除 0" in out
    assert CompoundPage.objects.get(slug="jinxiu").household_count == 612

    apply_file(changed)
    assert CompoundPage.objects.get(slug="jinxiu").household_count == 640
    assert apply_file(changed).is_empty


def test_demo_passwords_are_set_on_creation_and_never_overwritten(
    empty_site, write_config, client
) -> None:
    path = write_config(MINIMAL)
    apply_file(path)
    assert sign_in(client, "committee", "weizhi-demo")
    assert not sign_in(client, "office", "weizhi-demo")  # no password given
    user = get_user_model().objects.get(username="committee")
    user.set_password("changed-by-owner")
    user.save()

    apply_file(path)

    assert sign_in(client, "committee", "changed-by-owner")


def test_a_password_from_the_environment(empty_site, write_config, client, monkeypatch) -> None:
    monkeypatch.setenv("WEIZHI_OFFICE_PASSWORD", "from-the-env-1")
    apply_file(
        write_config(
            MINIMAL.replace(
                "  - username: office\n",
                "  - username: office\n    password_env: WEIZHI_OFFICE_PASSWORD\n",
            )
        )
    )
    assert sign_in(client, "office", "from-the-env-1")


def test_roles_from_the_file_grant_their_scope_only(empty_site, write_config, client) -> None:
    apply_file(write_config(MINIMAL))
    assert sign_in(client, "committee", "weizhi-demo")
    jinxiu = CompoundPage.objects.get(slug="jinxiu")
    yangguang = CompoundPage.objects.get(slug="yangguang")

    assert client.get(f"/admin/pages/{jinxiu.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{yangguang.pk}/edit/").status_code in (302, 403)


def test_a_role_taken_away_in_the_file_is_removed_with_its_permissions(
    empty_site, write_config, client
) -> None:
    apply_file(write_config(MINIMAL))
    without = MINIMAL.replace("    roles: [{role: owners_committee, scope: jinxiu}]\n", "")

    plan = apply_file(write_config(without))

    assert "移除 角色授予 committee/owners_committee/jinxiu" in plan.report()
    # Both are in the audit log, by the configuration, on the compound.
    for action, verb in ((AuditAction.ROLE_GRANT, "授予"), (AuditAction.ROLE_REMOVE, "撤销")):
        event = AuditEvent.objects.get(action=action, details__holder="committee")
        assert event.username == "站点配置" and event.user is None
        assert event.description == f"站点配置{verb}“committee”业委会（锦绣花园）"
        assert event.scope.slug == "jinxiu"
    assert not RoleAssignment.objects.filter(user__username="committee").exists()
    assert sign_in(client, "committee", "weizhi-demo")
    jinxiu = CompoundPage.objects.get(slug="jinxiu")
    assert client.get(f"/admin/pages/{jinxiu.pk}/edit/").status_code in (302, 403)


def test_existing_rows_are_adopted_not_duplicated(empty_site, write_config) -> None:
    """A street set up by hand (or by an older loader) is taken over, not built twice."""
    street = StreetPage(title="百官街道", slug="baiguan")
    empty_site.add_child(instance=street)

    plan = apply_file(write_config(MINIMAL))

    assert "更新 街道 baiguan：纳入配置管理" in plan.report()
    assert StreetPage.objects.count() == 1
    assert ManagedObject.objects.filter(kind="street", key="baiguan").exists()


def test_a_compound_moved_to_another_community_moves_with_its_content(
    empty_site, write_config
) -> None:
    apply_file(write_config(MINIMAL))
    notice = NoticePageFactory(parent=CompoundPage.objects.get(slug="yangguang"))
    moved = MINIMAL.replace(
        "      - {title: 阳光水岸, slug: yangguang, address: 凤鸣路 233 号}\n", ""
    ).replace(
        "users:",
        "  - title: 龙山社区\n    slug: longshan\n    compounds:\n"
        "      - {title: 阳光水岸, slug: yangguang, address: 凤鸣路 233 号}\nusers:",
    )

    plan = apply_file(write_config(moved))

    assert "更新 小区 yangguang：所属社区：fengming → longshan" in plan.report()
    yangguang = CompoundPage.objects.get(slug="yangguang")
    assert yangguang.get_parent().slug == "longshan"
    assert notice.get_parent().pk == yangguang.pk
    assert apply_file(write_config(moved)).is_empty


def test_a_missing_password_variable_is_reported_before_anything_changes(
    empty_site, write_config, monkeypatch
) -> None:
    monkeypatch.delenv("WEIZHI_OFFICE_PASSWORD", raising=False)
    path = write_config(
        MINIMAL.replace(
            "  - username: office\n",
            "  - username: office\n    password_env: WEIZHI_OFFICE_PASSWORD\n",
        )
    )

    with pytest.raises(ConfigError) as refused:
        apply_file(path)

    assert "users[1].password_env：新建用户“office”的初始密码取自环境变量" in refused.value.report()
    assert not StreetPage.objects.exists()


def search_entries() -> list[tuple]:
    return sorted(
        (ct, object_id, str(title), str(body))
        for ct, object_id, title, body in IndexEntry.objects.values_list(
            "content_type_id", "object_id", "title", "body"
        )
    )


def references() -> list[tuple]:
    return sorted(
        ReferenceIndex.objects.values_list(
            "base_content_type_id",
            "object_id",
            "to_content_type_id",
            "to_object_id",
            "content_path",
        )
    )


def test_apply_leaves_the_search_and_reference_indexes_as_wagtails_own_handlers_would(
    empty_site,
) -> None:
    """apply indexes once at its end (``site_config.search_index``); the result is the same."""
    apply_file(EXAMPLE)
    after_apply = (search_entries(), references())

    pages = list(Page.objects.exclude(depth=1).specific())
    indexed = {(ct, object_id) for ct, object_id, *_ in after_apply[0]}
    assert {(page.content_type_id, str(page.pk)) for page in pages} <= indexed
    compound_ids = {str(pk) for pk in CompoundPage.objects.values_list("pk", flat=True)}
    assert {to_id for *_, to_id, _ in after_apply[1]} & compound_ids  # committees → compounds

    for page in pages:
        index.insert_or_update_object(page)
    call_command("rebuild_references_index", verbosity=0)

    assert (search_entries(), references()) == after_apply


def test_outside_an_apply_a_saved_page_is_indexed_at_once(empty_site) -> None:
    apply_file(EXAMPLE)
    compound = CompoundPage.objects.get(slug="jinxiu")
    before = [entry for entry in search_entries() if entry[1] == str(compound.pk)]

    compound.title = "锦绣花园二期"
    compound.save_revision().publish()

    after = [entry for entry in search_entries() if entry[1] == str(compound.pk)]
    assert len(before) == len(after) == 1 and before != after
