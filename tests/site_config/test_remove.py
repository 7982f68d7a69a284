"""Removing what has content or people: refused, or with --allow-delete unpublished and kept."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from content_types.notices.models import NoticePage
from content_types.roles.models import RoleAssignment
from content_types.structure.models import CompoundPage
from site_config.apply import RemovalRefused, apply_file
from site_config.export import export_yaml
from site_config.models import ManagedObject
from tests.content_types.notices.factories import NoticePageFactory

from .conftest import MINIMAL

pytestmark = pytest.mark.django_db

WITHOUT_JINXIU = MINIMAL.replace(
    "      - {title: 锦绣花园, slug: jinxiu, address: 凤鸣路 101 号, households: 612}\n", ""
).replace("    roles: [{role: owners_committee, scope: jinxiu}]\n", "")


@pytest.fixture
def jinxiu_with_a_notice(empty_site, write_config) -> NoticePage:
    apply_file(write_config(MINIMAL))
    return NoticePageFactory(parent=CompoundPage.objects.get(slug="jinxiu"), title="停水通知")


def test_removing_a_compound_with_content_is_refused_and_changes_nothing(
    jinxiu_with_a_notice, write_config
) -> None:
    before = export_yaml()

    with pytest.raises(CommandError) as refused:
        call_command("apply_config", str(write_config(WITHOUT_JINXIU)))

    message = str(refused.value)
    assert "移除 小区 jinxiu（仍有 1 个内容页面，仍有 1 条角色授予）" in message
    assert "--allow-delete" in message and "未做任何修改" in message
    assert export_yaml() == before
    assert RoleAssignment.objects.filter(user__username="committee").exists()
    assert CompoundPage.objects.get(slug="jinxiu").live


def test_a_dry_run_shows_the_refusal_too(jinxiu_with_a_notice, write_config, capsys) -> None:
    call_command("apply_config", str(write_config(WITHOUT_JINXIU)), "--dry-run")

    out = capsys.readouterr().out
    assert "以下移除被拒绝" in out and "移除 小区 jinxiu" in out


def test_allow_delete_unpublishes_and_keeps_the_content(jinxiu_with_a_notice, write_config) -> None:
    plan = apply_file(write_config(WITHOUT_JINXIU), allow_delete=True)

    assert "移除 小区 jinxiu" in plan.report()
    compound = CompoundPage.objects.get(slug="jinxiu")
    notice = NoticePage.objects.get(pk=jinxiu_with_a_notice.pk)
    assert not compound.live and not notice.live
    assert notice.title == "停水通知"
    assert not ManagedObject.objects.filter(kind="compound", key="jinxiu").exists()
    assert not RoleAssignment.objects.filter(scope=compound).exists()
    # Released from config: applying the same file again finds nothing to do.
    assert apply_file(write_config(WITHOUT_JINXIU)).is_empty


def test_an_empty_compound_leaves_without_ceremony(empty_site, write_config) -> None:
    apply_file(write_config(MINIMAL))
    without_yangguang = MINIMAL.replace(
        "      - {title: 阳光水岸, slug: yangguang, address: 凤鸣路 233 号}\n", ""
    )

    plan = apply_file(write_config(without_yangguang))

    assert "移除 小区 yangguang" in plan.report()
    assert not CompoundPage.objects.filter(slug="yangguang").exists()


def test_a_user_with_content_is_kept_and_deactivated_only_when_allowed(
    jinxiu_with_a_notice, write_config
) -> None:
    committee = get_user_model().objects.get(username="committee")
    NoticePage.objects.filter(pk=jinxiu_with_a_notice.pk).update(owner=committee)
    without_user = MINIMAL.replace(
        "  - username: committee\n    name: 锦绣花园业委会\n    password: weizhi-demo\n"
        "    roles: [{role: owners_committee, scope: jinxiu}]\n",
        "",
    )

    with pytest.raises(RemovalRefused):
        apply_file(write_config(without_user))
    assert get_user_model().objects.get(username="committee").is_active

    apply_file(write_config(without_user), allow_delete=True)
    committee.refresh_from_db()
    assert not committee.is_active
    assert NoticePage.objects.get(pk=jinxiu_with_a_notice.pk).owner == committee
