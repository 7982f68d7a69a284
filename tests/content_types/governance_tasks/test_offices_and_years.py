"""Annual tasks tracked by the offices that own them, year by year, community by community.

An office's users reach their own office's tasks, to read them and post progress with
evidence, and nothing else; the street office reaches everything. A task done community by
community keeps a status per community, posted by that community's office. A task copied to
a new year keeps its history.
"""

from __future__ import annotations

import datetime
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.documents import get_document_model

from content_types.governance_tasks.models import (
    CommunityTaskStatus,
    GovernanceTask,
    TaskStatus,
    TaskUpdate,
)
from content_types.governance_tasks.offices import EVIDENCE_COLLECTION_NAME, sync_office_group
from content_types.governance_tasks.progress import carry_over, tasks_done_for_community
from content_types.roles.models import Role, RoleAssignment
from site_config.models import Office
from tests.conftest import build_street_tree, ensure_wagtail_root
from tests.content_types.roles.factories import UserFactory

from .factories import GovernanceTaskFactory

VIEWSET = GovernanceTask.snippet_viewset


def url(name: str, *args: object) -> str:
    return reverse(VIEWSET.get_url_name(name), args=args)


def chooser_url(name: str, *args: object) -> str:
    return reverse(VIEWSET.chooser_viewset.get_url_name(name), args=args)


