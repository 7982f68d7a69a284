"""Images and documents stay within the scope of the roles that hold them.

Each street, community and compound has a collection mirroring the page tree; a role chooses,
adds and lists files in its own scope's collections only (a community's role also in its
compounds'), and a file under a view restriction is read only by whoever the restriction
admits, whatever collection permissions they hold. The matrix: roles × collections × the
image and document choosers, the listings, the edit views, the ``/media/`` addresses of
originals, renditions and documents, and where an upload lands.
"""

from __future__ import annotations

import re

import factory
import wagtail_factories
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from wagtail.documents import get_document_model
from wagtail.models import CollectionViewRestriction

from content_types.roles.media_scope import scope_collection
from content_types.roles.models import Role, RoleAssignment
from content_types.roles.sync import role_group_name
from tests.conftest import ensure_wagtail_root
from tests.content_types.roles.factories import UserFactory
from tests.content_types.structure.factories import (
    CommunityPageFactory,
    CompoundPageFactory,
    StreetPageFactory,
)

OPEN_JINXIU, PRIVATE_JINXIU, OPEN_YANGGUANG, OPEN_GONGYU = (
    "jinxiu-open",
    "jinxiu-private",
    "yangguang-open",
    "gongyu-open",
)
EVERY_FILE = {OPEN_JINXIU, PRIVATE_JINXIU, OPEN_YANGGUANG, OPEN_GONGYU}

# Who finds which files in the image and the document chooser.
CHOOSES = {
    "jinxiu_committee": {OPEN_JINXIU, PRIVATE_JINXIU},
    "jinxiu_firm": {OPEN_JINXIU},
    "yangguang_committee": {OPEN_YANGGUANG},
    "fengming_office": {OPEN_JINXIU, OPEN_YANGGUANG},
    "longshan_office": {OPEN_GONGYU},
    "street_office": {OPEN_JINXIU, OPEN_YANGGUANG, OPEN_GONGYU},
}
# Who lists and edits which files: what they uploaded, within their scope.
EDITS = {
    "jinxiu_committee": {OPEN_JINXIU, PRIVATE_JINXIU},
    "jinxiu_firm": set(),
    "yangguang_committee": {OPEN_YANGGUANG},
    "fengming_office": set(),
    "longshan_office": {OPEN_GONGYU},
    "street_office": set(),
}
# Who reads which files at their addresses: the open ones anyone, the private ones the
# committee the restriction names, and nobody else.
READS = {name: EVERY_FILE - {PRIVATE_JINXIU} for name in CHOOSES} | {"jinxiu_committee": EVERY_FILE}


class MediaAcrossScopesTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        street = StreetPageFactory(parent=ensure_wagtail_root(), slug="baiguan")
        fengming = CommunityPageFactory(parent=street, title="凤鸣社区", slug="fengming")
        longshan = CommunityPageFactory(parent=street, title="龙山社区", slug="longshan")
        jinxiu = CompoundPageFactory(parent=fengming, title="锦绣花园", slug="jinxiu")
        yangguang = CompoundPageFactory(parent=fengming, title="阳光水岸", slug="yangguang")
        gongyu = CompoundPageFactory(parent=longshan, title="龙山公寓", slug="gongyu")
        cls.users = {}
        for name, role, scope in [
            ("jinxiu_committee", Role.OWNERS_COMMITTEE, jinxiu),
            ("jinxiu_firm", Role.PROPERTY_FIRM, jinxiu),
            ("yangguang_committee", Role.OWNERS_COMMITTEE, yangguang),
            ("fengming_office", Role.COMMUNITY_OFFICE, fengming),
            ("longshan_office", Role.COMMUNITY_OFFICE, longshan),
            ("street_office", Role.STREET_OFFICE, street),
        ]:
            cls.users[name] = UserFactory(username=name)
            RoleAssignment.objects.create(user=cls.users[name], role=role, scope=scope)

        cls.jinxiu, cls.yangguang = jinxiu, yangguang
        private = scope_collection(jinxiu).add_child(name="业委会内部资料")
        restriction = CollectionViewRestriction.objects.create(
            collection=private, restriction_type=CollectionViewRestriction.GROUPS
        )
        restriction.groups.add(
            Group.objects.get(name=role_group_name(Role.OWNERS_COMMITTEE, jinxiu))
        )
        cls.images, cls.documents, cls.renditions = {}, {}, {}
        for title, collection, uploader in [
            (OPEN_JINXIU, scope_collection(jinxiu), "jinxiu_committee"),
            (PRIVATE_JINXIU, private, "jinxiu_committee"),
            (OPEN_YANGGUANG, scope_collection(yangguang), "yangguang_committee"),
            (OPEN_GONGYU, scope_collection(gongyu), "longshan_office"),
        ]:
            owner = {"collection": collection, "uploaded_by_user": cls.users[uploader]}
            cls.images[title] = wagtail_factories.ImageFactory(
                title=title, file=factory.django.ImageField(width=64, height=48), **owner
            )
            cls.renditions[title] = cls.images[title].get_rendition("max-32x32")
            cls.documents[title] = wagtail_factories.DocumentFactory(title=title, **owner)

    def titles_at(self, address: str, *, modal: bool = False) -> set[str]:
        response = self.client.get(address)
        self.assertEqual(response.status_code, 200, address)
        html = response.json()["html"] if modal else response.content.decode()
        return {title for title in EVERY_FILE if re.search(rf"\b{title}\b", html)}

    def test_choosers_offer_the_files_of_the_users_scope_that_they_may_read(self) -> None:
        for name, expected in CHOOSES.items():
            self.client.force_login(self.users[name])
            with self.subTest(name):
                self.assertEqual(self.titles_at("/admin/images/chooser/", modal=True), expected)
                self.assertEqual(self.titles_at("/admin/documents/chooser/", modal=True), expected)

    def test_listings_show_the_users_own_uploads_within_their_scope(self) -> None:
        for name, expected in EDITS.items():
            self.client.force_login(self.users[name])
            with self.subTest(name):
                self.assertEqual(self.titles_at("/admin/images/"), expected)
                self.assertEqual(self.titles_at("/admin/documents/"), expected)

    def test_edit_views_open_to_the_uploader_within_scope_only(self) -> None:
        for name, editable in EDITS.items():
            self.client.force_login(self.users[name])
            for title in EVERY_FILE:
                with self.subTest(name, title=title):
                    for address in (
                        f"/admin/images/{self.images[title].pk}/",
                        f"/admin/documents/edit/{self.documents[title].pk}/",
                    ):
                        status = self.client.get(address).status_code
                        self.assertEqual(status, 200 if title in editable else 302, address)

    def test_media_addresses_serve_a_restricted_file_to_whom_the_restriction_admits(
        self,
    ) -> None:
        for name, readable in READS.items():
            self.client.force_login(self.users[name])
            for title in EVERY_FILE:
                with self.subTest(name, title=title):
                    for file in (
                        self.images[title].file,
                        self.renditions[title].file,
                        self.documents[title].file,
                    ):
                        status = self.client.get(f"/media/{file.name}").status_code
                        self.assertEqual(status, 200 if title in readable else 302, file.name)

    def test_an_upload_lands_in_the_uploaders_compound(self) -> None:
        self.client.force_login(self.users["yangguang_committee"])

        response = self.client.post(
            "/admin/documents/multiple/add/",
            {"files[]": SimpleUploadedFile("minutes.txt", b"meeting minutes")},
        )

        self.assertTrue(response.json()["success"])
        uploaded = get_document_model().objects.get(title="minutes.txt")
        self.assertEqual(uploaded.collection, scope_collection(self.yangguang))

    def test_the_upload_form_offers_a_community_office_its_community_first_and_its_compounds(
        self,
    ) -> None:
        self.client.force_login(self.users["fengming_office"])

        response = self.client.get("/admin/images/multiple/add/")

        offered = [name for _, name in response.context["collections"].get_indented_choices()]
        # The first is the one selected: the office's own community.
        self.assertEqual(offered[0], "凤鸣社区")
        self.assertEqual(
            {name.rsplit(" ", 1)[-1] for name in offered},
            {"凤鸣社区", "锦绣花园", "阳光水岸", "业委会内部资料"},
        )
