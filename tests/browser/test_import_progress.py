"""The import page's progress bar follows a background import in a real browser."""

from __future__ import annotations

import pytest
from django.conf import settings

from content_types.imports.models import ImportJob
from content_types.imports.tasks import run_import_job
from content_types.roles.models import Role
from content_types.units.models import Unit
from tests.celery_worker import celery_worker
from tests.content_types.imports.factories import unit_rows, units_workbook

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROWS = 3000


def test_the_bar_fills_and_the_result_appears_without_reloading(
    live_server, page, street_tree, role_user
) -> None:
    user = role_user(Role.OWNERS_COMMITTEE, street_tree.compound_a1, "committee_a1")
    user.set_password("weizhi-test")
    user.save()
    # Uploaded and waiting for the worker, as after the form for a large file.
    job = ImportJob.objects.create(
        kind="units",
        compound=street_tree.compound_a1,
        created_by=user,
        file_name="锦绣花园名册.xlsx",
        data=units_workbook(unit_rows(ROWS)),
        total_rows=ROWS,
    )
    polls: list[str] = []
    page.on(
        "response",
        lambda response: polls.append(response.url) if "/progress/" in response.url else None,
    )
    page.goto(f"{live_server.url}/admin/login/?next=/admin/imports/jobs/{job.pk}/")
    page.locator("#id_username").fill("committee_a1")
    page.locator("#id_password").fill("weizhi-test")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**/admin/imports/jobs/{job.pk}/")
    assert page.locator("[data-import-status]").inner_text() == "等待处理"
    assert page.locator("progress").get_attribute("value") == "0"
    # The page asks for the progress while the job waits; only then does a worker start.
    page.wait_for_event("response", lambda response: "/progress/" in response.url)
    assert page.locator("[data-import-status]").inner_text() == "等待处理"

    with celery_worker(settings.CELERY_BROKER_URL) as queue:
        run_import_job.apply_async(args=[job.pk], queue=queue)
        # The page reloads itself when the endpoint says the job has finished.
        page.get_by_text(f"已导入 {ROWS} 条记录").wait_for(timeout=120_000)

    assert page.locator("progress").get_attribute("value") == "100"
    assert len(polls) >= 2
    assert Unit.objects.filter(compound=street_tree.compound_a1).count() == ROWS
