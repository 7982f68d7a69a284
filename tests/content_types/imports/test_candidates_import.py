"""Importing committee candidates from Excel: the pool's own scope, all rows or none."""

from __future__ import annotations

import pytest

from content_types.committees.models import CommitteeCandidate, Specialty, VettingStage
from content_types.roles.models import CompoundScopedLogEntry, Role
from tests.content_types.committees.factories import CommitteeCandidateFactory

from .factories import candidate_row, candidates_workbook, xlsx_upload

pytestmark = pytest.mark.django_db

NEW_URL = "/admin/imports/candidates/new/"


@pytest.fixture
def party_client(client, street_tree, role_user):
    client.force_login(role_user(Role.COMPOUND_PARTY, street_tree.compound_a1, "party_a1"))
    return client


def upload(client, compound, data: bytes):
    return client.post(NEW_URL, {"compound": compound.pk, "file": xlsx_upload(data)}, follow=True)


def test_a_valid_file_adds_candidates_at_the_first_vetting_stage(party_client, street_tree):
    rows = [
        candidate_row("李四", "是", "财务", "小区党支部推荐"),
        candidate_row("王五", "否", "", ""),
        candidate_row("赵六", None, "工程", None),
    ]

    response = upload(party_client, street_tree.compound_a1, candidates_workbook(rows))

    assert "已导入 3 条业委会人选储备库记录" in response.text
    found = {
        c.name: (c.is_party_member, c.specialty, c.vetting_stage, c.notes)
        for c in CommitteeCandidate.objects.filter(compound=street_tree.compound_a1)
    }
    assert found == {
        "李四": (True, Specialty.FINANCE, VettingStage.RECOMMENDED, "小区党支部推荐"),
        "王五": (False, Specialty.OTHER, VettingStage.RECOMMENDED, ""),
        "赵六": (False, Specialty.ENGINEERING, VettingStage.RECOMMENDED, ""),
    }
    # Each has its first revision and a "created" entry in its history, by the importer.
    for candidate in CommitteeCandidate.objects.all():
        assert candidate.latest_revision.user.username == "party_a1"
    created = CompoundScopedLogEntry.objects.filter(action="wagtail.create")
    assert sorted(created.values_list("label", "user__username")) == [
        ("李四", "party_a1"),
        ("王五", "party_a1"),
        ("赵六", "party_a1"),
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [candidate_row("李四"), candidate_row(party="可能")],
            "第 3 行 B 列（中共党员）：“可能”无法识别，请填写“是”或“否”。",
        ),
        (
            [candidate_row(specialty="会计")],
            "第 2 行 C 列（专业特长）：“会计”不在可选范围内，请填写财务、法律、工程、其他之一。",
        ),
        ([candidate_row(name=None)], "第 2 行 A 列（姓名）：不能为空。"),
        (
            [candidate_row("李四"), candidate_row("李四")],
            "第 3 行 A 列（姓名）：人选“李四”与第 2 行重复。",
        ),
        (
            [candidate_row("已在库")],
            "第 2 行 A 列（姓名）：人选“已在库”已在系统中登记，不能重复导入。",
        ),
    ],
)
def test_a_bad_row_changes_nothing(rows, message, party_client, street_tree):
    CommitteeCandidateFactory(compound=street_tree.compound_a1, name="已在库")

    response = upload(party_client, street_tree.compound_a1, candidates_workbook(rows))

    assert message in response.text
    assert "未导入任何数据" in response.text
    assert list(CommitteeCandidate.objects.values_list("name", flat=True)) == ["已在库"]


def test_candidates_go_only_to_compounds_the_user_may_add_to(party_client, street_tree):
    response = upload(party_client, street_tree.compound_b1, candidates_workbook())

    assert "只能导入到您负责范围内的小区" in response.text
    assert not CommitteeCandidate.objects.exists()


def test_the_committee_has_no_access_to_the_candidate_pool(client, street_tree, role_user):
    client.force_login(role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1))

    response = client.post(
        NEW_URL,
        {"compound": street_tree.compound_a1.pk, "file": xlsx_upload(candidates_workbook())},
    )

    assert (response.status_code, response.url) == (302, "/admin/")
    assert not CommitteeCandidate.objects.exists()
    # The units import stays open to the committee.
    assert client.get("/admin/imports/units/new/").status_code == 200
