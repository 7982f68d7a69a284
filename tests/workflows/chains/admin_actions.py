"""Drive review chains through the real admin views, as a person in a browser would."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Page, TaskState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

if TYPE_CHECKING:
    from django.test import Client


def page_form_data(page: Page, **changes: Any) -> dict[str, Any]:
    """The edit form of ``page`` as posted by the admin, with ``changes`` applied."""
    specific = page.specific
    fields: dict[str, Any] = {"title": specific.title, "slug": specific.slug}
    for panel_field in ("address", "household_count", "total_exclusive_area"):
        if hasattr(specific, panel_field):
            fields[panel_field] = getattr(specific, panel_field)
    fields.update(changes)
    fields["comments"] = inline_formset([])
    return nested_form_data(fields)


def submit_for_review(client: Client, page: Page, **changes: Any):
    data = page_form_data(page, **changes)
    data["action-submit"] = "submit"
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def current_task_state(page: Page) -> TaskState:
    return TaskState.objects.get(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    )


def review(client: Client, page: Page, action: str, comment: str = ""):
    """Approve or reject the page's current step through the moderation action view."""
    task_state = current_task_state(page)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment} if comment else {})


def edit_url(obj: Any) -> str:
    return AdminURLFinder().get_edit_url(obj)
