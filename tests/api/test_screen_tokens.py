"""Screen tokens: shown once, stored hashed, revocable, scoped in the admin, and seen by the API."""

import hashlib
import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api import memo
from api.models import Screen
from content_types.roles.models import Role

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"wzs_[A-Za-z0-9_-]{40,}")


def register(client, name: str, scope, location: str = "") -> tuple:
    response = client.post(
        reverse("screens:add"), {"name": name, "scope": scope.pk, "location": location}
    )
    return response, Screen.objects.filter(name=name).first()


def token_in(response) -> str:
    found = TOKEN.findall(response.content.decode())
    assert found, "the token is on the page"
    assert len(set(found)) == 1
    return found[0]


def ask(client, token: str | None = None, compound: str = "jinxiu", **extra):
    headers = {"HTTP_AUTHORIZATION": f"Screen {token}"} if token else {}
    params = {"id": "compound", "variables": json.dumps({"compound": compound}), **extra}
    return client.get("/graphql/", params, **headers)


@pytest.fixture
def commissioner(street_tree, role_user):
    return role_user(Role.COMMISSIONER, street_tree.compound_a1, "commissioner_a1")


def test_a_new_screens_token_is_shown_once_and_stored_hashed(street_tree, commissioner, client):
    client.force_login(commissioner)

    response, screen = register(client, "锦绣花园 3 幢大堂", street_tree.compound_a1, "3 幢大堂")

    assert response.status_code == 200
    assert "只在此页显示这一次" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = token_in(response)
    assert screen.scope_id == street_tree.compound_a1.pk
    assert screen.created_by == commissioner
    assert screen.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(list(Screen.objects.values()), default=str)

    for url in (reverse("screens:index"), reverse("screens:edit", args=[screen.pk])):
        page = client.get(url)
        assert page.status_code == 200
        assert token not in page.content.decode()


def test_a_screen_cannot_be_registered_outside_the_users_scope(street_tree, commissioner, client):
    client.force_login(commissioner)

    response, screen = register(client, "别的小区的屏", street_tree.compound_a2)

    assert screen is None
    assert response.status_code == 200
    assert "请选择您管理范围内的社区或小区。" in response.content.decode()
    assert not TOKEN.search(response.content.decode())


def test_the_scope_of_a_registered_screen_cannot_be_changed(street_tree, role_user, client):
    client.force_login(role_user(Role.COMMUNITY_OFFICE, street_tree.community_a))
    _, screen = register(client, "社区大厅", street_tree.compound_a1)

    client.post(
        reverse("screens:edit", args=[screen.pk]),
        {"name": "社区大厅（新）", "scope": street_tree.compound_a2.pk, "location": ""},
    )

    screen.refresh_from_db()
    assert screen.name == "社区大厅（新）"
    assert screen.scope_id == street_tree.compound_a1.pk


def test_the_listing_shows_each_user_the_screens_of_their_scope_only(
    street_tree, role_user, client
):
    names = {
        "社区甲大厅": street_tree.community_a,
        "锦绣花园大堂": street_tree.compound_a1,
        "阳光水岸大堂": street_tree.compound_a2,
        "龙山公寓大堂": street_tree.compound_b1,
    }
    for name, scope in names.items():
        screen = Screen(name=name, scope=scope)
        screen.issue_token()
        screen.save()

    def listed(user) -> set[str]:
        client.force_login(user)
        content = client.get(reverse("screens:index")).content.decode()
        return {name for name in names if name in content}

    office = role_user(Role.COMMUNITY_OFFICE, street_tree.community_a, "office_a")
    commissioner = role_user(Role.COMMISSIONER, street_tree.compound_a1, "commissioner_a1")
    assert listed(office) == {"社区甲大厅", "锦绣花园大堂", "阳光水岸大堂"}
    assert listed(commissioner) == {"锦绣花园大堂"}


def test_another_scopes_screen_is_404_on_every_admin_url(street_tree, role_user, client):
    other = Screen(name="龙山公寓大堂", scope=street_tree.compound_b1)
    other.issue_token()
    other.save()
    client.force_login(role_user(Role.COMMUNITY_OFFICE, street_tree.community_a))

    for name in ("edit", "delete", "revoke", "regenerate", "history", "usage"):
        url = reverse(f"screens:{name}", args=[other.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url).status_code == 404, name

    other.refresh_from_db()
    assert other.revoked_at is None
    assert Screen.objects.filter(pk=other.pk).exists()


def test_roles_that_do_not_manage_screens_are_refused(street_tree, role_user, client):
    client.force_login(role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1))

    assert client.get(reverse("screens:index")).status_code in {302, 403}
    assert client.get(reverse("screens:add")).status_code in {302, 403}


