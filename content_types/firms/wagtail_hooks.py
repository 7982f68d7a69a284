"""The firms' snippet admin: street-wide, edited by the street office, seen by every role."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .filters import PropertyFirmFilterSet
from .models import PropertyFirm

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest


class PropertyFirmViewSet(SnippetViewSet):
    model = PropertyFirm
    icon = "home"
    menu_label = "物业服务企业"
    menu_order = 210
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "name",
        "credit_code",
        "party_status",
        "full_party_member_count",
        BooleanColumn("needs_own_party_organisation", label="应单独建立党组织"),
    ]
    filterset_class = PropertyFirmFilterSet
    search_fields = ["name", "credit_code", "address"]
    search_backend_name = None
    inspect_view_fields = [
        "name",
        "credit_code",
        "office_phone",
        "address",
        "party_status",
        "full_party_member_count",
        "compounds",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return PropertyFirm.objects.select_related("latest_revision")


register_snippet(PropertyFirmViewSet)
