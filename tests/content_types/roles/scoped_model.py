"""A scoped model that exists only in the tests, to show what a new scoped model needs.

``Noticeboard`` names the field holding its compound (``scope_field``) and who runs it
(``scope_roles``, as it is not in the role table); its admin is the stock
``CompoundScopedSnippetViewSet``. Isolation comes from the one policy with nothing more.
Its table is created by the tests that use it (no migration), and its admin is mounted by
``scoped_model_urls`` rather than registered, so the rest of the suite does not reach it.
"""

from __future__ import annotations

from django.db import models

from content_types.roles.models import Role
from content_types.roles.viewsets import CompoundScopedSnippetViewSet


class Noticeboard(models.Model):
    """宣传栏: one board in one compound."""

    # Importing this module registers the model for the whole run, while its table exists only
    # in its own tests: a compound deleted elsewhere must not look for boards to delete.
    compound = models.ForeignKey(
        "structure.CompoundPage",
        verbose_name="小区",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    title = models.CharField("名称", max_length=100)

    scope_field = "compound"
    scope_roles = Role.VOTE_ORGANISERS

    class Meta:
        app_label = "roles"
        verbose_name = "宣传栏"

    def __str__(self) -> str:
        return self.title


class NoticeboardViewSet(CompoundScopedSnippetViewSet):
    model = Noticeboard
    inspect_view_enabled = True
    list_display = ["title", "compound"]
    search_fields = ["title", "compound__title"]
    search_backend_name = None


noticeboard_viewset = NoticeboardViewSet()
Noticeboard.snippet_viewset = noticeboard_viewset
