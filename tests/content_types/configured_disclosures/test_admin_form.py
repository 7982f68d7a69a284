"""Writing a configured disclosure in the admin: the kind is chosen, the form is built from its
declaration, a broken cell is named by row and column, and the kind's chain takes it."""

from __future__ import annotations

import json

import pytest

from content_types.configured_disclosures.models import ConfiguredDisclosurePage
from content_types.roles.models import Role
from tests.form_data import form_data
from tests.workflows.chains.chain_setup import attach, ensure_scoped_chain

from .factories import ConfiguredDisclosurePageFactory, ConfiguredKindFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kind(street_tree, role_user):
    """The kind names its chain; the compound's subtree has another, so pages there submit."""
    ensure_scoped_chain("小区内容审核", [("社区审核", Role.COMMUNITY_OFFICE)])
    attach(
        ensure_scoped_chain("其他流程", [("物业审核", Role.PROPERTY_FIRM)]), [street_tree.street]
    )
    role_user(Role.COMMUNITY_OFFICE, street_tree.community_a)
    return ConfiguredKindFactory(code="elevator-maintenance", chain="小区内容审核")


def add_url(parent) -> str:
    return f"/admin/pages/add/configured_disclosures/configureddisclosurepage/{parent.pk}/"


def test_an_editor_chooses_the_kind_fixes_a_named_cell_and_submits(
    kind, street_tree, role_user, client
) -> None:
    compound = street_tree.compound_a1
    client.force_login(role_user(Role.PROPERTY_FIRM, compound))

    chooser = client.get(add_url(compound))
    assert chooser.status_code == 200 and "电梯维保公示" in chooser.text
    form = client.get(add_url(compound) + "?kind=elevator-maintenance")
    assert "data-declared-table" in form.text and "维保单位" in form.text

    data = form_data(form.text, "page-edit-form")
    data.update(
        title="2026年12月电梯维保公示", slug="elevator-2026-12", as_of="2026-12-01", header__firm=""
    )
    rows = [
        {
            "building": "1幢",
            "maintained_on": "2026-11-20",
            "result": "合格",
            "next_on": "2026-12-20",
        },
        {
            "building": "2幢",
            "maintained_on": "2026-11-21",
            "result": "良好",
            "next_on": "2026-11-01",
        },
    ]
    data["table_rows"] = json.dumps(rows, ensure_ascii=False)
    broken = client.post(add_url(compound), data)

    assert broken.status_code == 200
    assert "第 2 行“维保结果”：应为以下之一：合格、停用待修。" in broken.text
    assert "必须填写" in broken.text  # the firm, in the header
    assert not ConfiguredDisclosurePage.objects.exists()

    rows[1]["result"] = "合格"
    data.update(
        header__firm="绍兴安达电梯有限公司", table_rows=json.dumps(rows, ensure_ascii=False)
    )
    still = client.post(add_url(compound), data)
    assert "第 2 行“下次维保日期”：不能早于“维保日期”（2026年11月21日）。" in still.text

    rows[1]["next_on"] = "2026-12-21"
    data.update(table_rows=json.dumps(rows, ensure_ascii=False), **{"action-submit": "submit"})
    done = client.post(add_url(compound), data)

    assert done.status_code == 302, done.text[:2000]
    page = ConfiguredDisclosurePage.objects.get()
    assert page.kind == kind and not page.live
    assert page.header == {"firm": "绍兴安达电梯有限公司"}
    assert page.rows[1] == {
        "building": "2幢",
        "maintained_on": "2026-11-21",
        "result": "合格",
        "next_on": "2026-12-21",
    }
    assert page.current_workflow_state.workflow.name == "小区内容审核"


def test_a_kind_is_offered_only_to_its_editors_and_at_its_levels(
    kind, street_tree, role_user, client
) -> None:
    client.force_login(role_user(Role.COMMUNITY_OFFICE, street_tree.community_a))
    # Declared for compounds only: nothing to write under the community itself.
    assert "电梯维保公示" not in client.get(add_url(street_tree.community_a)).text
    refused = client.get(add_url(street_tree.community_a) + "?kind=elevator-maintenance")
    assert refused.status_code in (302, 403)

    kind.editors = [Role.OWNERS_COMMITTEE]
    kind.save()
    client.force_login(role_user(Role.PROPERTY_FIRM, street_tree.compound_a1))
    assert "没有您可以编写的" in client.get(add_url(street_tree.compound_a1)).text
    named = client.get(add_url(street_tree.compound_a1) + "?kind=elevator-maintenance")
    assert named.status_code in (302, 403)


def test_the_public_page_prints_and_lists_only_published_pages(
    kind, street_tree, public_site, client
) -> None:
    compound = street_tree.compound_a1
    published = ConfiguredDisclosurePageFactory(parent=compound, kind=kind)
    ConfiguredDisclosurePageFactory(
        parent=compound, kind=kind, title="草稿电梯维保公示", live=False
    )

    page = client.get(published.url)
    listing = client.get(compound.url)
    printed = client.get(f"/print/{published.pk}/")

    assert page.status_code == 200
    assert "绍兴安达电梯有限公司" in page.text and "2026年11月20日" in page.text
    assert "电梯维保公示" in listing.text and published.title in listing.text
    assert "草稿电梯维保公示" not in listing.text
    assert printed.status_code == 200 and "1幢" in printed.text and "qr-code" in printed.text
