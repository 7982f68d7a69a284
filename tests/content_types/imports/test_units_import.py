"""Importing the units register from Excel in the admin: all rows, or none and every problem."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from content_types.imports.models import ImportJob, ImportStatus
from content_types.roles.models import Role
from content_types.units.models import Unit, derive_owner_key
from tests.content_types.units.factories import UnitFactory

from .factories import (
    UNIT_HEADERS,
    UNITS_FORM,
    unit_row,
    unit_rows,
    units_workbook,
    upload,
    workbook,
    xlsx_upload,
)

pytestmark = pytest.mark.django_db

NEW_URL = UNITS_FORM


def test_a_valid_file_creates_every_unit_with_exact_figures(committee_client, street_tree):
    compound = street_tree.compound_a1
    rows = [
        unit_row("3幢", "1", 502, 89.5, "张三", 13800138000),
        unit_row("3幢", "", "503", "120.25", "李四、王五", "138-0013-8001"),
        unit_row("A座", 2, "1201", 143, "赵六", "+86 139 0000 0001"),
    ]

    response = upload(committee_client, compound, units_workbook(rows))

    assert response.status_code == 200
    assert "已导入 3 条房屋与业主名册记录" in response.text
    units = {unit.label: unit for unit in Unit.objects.filter(compound=compound)}
    assert set(units) == {"3幢1单元502室", "3幢503室", "A座2单元1201室"}
    assert units["3幢1单元502室"].exclusive_area == Decimal("89.50")
    assert units["3幢503室"].exclusive_area == Decimal("120.25")
    assert units["A座2单元1201室"].exclusive_area == Decimal("143.00")
    assert units["3幢503室"].owner_phone == "13800138001"
    assert units["A座2单元1201室"].owner_phone == "13900000001"
    # The head count sees the same owner key as for a unit entered in the admin.
    assert units["3幢1单元502室"].owner_key == derive_owner_key("13800138000")
    job = ImportJob.objects.get()
    assert (job.status, job.created_rows, bytes(job.data)) == (ImportStatus.SUCCEEDED, 3, b"")


def test_columns_are_found_by_header_in_any_order(committee_client, street_tree):
    headers = ["业主手机号", "室", " 楼 栋", "专有部分面积(平方米)", "业主姓名", "单元", "备注"]
    data = workbook(headers, [["13800138000", "101", "2幢", "66.6", "钱七", "", "无关的列"]])

    upload(committee_client, street_tree.compound_a1, data)

    unit = Unit.objects.get()
    assert (unit.label, unit.exclusive_area, unit.owner_name) == (
        "2幢101室",
        Decimal("66.60"),
        "钱七",
    )


BAD_FILES = {
    "missing header": (
        units_workbook([unit_row()], headers=["楼栋", "单元", "室", "业主姓名", "业主手机号"]),
        ["第 1 行：缺少表头“专有面积”"],
    ),
    "repeated header": (
        units_workbook([unit_row() + ["1"]], headers=[*UNIT_HEADERS, "室"]),
        ["第 1 行 G 列（室）：表头“室”重复出现（另见 C 列）"],
    ),
    "area is a date": (
        units_workbook(
            [unit_row(room="101"), unit_row(room="102", exclusive_area=datetime.date(2024, 1, 1))]
        ),
        ["第 3 行 D 列（专有面积）：应填写数字（平方米）"],
    ),
    "building is a date": (
        units_workbook([unit_row(building=datetime.datetime(2024, 3, 1))]),
        ["第 2 行 A 列（楼栋）：应填写文字，不能是日期或时间。"],
    ),
    "negative area": (
        units_workbook([unit_row(room="101"), unit_row(room="102", exclusive_area=-89.5)]),
        ["第 3 行 D 列（专有面积）：不能为负数（现为 -89.5）。"],
    ),
    "zero area": (
        units_workbook([unit_row(exclusive_area=0)]),
        ["第 2 行 D 列（专有面积）：必须大于 0。"],
    ),
    "non-numeric area": (
        units_workbook([unit_row(exclusive_area="八十九平方米")]),
        ["第 2 行 D 列（专有面积）：“八十九平方米”不是数字"],
    ),
    "area with three decimals": (
        units_workbook([unit_row(exclusive_area="89.125")]),
        ["第 2 行 D 列（专有面积）：最多保留两位小数（现为 89.125）。"],
    ),
    "room twice in the file": (
        units_workbook([unit_row(room="101"), unit_row(room="102"), unit_row(room=101)]),
        ["第 4 行 C 列（室）：1幢1单元101室与第 2 行重复。"],
    ),
    "phone with letters": (
        units_workbook([unit_row(owner_phone="138abc38000")]),
        ["第 2 行 F 列（业主手机号）：“138abc38000”不是有效的手机号码"],
    ),
    "phone too short": (
        units_workbook([unit_row(owner_phone="12345")]),
        ["第 2 行 F 列（业主手机号）：“12345”位数不对。"],
    ),
    "empty required cells": (
        units_workbook([unit_row(room="101"), unit_row(room=None, owner_name="  ")]),
        ["第 3 行 C 列（室）：不能为空。", "第 3 行 E 列（业主姓名）：不能为空。"],
    ),
    "too long": (
        units_workbook([unit_row(building="幢" * 21)]),
        ["第 2 行 A 列（楼栋）：不能超过 20 个字（现有 21 个）。"],
    ),
    "headers only": (units_workbook([]), ["表格中没有数据行"]),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_changes_nothing_and_names_row_and_column(case, committee_client, street_tree):
    compound = street_tree.compound_a1
    UnitFactory(compound=compound, building="9幢", room="901")
    data, messages = BAD_FILES[case]

    response = upload(committee_client, compound, data)

    assert "未导入任何数据" in response.text
    for message in messages:
        assert message in response.text
    assert list(Unit.objects.values_list("building", "room")) == [("9幢", "901")]
    assert ImportJob.objects.get().status == ImportStatus.FAILED


def test_a_room_already_registered_is_refused(committee_client, street_tree):
    compound = street_tree.compound_a1
    UnitFactory(compound=compound, building="1幢", entrance="1", room="102")
    # The same room in another compound is no conflict.
    UnitFactory(compound=street_tree.compound_a2, building="1幢", entrance="1", room="101")

    response = upload(committee_client, compound, units_workbook(unit_rows(3)))

    assert "第 3 行 C 列（室）：1幢1单元102室已在系统中登记，不能重复导入。" in response.text
    assert Unit.objects.filter(compound=compound).count() == 1


def test_every_problem_of_every_row_is_listed(committee_client, street_tree):
    rows = [
        *unit_rows(5),
        unit_row(room="901", exclusive_area="abc"),
        unit_row(room="902", owner_phone="1"),
    ]

    response = upload(committee_client, street_tree.compound_a1, units_workbook(rows))

    assert "文件中有 2 处问题" in response.text
    assert "第 7 行 D 列（专有面积）" in response.text
    assert "第 8 行 F 列（业主手机号）" in response.text
    assert not Unit.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "名册.csv",
            "楼栋,单元,室\n1幢,1,101\n".encode(),
            "只支持 Excel 2007 及以上版本的 .xlsx 文件",
        ),
        (
            "名册.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
            "只支持 Excel 2007 及以上版本的 .xlsx 文件",
        ),
        (
            "名册.xlsx",
            b"PK\x03\x04 this is not really a workbook",
            "文件已损坏或不是 Excel（.xlsx）文件",
        ),
        ("名册.xlsx", "楼栋,单元,室".encode(), "文件已损坏或不是 Excel（.xlsx）文件"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused(
    name, data, message, committee_client, street_tree
):
    response = upload(committee_client, street_tree.compound_a1, data, name)

    assert response.status_code == 200
    assert message in response.text
    assert not Unit.objects.exists()
    assert not ImportJob.objects.exists()


def test_the_template_downloads_and_imports_as_it_is(committee_client, street_tree):
    response = committee_client.get("/admin/imports/units/template.xlsx")

    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == UNIT_HEADERS
    upload(committee_client, street_tree.compound_a1, data)
    assert Unit.objects.get().label == "3幢1单元502室"


def test_a_compound_role_cannot_import_into_another_compound(committee_client, street_tree):
    response = upload(committee_client, street_tree.compound_a2, units_workbook())

    assert "只能导入到您负责范围内的小区" in response.text
    assert not Unit.objects.exists()
    assert not ImportJob.objects.exists()


def test_a_community_office_imports_into_its_compounds_only(client, street_tree, role_user):
    client.force_login(role_user(Role.COMMUNITY_OFFICE, street_tree.community_a))

    upload(client, street_tree.compound_a2, units_workbook())
    refused = upload(client, street_tree.compound_b1, units_workbook(unit_rows(2, "2幢")))

    assert Unit.objects.filter(compound=street_tree.compound_a2).count() == 3
    assert "只能导入到您负责范围内的小区" in refused.text
    assert not Unit.objects.filter(compound=street_tree.compound_b1).exists()


def test_roles_that_do_not_keep_the_register_cannot_import_units(client, street_tree, role_user):
    client.force_login(role_user(Role.PROPERTY_FIRM, street_tree.compound_a1))

    # Wagtail sends a user away from an area they may not enter, back to the dashboard.
    assert client.get(NEW_URL).url == "/admin/"
    response = client.post(
        NEW_URL, {"compound": street_tree.compound_a1.pk, "file": xlsx_upload(units_workbook())}
    )
    assert (response.status_code, response.url) == (302, "/admin/")
    assert not Unit.objects.exists()
    assert '"url": "/admin/imports/"' not in client.get("/admin/").text


@pytest.mark.parametrize(
    ("role", "scope", "shown"),
    [
        (Role.OWNERS_COMMITTEE, "compound_a1", True),
        (Role.COMPOUND_PARTY, "compound_a1", True),  # candidates only
        (Role.COMMUNITY_OFFICE, "community_a", True),
        (Role.COMMISSIONER, "compound_a1", False),
        (Role.PROPERTY_FIRM, "compound_a1", False),
    ],
)
def test_the_menu_offers_imports_to_those_who_may_import(
    role, scope, shown, client, street_tree, role_user
):
    client.force_login(role_user(role, getattr(street_tree, scope)))

    # The sidebar menu is rendered as JSON for the admin's script.
    assert ('"url": "/admin/imports/"' in client.get("/admin/").text) is shown
