"""A notice through its review in real Chromium: the editor submits, the community approves.

The compound's commissioner opens a draft notice, edits it and submits it for
review; the community office, signed in after them, approves it from the
"待我审核" panel on its dashboard, and the notice is then on the public site.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from content_types.notices.models import NoticePage
from content_types.structure.models import CompoundPage

from .admin_session import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_MS = 15_000


def test_a_submitted_notice_is_approved_by_the_community_and_goes_public(
    live_server, page, wagtail_root
) -> None:
    call_command("load_demo", structure_only=True)
    compound = CompoundPage.objects.get(slug="jinxiu")
    notice = NoticePage(
        title="停水通知（草稿）",
        slug="water-off",
        summary="周六上午二次供水检修。",
        body=[("paragraph", "<p>请各位业主提前储水。</p>")],
        live=False,
    )
    compound.add_child(instance=notice)
    notice.save_revision()
    base = live_server.url

    sign_in(page, base, "commissioner")
    page.goto(f"{base}/admin/pages/{notice.pk}/edit/")
    page.locator("#id_title").fill("二次供水设施检修停水通知")
    page.locator("footer .w-dropdown__toggle").click()
    page.get_by_role("button", name="提交给小区内容审核").click()
    expect(page.locator(".messages")).to_contain_text("已经提交进行审核", timeout=WAIT_MS)
    sign_out(page, base, "锦绣花园小区专员")

    assert not NoticePage.objects.get(pk=notice.pk).live
    assert page.context.request.get(f"{base}/fengming/jinxiu/water-off/").status == 404

    sign_in(page, base, "community_office")
    queue = page.locator("section", has=page.get_by_role("heading", name="待我审核"))
    expect(queue).to_contain_text("共 1 项等待您审核")
    row = queue.locator("tr", has_text="二次供水设施检修停水通知")
    expect(row).to_contain_text("社区审核")
    row.get_by_role("button", name="通过").click()
    page.wait_for_url(f"{base}/admin/pages/{notice.pk}/edit/")
    page.goto(f"{base}/admin/")
    expect(queue).to_contain_text("目前没有等待您审核的内容")

    page.goto(f"{base}/fengming/jinxiu/water-off/")
    expect(page.locator("body")).to_contain_text("二次供水设施检修停水通知")
    expect(page.locator("body")).to_contain_text("请各位业主提前储水。")
    assert NoticePage.objects.get(pk=notice.pk).live
