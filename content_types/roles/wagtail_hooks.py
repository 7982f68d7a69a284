"""Admin wiring of scope: compound-scoped snippets' bulk delete and audit log, the page chooser."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wagtail import hooks

from .models import CompoundScopedLogEntry
from .page_chooser import choosable_pages
from .permissions import scoped_snippet_models
from .viewsets import CompoundScopedDeleteBulkAction

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest
    from wagtail.log_actions import LogActionRegistry
    from wagtail.models import Page

# Registered after Wagtail's own delete action (order 0) so it replaces it for these models.
hooks.register("register_bulk_action", CompoundScopedDeleteBulkAction, order=100)


@hooks.register("register_log_actions")
def log_compound_rows_with_their_compound(actions: LogActionRegistry) -> None:
    for model in scoped_snippet_models():
        actions.register_model(model, CompoundScopedLogEntry)


@hooks.register("construct_page_chooser_queryset")
def choose_only_pages_within_reach(pages: QuerySet[Page], request: HttpRequest) -> QuerySet[Page]:
    return pages.filter(pk__in=choosable_pages(request).values("pk"))
