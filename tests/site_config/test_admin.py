"""The admin marks what config manages: a warning on edit views, a badge in listings."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from wagtail.admin.admin_url_finder import AdminURLFinder

from content_types.firms.models import PropertyFirm
from content_types.governance_tasks.models import GovernanceTask
from content_types.structure.models import CommunityPage, CompoundPage
from site_config.apply import apply_file
from site_config.models import Office
from tests.content_types.notices.factories import NoticePageFactory
from tests.sign_in import sign_in

from .conftest import EXAMPLE

pytestmark = pytest.mark.django_db

WARNING = "由站点配置文件管理"
BADGE = "由配置文件管理"


@pytest.fixture
def admin_client(empty_site, client):
    apply_file(EXAMPLE)
    assert sign_in(client, "admin", "weizhi-demo")
    return client


def edit_url(obj) -> str:
    return AdminURLFinder(get_user_model().objects.get(username="admin")).get_edit_url(obj)


def test_a_managed_page_warns_its_editor(admin_client) -> None:
    compound = CompoundPage.objects.get(slug="jinxiu")
    notice = NoticePageFactory(parent=compound)

    managed = admin_client.get(edit_url(compound))
    by_hand = admin_client.get(edit_url(notice))

    assert managed.status_code == 200 and WARNING in managed.text
    assert "此页面由站点配置文件管理" in managed.text
    assert by_hand.status_code == 200 and WARNING not in by_hand.text


def test_managed_snippets_and_users_warn_too(admin_client) -> None:
    firm = PropertyFirm.objects.get(credit_code="91330604MA2BX0001C")
    user = get_user_model().objects.get(username="committee")

    assert "此记录由站点配置文件管理" in admin_client.get(edit_url(firm)).text
    assert "此用户由站点配置文件管理" in admin_client.get(edit_url(user)).text


def test_listings_badge_managed_rows(admin_client) -> None:
    community = CommunityPage.objects.get(slug="fengming")
    NoticePageFactory(parent=community, title="社区通知")

    explorer = admin_client.get(f"/admin/pages/{community.pk}/")
    users = admin_client.get("/admin/users/")

    assert explorer.status_code == 200
    # Two compounds are managed, the hand-made notice is not.
    assert explorer.text.count(BADGE) == 2
    # The nine demo logins and the three offices' accounts.
    assert users.status_code == 200 and users.text.count(BADGE) == 12


def test_config_only_rows_are_listed_read_only_for_the_street_office(admin_client, client) -> None:
    office = Office.objects.get(code="party-building")
    listing = admin_client.get("/admin/site_config_office/")
    inspect = admin_client.get(f"/admin/site_config_office/inspect/{office.pk}/")
    edit = admin_client.get(f"/admin/site_config_office/edit/{office.pk}/")

    assert listing.status_code == 200 and "党建办" in listing.text
    assert inspect.status_code == 200
    assert edit.status_code in (302, 403)
    admin_client.logout()
    assert sign_in(client, "street_office", "weizhi-demo")
    assert client.get("/admin/site_config_office/").status_code == 200
    client.logout()
    assert sign_in(client, "committee", "weizhi-demo")
    assert client.get("/admin/site_config_office/").status_code in (302, 403)


def test_a_task_says_which_of_its_fields_the_file_keeps(admin_client) -> None:
    response = admin_client.get(edit_url(GovernanceTask.objects.get(number=1)))

    assert response.status_code == 200
    assert "进展状态和进展情况在这里填写，不会被配置覆盖" in response.text
