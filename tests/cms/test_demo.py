"""The demo that ``make run`` loads: the example site configuration, a whole street and one
login for every role (its year of content: ``tests/site_config/test_demo_content.py``).

The structure is loaded once for the module and rolled back at its end; each test reads it.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Page

from cms.management.commands.load_demo import DEMO_CONFIG, DEMO_PASSWORD, DEMO_USERS
from content_types.governance_tasks.models import GovernanceTask
from content_types.roles.models import Role, RoleAssignment, ScopeCollection
from content_types.structure.models import CommunityPage, CompoundPage, StreetPage
from site_config.apply import plan_file
from tests.conftest import ensure_wagtail_root
from tests.sign_in import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def load_structure() -> None:
    call_command("load_demo", structure_only=True, stdout=io.StringIO())


@pytest.fixture(scope="module", autouse=True)
def demo_structure(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_wagtail_root()
        load_structure()
        yield
        transaction.set_rollback(True)


def test_demo_builds_a_street_with_communities_compounds_and_every_role() -> None:
    street = StreetPage.objects.get()
    assert street.title == "百官街道"
    assert CommunityPage.objects.child_of(street).live().count() >= 3
    assert CompoundPage.objects.descendant_of(street).live().count() >= 6
    held_roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert held_roles == set(Role.values)
    assert GovernanceTask.objects.filter(live=True).count() == 34
    # Every street, community and compound has its collection of images and documents.
    scopes = Page.objects.type(StreetPage, CommunityPage, CompoundPage)
    assert set(ScopeCollection.objects.values_list("scope", flat=True)) == set(
        scopes.values_list("pk", flat=True)
    )


def test_demo_can_be_loaded_again_without_changing_anything() -> None:
    counts = (
        CompoundPage.objects.count(),
        RoleAssignment.objects.count(),
        GovernanceTask.objects.count(),
    )

    load_structure()

    assert (
        CompoundPage.objects.count(),
        RoleAssignment.objects.count(),
        GovernanceTask.objects.count(),
    ) == counts


def test_the_demo_is_the_example_configuration_file() -> None:
    _, plan = plan_file(DEMO_CONFIG)

    assert DEMO_CONFIG.name == "baiguan.yaml"
    assert plan.is_empty, plan.report()


def test_every_demo_login_reaches_the_admin_in_chinese(client) -> None:
    for username, *_ in [("admin",), *DEMO_USERS]:
        assert sign_in(client, username, DEMO_PASSWORD), username
        response = client.get("/admin/")
        assert response.status_code == 200, username
        assert "<title>控制面板 - 微治</title>" in response.text, username
        client.logout()


def test_admin_login_page_speaks_chinese(client) -> None:
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert "<title>登录 - 微治</title>" in response.text
    assert "用户名" in response.text and "密码" in response.text
    assert 'lang="zh-hans"' in response.text


def test_the_public_site_shows_the_demo_street(client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert "百官街道" in response.text
    assert "凤鸣社区" in response.text
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