class OfficeTaskData(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.tree = build_street_tree(ensure_wagtail_root())
        cls.party = Office.objects.create(code="party-building", name="党建办")
        cls.affairs = Office.objects.create(code="community-affairs", name="社区办")
        cls.party_user = UserFactory(username="office_party", first_name="党建办")
        cls.affairs_user = UserFactory(username="office_community", first_name="社区办")
        cls.party.users.add(cls.party_user)
        cls.affairs.users.add(cls.affairs_user)
        sync_office_group(cls.party)
        sync_office_group(cls.affairs)
        cls.street_user = UserFactory(username="street")
        RoleAssignment.objects.create(
            user=cls.street_user, role=Role.STREET_OFFICE, scope=cls.tree.street
        )
        cls.office_a = UserFactory(username="office_a")
        RoleAssignment.objects.create(
            user=cls.office_a, role=Role.COMMUNITY_OFFICE, scope=cls.tree.community_a
        )
        cls.ours = cls.task(number=1, key_task="组建街道微治办", responsible_offices="党建办")
        cls.theirs = cls.task(number=5, key_task="指导业委会换届", responsible_offices="社区办")
        cls.shared = cls.task(
            number=4, key_task="双向进入交叉任职", responsible_offices="党建办、社区办"
        )
        cls.per_community = cls.task(
            number=2,
            key_task="组建社区微治办",
            responsible_offices="党建办",
            per_community=True,
        )

    @classmethod
    def task(cls, **fields: object) -> GovernanceTask:
        task = GovernanceTaskFactory(**fields)
        assert task.link_offices() == []
        return task

    def client_of(self, user: object) -> Client:
        client = Client()
        client.force_login(user)
        return client


class OfficeScopeTest(OfficeTaskData):
    def test_an_office_lists_its_own_tasks_only(self) -> None:
        client = self.client_of(self.party_user)
        dashboard = client.get(reverse("wagtailadmin_home"))
        listing = client.get(url("list"))

        assert dashboard.status_code == 200 and url("list") in dashboard.text  # its menu item

        assert listing.status_code == 200
        assert "组建街道微治办" in listing.text and "双向进入交叉任职" in listing.text
        assert "指导业委会换届" not in listing.text

    def test_the_street_office_lists_every_task(self) -> None:
        listing = self.client_of(self.street_user).get(url("list"))

        for task in (self.ours, self.theirs, self.shared, self.per_community):
            assert task.key_task in listing.text

    def test_another_offices_task_is_not_found_by_url(self) -> None:
        client = self.client_of(self.party_user)

        for name in ("edit", "inspect", "progress", "history"):
            assert client.get(url(name, self.theirs.pk)).status_code == 404, name
        posted = client.post(url("progress", self.theirs.pk), {"status": TaskStatus.DONE})

        assert posted.status_code == 404
        assert GovernanceTask.objects.get(pk=self.theirs.pk).status == TaskStatus.NOT_STARTED
        assert not TaskUpdate.objects.exists()

    def test_an_office_does_not_edit_the_policys_columns_of_its_own_task(self) -> None:
        client = self.client_of(self.party_user)

        edit = client.get(url("edit", self.ours.pk))
        posted = client.post(url("edit", self.ours.pk), {"measure": "改写的举措"})

        assert edit.status_code == 302 and edit["Location"] == reverse("wagtailadmin_home")
        assert posted.status_code == 302
        assert GovernanceTask.objects.get(pk=self.ours.pk).measure == self.ours.measure

    def test_the_chooser_offers_an_office_its_own_tasks_only(self) -> None:
        client = self.client_of(self.party_user)

        choose = client.get(chooser_url("choose"))
        searched = client.get(chooser_url("choose_results"), {"q": "办"})
        chosen = client.get(chooser_url("chosen", self.theirs.pk))

        assert choose.status_code == 200
        offered = choose.json()["html"]
        assert "组建街道微治办" in offered and "指导业委会换届" not in offered
        assert "组建街道微治办" in searched.text and "指导业委会换届" not in searched.text
        assert chosen.status_code == 404

    def test_an_office_posts_progress_with_evidence_on_its_own_task(self) -> None:
        client = self.client_of(self.party_user)
        evidence = SimpleUploadedFile("挂牌照片.pdf", b"%PDF-1.4 evidence", "application/pdf")

        response = client.post(
            url("progress", self.ours.pk),
            {"status": TaskStatus.DONE, "progress_notes": "4月已挂牌成立。", "evidence": evidence},
            follow=True,
        )

        task = GovernanceTask.objects.get(pk=self.ours.pk)
        assert response.status_code == 200 and "4月已挂牌成立。" in response.text
        assert task.status == TaskStatus.DONE and task.progress_notes == "4月已挂牌成立。"
        update = TaskUpdate.objects.get()
        assert update.author == self.party_user
        document = update.evidence.get()
        assert document.collection.name == "党建办"
        assert document.collection.get_parent().name == EVIDENCE_COLLECTION_NAME
        restriction = document.collection.get_view_restrictions().get()
        readers = {group.name for group in restriction.groups.all()}
        assert any(name.startswith("责任单位｜党建办") for name in readers)
        assert not any(name.startswith("责任单位｜社区办") for name in readers)

    def test_a_wrong_file_is_refused_in_chinese_and_nothing_changes(self) -> None:
        client = self.client_of(self.party_user)
        script = SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")

        response = client.post(
            url("progress", self.ours.pk), {"status": TaskStatus.DONE, "evidence": script}
        )

        assert response.status_code == 200
        assert "佐证材料只接受 PDF、Word、Excel 文件和 JPG、PNG 图片。" in response.text
        assert GovernanceTask.objects.get(pk=self.ours.pk).status == TaskStatus.NOT_STARTED
        assert not TaskUpdate.objects.exists() and not get_document_model().objects.exists()


class PerCommunityTest(OfficeTaskData):
    def test_the_community_office_updates_its_communitys_status_only(self) -> None:
        client = self.client_of(self.office_a)

        response = client.post(
            url("progress", self.per_community.pk),
            {
                "community": self.tree.community_a.pk,
                "status": TaskStatus.DONE,
                "progress_notes": "凤鸣社区微治办已成立。",
            },
        )

        assert response.status_code == 302
        statuses = {
            row.community_id: row.status
            for row in CommunityTaskStatus.objects.filter(task=self.per_community)
        }
        assert statuses == {self.tree.community_a.pk: TaskStatus.DONE}
        task = GovernanceTask.objects.get(pk=self.per_community.pk)
        assert task.status == TaskStatus.IN_PROGRESS  # one community of two is done
        assert tasks_done_for_community(self.tree.community_a, 2023) == (1, 1)
        assert tasks_done_for_community(self.tree.community_b, 2023) == (0, 1)
        page = client.get(url("progress", self.per_community.pk)).text
        assert "凤鸣社区微治办已成立。" in page

    def test_a_per_community_task_is_done_when_every_community_is(self) -> None:
        client = self.client_of(self.street_user)
        for community in (self.tree.community_a, self.tree.community_b):
            client.post(
                url("progress", self.per_community.pk),
                {"community": community.pk, "status": TaskStatus.DONE},
            )

        assert GovernanceTask.objects.get(pk=self.per_community.pk).status == TaskStatus.DONE
        assert self.per_community not in GovernanceTask.objects.overdue(datetime.date(2030, 1, 1))

    def test_the_community_office_cannot_update_another_community(self) -> None:
        response = self.client_of(self.office_a).post(
            url("progress", self.per_community.pk),
            {"community": self.tree.community_b.pk, "status": TaskStatus.DONE},
        )

        assert response.status_code == 200
        assert "只能更新您负责的社区的进展。" in response.text
        assert not CommunityTaskStatus.objects.exists()

    def test_a_community_office_posts_no_status_on_a_task_of_the_street(self) -> None:
        response = self.client_of(self.office_a).post(
            url("progress", self.ours.pk), {"status": TaskStatus.DONE}
        )

        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
        assert GovernanceTask.objects.get(pk=self.ours.pk).status == TaskStatus.NOT_STARTED

    def test_the_list_shows_how_many_communities_are_done(self) -> None:
        CommunityTaskStatus.objects.create(
            task=self.per_community, community=self.tree.community_b, status=TaskStatus.DONE
        )

        listing = self.client_of(self.street_user).get(url("list"))

        assert "按社区推进：1 个社区已完成" in listing.text


class NewYearTest(OfficeTaskData):
    def test_a_task_copied_to_a_new_year_keeps_its_history(self) -> None:
        client = self.client_of(self.party_user)
        client.post(
            url("progress", self.ours.pk),
            {"status": TaskStatus.IN_PROGRESS, "progress_notes": "2023年已拟定方案。"},
        )

        copied = self.client_of(self.street_user).post(url("carry_over", 2023), {"year": "2024"})

        assert copied.status_code == 302
        new = GovernanceTask.objects.get(year=2024, number=self.ours.number)
        assert new.deadline_month == datetime.date(2024, 4, 1)
        assert new.status == TaskStatus.NOT_STARTED
        assert list(new.offices.all()) == [self.party]
        client.post(
            url("progress", new.pk),
            {"status": TaskStatus.DONE, "progress_notes": "2024年已完成。"},
        )
        page = client.get(url("progress", new.pk)).text
        assert "2023年已拟定方案。" in page and "2024年已完成。" in page
        assert GovernanceTask.objects.get(pk=self.ours.pk).status == TaskStatus.IN_PROGRESS
        assert GovernanceTask.objects.filter(year=2024).count() == 4
        listing = self.client_of(self.street_user).get(url("list"), {"year": "2023"}).text
        assert "2023年 1. 组建街道微治办" in listing and "2024年 1. 组建街道微治办" not in listing

    def test_copying_again_adds_nothing_and_an_earlier_year_is_refused(self) -> None:
        carry_over(self.ours, 2024)
        client = self.client_of(self.street_user)

        client.post(url("carry_over", 2023), {"year": "2024"})
        refused = client.post(url("carry_over", 2023), {"year": "2022"})

        assert GovernanceTask.objects.filter(year=2024).count() == 4
        assert "请填写2023年以后的年度。" in refused.text
        assert not GovernanceTask.objects.filter(year=2022).exists()

    def test_an_office_does_not_copy_lists(self) -> None:
        response = self.client_of(self.party_user).post(url("carry_over", 2023), {"year": "2024"})

        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
        assert not GovernanceTask.objects.filter(year=2024).exists()


class ChartAndExportTest(OfficeTaskData):
    def test_the_chart_page_shows_the_years_numbers_with_the_vendored_echarts(self) -> None:
        CommunityTaskStatus.objects.create(
            task=self.per_community, community=self.tree.community_a, status=TaskStatus.DONE
        )

        page = self.client_of(self.street_user).get(url("chart"), {"year": "2023"}).text

        assert "/static/vendor/echarts/echarts.min.js" in page and "//cdn" not in page
        assert "2023年度任务清单共 4 项" in page
        assert "<td>凤鸣社区</td><td>1</td>" in page

    def test_the_list_exports_to_excel_for_the_working_group_meeting(self) -> None:
        response = self.client_of(self.party_user).get(url("list"), {"export": "xlsx"})

        assert response.status_code == 200
        assert response["Content-Disposition"].startswith('attachment; filename="annual-tasks')
        content = b"".join(response.streaming_content)
        rows = list(load_workbook(BytesIO(content)).active.values)
        assert rows[0][:4] == ("年度", "序号", "重点任务类别", "重点任务")
        assert {row[3] for row in rows[1:]} == {
            "组建街道微治办",
            "双向进入交叉任职",
            "组建社区微治办",
        }