def test_a_revoked_token_is_refused_and_a_regenerated_one_replaces_it(
    street_tree, commissioner, client
):
    client.force_login(commissioner)
    _, screen = register(client, "锦绣花园大堂", street_tree.compound_a1)
    first = token_in(client.post(reverse("screens:regenerate", args=[screen.pk])))
    api = type(client)()
    assert ask(api, first).status_code == 200

    client.post(reverse("screens:revoke", args=[screen.pk]))
    screen.refresh_from_db()
    assert screen.revoked_at is not None
    refused = ask(api, first)
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["message"] == "该公开屏令牌已被吊销，不能再读取数据。"
    assert "吊销" in client.get(reverse("screens:index")).content.decode()

    second = token_in(client.post(reverse("screens:regenerate", args=[screen.pk])))
    assert second != first
    assert ask(api, second).status_code == 200
    assert "令牌无效" in ask(api, first).json()["errors"][0]["message"]


def test_regenerating_asks_for_confirmation_first(street_tree, commissioner, client):
    client.force_login(commissioner)
    response, screen = register(client, "锦绣花园大堂", street_tree.compound_a1)
    token = token_in(response)

    confirm = client.get(reverse("screens:regenerate", args=[screen.pk]))

    assert confirm.status_code == 200
    assert "旧令牌立即失效" in confirm.content.decode()
    assert ask(type(client)(), token).status_code == 200, "a GET changes nothing"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Screen wzs_not-a-real-token-at-all-0000000000000000000000", "公开屏令牌无效"),
        ("Screen something", "公开屏令牌无效"),
        ("Screen", "应以“Screen <令牌>”的格式发送"),
        ("Screen two words", "应以“Screen <令牌>”的格式发送"),
    ],
)
def test_unknown_or_malformed_tokens_are_refused_in_chinese(street_tree, client, header, expected):
    response = client.get(
        "/graphql/",
        {"id": "compound", "variables": '{"compound": "jinxiu"}'},
        HTTP_AUTHORIZATION=header,
    )

    assert response.status_code == 401
    assert expected in response.json()["errors"][0]["message"]
    assert response["WWW-Authenticate"] == "Screen"


@pytest.mark.parametrize("header", [None, "Basic dXNlcjpwYXNz"])
def test_published_content_needs_no_token(street_tree, client, header):
    response = client.get(
        "/graphql/",
        {"id": "compound", "variables": '{"compound": "jinxiu"}'},
        **({"HTTP_AUTHORIZATION": header} if header else {}),
    )

    assert response.status_code == 200
    assert response.json()["data"]["compound"]["title"] == "锦绣花园"


def test_a_screen_asking_is_recorded_at_most_once_a_minute(street_tree, commissioner, client):
    client.force_login(commissioner)
    response, screen = register(client, "锦绣花园大堂", street_tree.compound_a1)
    token = token_in(response)
    assert "从未访问" in client.get(reverse("screens:index")).content.decode()
    api = type(client)()

    ask(api, token)
    screen.refresh_from_db()
    first_seen = screen.last_seen_at
    assert first_seen is not None
    assert "从未访问" not in client.get(reverse("screens:index")).content.decode()

    ask(api, compound="yangguang")  # anonymous: not this screen
    assert ask(api, token).status_code == 200
    screen.refresh_from_db()
    assert screen.last_seen_at == first_seen, "a second poll within the minute writes nothing"

    two_minutes_ago = timezone.now() - timedelta(minutes=2)
    Screen.objects.filter(pk=screen.pk).update(last_seen_at=two_minutes_ago)
    memo.forget_all()  # two minutes on, the remembered screen (one second) is long gone
    client.get(
        "/graphql/", {"id": "compound", "variables": '{"compound": "jinxiu"}', "token": token}
    )
    screen.refresh_from_db()
    assert screen.last_seen_at > two_minutes_ago


def test_the_menu_offers_screens_to_their_managers_only(street_tree, role_user, client):
    client.force_login(role_user(Role.COMMISSIONER, street_tree.compound_a1))
    assert reverse("screens:index") in client.get("/admin/").content.decode()

    client.force_login(role_user(Role.PROPERTY_FIRM, street_tree.compound_a1))
    assert reverse("screens:index") not in client.get("/admin/").content.decode()


def test_a_screen_goes_with_its_compound(street_tree, client):
    screen = Screen(name="翠竹苑大堂", scope=street_tree.compound_b2)
    token = screen.issue_token()
    screen.save()

    street_tree.compound_b2.delete()

    assert not Screen.objects.filter(pk=screen.pk).exists()
    assert ask(client, token, compound="jinxiu").status_code == 401
