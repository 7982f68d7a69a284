"""Media addresses keep the view restrictions of the collection a file belongs to."""

from datetime import timedelta

import factory
import pytest
import wagtail_factories
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from django.utils.http import http_date
from wagtail.models import Collection, CollectionViewRestriction, GroupCollectionPermission

from content_types.roles.models import Role
from content_types.roles.sync import role_group_name
from tests.content_types.roles.factories import UserFactory

pytestmark = pytest.mark.django_db


def media_path(file) -> str:
    return f"/media/{file.name}"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def collection(name: str, restriction_type: str | None = None, **restriction) -> Collection:
    found = Collection.get_first_root_node().add_child(name=name)
    if restriction_type is not None:
        made = CollectionViewRestriction.objects.create(
            collection=found, restriction_type=restriction_type, **restriction
        )
        found.restriction = made
    return found


def picture(where: Collection | None = None):
    image = wagtail_factories.ImageFactory(
        title="停水范围图",
        file=factory.django.ImageField(width=64, height=48),
        **({"collection": where} if where is not None else {}),
    )
    return image, image.get_rendition("max-32x32")


def test_a_public_picture_and_its_rendition_are_served_to_anyone(client):
    image, rendition = picture()

    original = client.get(media_path(image.file))
    resized = client.get(media_path(rendition.file))

    assert original.status_code == resized.status_code == 200
    assert body(original) == image.file.open("rb").read()
    assert original["Content-Type"] == "image/jpeg"
    assert resized["Cache-Control"].startswith("public")
    assert body(resized) == rendition.file.open("rb").read()


def test_a_picture_unchanged_since_it_was_fetched_is_not_sent_again(client):
    image, _ = picture()
    later = http_date((timezone.now() + timedelta(minutes=5)).timestamp())

    response = client.get(media_path(image.file), HTTP_IF_MODIFIED_SINCE=later)

    assert response.status_code == 304


def test_files_of_a_login_only_collection_need_a_signed_in_reader(client):
    private = collection("内部资料", CollectionViewRestriction.LOGIN)
    image, rendition = picture(private)
    document = wagtail_factories.DocumentFactory(title="业主名册", collection=private)

    for file in (image.file, rendition.file, document.file):
        refused = client.get(media_path(file))
        assert refused.status_code == 302, file.name
        assert "/login/" in refused["Location"]

    client.force_login(UserFactory())
    for file in (image.file, rendition.file, document.file):
        served = client.get(media_path(file))
        assert served.status_code == 200, file.name
        assert served["Cache-Control"].startswith("private")
        assert "Cookie" in served["Vary"]


def test_a_password_collection_asks_for_its_password_and_then_serves(client):
    private = collection("业委会内部", CollectionViewRestriction.PASSWORD, password="jinxiu")
    image, _ = picture(private)

    asked = client.get(media_path(image.file))
    assert asked.status_code == 200
    assert asked["Content-Type"].startswith("text/html")
    assert b"password" in asked.content

    client.post(
        f"/documents/authenticate_with_password/{private.restriction.pk}/",
        {"password": "jinxiu", "return_url": media_path(image.file)},
    )
    served = client.get(media_path(image.file))
    assert served.status_code == 200
    assert body(served) == image.file.open("rb").read()


def test_a_group_collection_serves_its_group_only_whoever_may_choose_its_files(client):
    committee = Group.objects.create(name="锦绣花园业委会")
    private = collection("业委会档案", CollectionViewRestriction.GROUPS)
    private.restriction.groups.add(committee)
    image, rendition = picture(private)

    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(media_path(rendition.file)).status_code == 302

    member = UserFactory()
    member.groups.add(committee)
    client.force_login(member)
    assert client.get(media_path(rendition.file)).status_code == 200

    # Choosing or changing the collection's files is no licence to read them.
    editors = Group.objects.create(name="图片编辑")
    for codename in ("choose_image", "change_image"):
        GroupCollectionPermission.objects.create(
            group=editors,
            collection=private,
            permission=Permission.objects.get(
                content_type__app_label="wagtailimages", codename=codename
            ),
        )
    editor = UserFactory()
    editor.groups.add(editors)
    client.force_login(editor)
    for file in (image.file, rendition.file):
        assert client.get(media_path(file)).status_code == 302, file.name


def test_a_compound_committees_restricted_files_reach_no_other_compound_or_office(
    client, street_tree, role_user
):
    """The committee of 锦绣花园 keeps its files to itself: the committee of 阳光水岸 and the
    community office neither find them in their choosers nor read them at their addresses."""
    jinxiu = role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1)
    yangguang = role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a2)
    office = role_user(Role.COMMUNITY_OFFICE, street_tree.community_a)
    private = collection("锦绣花园业委会资料", CollectionViewRestriction.GROUPS)
    private.restriction.groups.add(
        Group.objects.get(name=role_group_name(Role.OWNERS_COMMITTEE, street_tree.compound_a1))
    )
    image, rendition = picture(private)
    image.title = "secret-plan"
    image.save()
    document = wagtail_factories.DocumentFactory(title="secret-minutes", collection=private)

    for outsider in (yangguang, office):
        client.force_login(outsider)
        assert "secret-plan" not in client.get("/admin/images/chooser/").json()["html"]
        assert "secret-minutes" not in client.get("/admin/documents/chooser/").json()["html"]
        for file in (image.file, rendition.file, document.file):
            assert client.get(media_path(file)).status_code == 302, file.name
        assert client.get(f"/documents/{document.pk}/{document.filename}").status_code == 302

    client.force_login(jinxiu)
    for file in (image.file, rendition.file, document.file):
        assert client.get(media_path(file)).status_code == 200, file.name


@pytest.mark.parametrize(
    "address",
    [
        "/media/original_images/nothing-here.png",
        "/media/../settings/base.py",
        "/media/original_images/../../cms/settings/base.py",
        "/media/%2e%2e/cms/urls.py",
        "/media//etc/passwd",
    ],
)
def test_addresses_of_no_image_or_document_are_not_found(client, address):
    picture()

    assert client.get(address).status_code == 404


def test_a_file_on_disk_that_belongs_to_no_image_is_not_served(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "original_images").mkdir()
    (tmp_path / "original_images" / "left-behind.png").write_bytes(b"\x89PNG")

    assert client.get("/media/original_images/left-behind.png").status_code == 404
