"""Admin wiring shared by every compound-scoped snippet: bulk delete and the audit log."""

from __future__ import annotations

from wagtail import hooks
from wagtail.log_actions import LogActionRegistry

from .models import CompoundScopedLogEntry
from .permissions import compound_scoped_models
from .viewsets import CompoundScopedDeleteBulkAction

# Registered after Wagtail's own delete action (order 0) so it replaces it for these models.
hooks.register("register_bulk_action", CompoundScopedDeleteBulkAction, order=100)


@hooks.register("register_log_actions")
def log_compound_rows_with_their_compound(actions: LogActionRegistry) -> None:
    for model in compound_scoped_models():
        actions.register_model(model, CompoundScopedLogEntry)
