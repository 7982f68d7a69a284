"""Notices: where they may be created, who may create them, and how long they are valid."""

from datetime import timedelta

import pytest
import wagtail_factories
from django.core.management import call_command
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from content_types.notices.models import NoticeCategory, NoticePage
from content_types.roles.models import Role
from tests.content_types.disclosures.factories import FinanceStatementPageFactory
from tests.content_types.expenditures.factories import ExpenditureProposalPageFactory
from tests.content_types.notices.factories import NoticePageFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/pages/add/notices/noticepage/{}/"


def notice_form(**overrides: object) -> dict:
    return nested_form_data(
        {
            "title": "停水通知",
            "slug": "water-off",
            "category": "notice",
            "summary": "周六上午二次供水检修，届时停水。",
            "show_on_screens": "on",
            "body": streamfield([("paragraph", rich_text("<p>请各位业主提前储水。</p>"))]),
            "go_live_at": "",
            "expire_at": "",
            **overrides,
        }
    )


def assert_refused(response) -> None:
    assert response.redirect_chain == [("/admin/", 302)]
    assert "你没有权限访问" in response.text


@pytest.mark.parametrize("parent", ["compound_a1", "community_a"])
def test_a_notice_saves_and_publishes_under_a_compound_or_a_community(street_tree, parent):
    notice = NoticePageFactory(parent=getattr(street_tree, parent), live=False)

    notice.save_revision().publish()

    notice.refresh_from_db()
    assert notice.live
    assert notice.get_parent().pk == getattr(street_tree, parent).pk


def test_a_notice_cannot_be_placed_under_the_street_or_another_content_page(street_tree):
    compound = street_tree.compound_a1
    elsewhere = [
        street_tree.street,
        NoticePageFactory(parent=compound),
        FinanceStatementPageFactory(parent=compound),
        ExpenditureProposalPageFactory(parent=compound),
    ]

    assert NoticePage.can_create_at(compound)
    assert NoticePage.can_create_at(street_tree.community_b)
    assert not [page for page in elsewhere if NoticePage.can_create_at(page)]


def test_not_even_a_superuser_may_add_a_notice_under_the_street(street_tree, admin_client):
    response = admin_client.post(
        ADD_URL.format(street_tree.street.pk), {**notice_form(), "action-publish": "1"}, follow=True
    )

    assert_refused(response)
    assert not NoticePage.objects.exists()


def test_a_compound_editor_creates_a_notice_in_its_own_compound(street_tree, role_user, client):
    client.force_login(role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1))
    url = ADD_URL.format(street_tree.compound_a1.pk)

    form_page = client.get(url)
    response = client.post(url, notice_form())

    assert form_page.status_code == 200
    assert "生效时间" in form_page.text and "失效时间" in form_page.text
    assert form_page.text.count('name="go_live_at"') == 1
    assert "schedule-publishing-dialog" not in form_page.text  # no link to a missing dialog
    assert response.status_code == 302
    notice = NoticePage.objects.child_of(street_tree.compound_a1).get()
    assert (notice.title, notice.category, notice.live) == (
        "停水通知",
        NoticeCategory.NOTICE,
        False,
    )
    assert "请各位业主提前储水。" in str(notice.body[0].value)
    assert notice.show_on_screens and not notice.pinned


def test_a_compound_editor_cannot_add_a_notice_to_another_compound(street_tree, role_user, client):
    client.force_login(role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1))
    url = ADD_URL.format(street_tree.compound_b1.pk)

    form_page = client.get(url, follow=True)
    response = client.post(url, notice_form(), follow=True)

    assert_refused(form_page)
    assert_refused(response)
    assert not NoticePage.objects.exists()


def test_an_expiry_before_going_live_is_refused_in_chinese(street_tree, admin_client):
    response = admin_client.post(
        ADD_URL.format(street_tree.compound_a1.pk),
        notice_form(go_live_at="2030-01-02 09:00", expire_at="2030-01-01 09:00"),
    )

    assert response.status_code == 200
    assert "发布日期/时间必须早于过期日期/时间" in response.text
    assert not NoticePage.objects.exists()


def test_a_notice_without_a_paragraph_cannot_be_published(street_tree, admin_client):
    response = admin_client.post(
        ADD_URL.format(street_tree.compound_a1.pk),
        {**notice_form(body=streamfield([])), "action-publish": "1"},
    )

    assert response.status_code == 200
    [body_error] = response.context["form"].errors["body"].as_data()
    assert "段落: 条目的最小数是1" in body_error.as_json_data()["messages"]
    assert not NoticePage.objects.exists()


def test_a_notice_valid_from_tomorrow_is_scheduled_not_published(
    street_tree, public_site, admin_client, client
):
    go_live_at = (timezone.localtime() + timedelta(days=1)).replace(second=0, microsecond=0)

    admin_client.post(
        ADD_URL.format(street_tree.compound_a1.pk),
        {**notice_form(go_live_at=f"{go_live_at:%Y-%m-%d %H:%M}"), "action-publish": "1"},
    )

    notice = NoticePage.objects.get()
    assert not notice.live
    assert notice.get_latest_revision().approved_go_live_at == go_live_at
    assert client.get(notice.relative_url(public_site)).status_code == 404


def test_an_expired_notice_is_taken_down(street_tree, public_site, client):
    notice = NoticePageFactory(parent=street_tree.compound_a1)
    url = notice.relative_url(public_site)
    during = client.get(url)

    NoticePage.objects.filter(pk=notice.pk).update(expire_at=timezone.now())
    call_command("publish_scheduled")

    notice.refresh_from_db()
    assert during.status_code == 200
    assert not notice.live and notice.expired
    assert client.get(url).status_code == 404


def test_the_public_page_shows_the_notice_with_its_attachment(street_tree, public_site, client):
    document = wagtail_factories.DocumentFactory(title="停水范围示意")
    notice = NoticePageFactory(
        parent=street_tree.compound_a1,
        title="停水通知",
        category=NoticeCategory.ANNOUNCEMENT,
        pinned=True,
        body=[
            ("paragraph", "<p>请各位业主提前储水。</p>"),
            ("attachment", {"document": document, "title": ""}),
        ],
    )

    text = client.get(notice.relative_url(public_site)).text

    assert "【置顶】停水通知" in text and "公告" in text
    assert "请各位业主提前储水。" in text
    assert f'<a href="{document.url}">停水范围示意</a>' in text
