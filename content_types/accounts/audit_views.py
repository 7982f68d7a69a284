"""The audit log in the admin (设置 › 审计日志): read, filtered and exported, never changed.

The street office reads every event; a community office reads those concerning its
communities (an event's scope page). There are no add, edit or delete views.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.urls import URLPattern, path
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from content_types.roles.models import Role
from content_types.roles.permissions import is_street_office
from content_types.roles.scope import pages_in_reach
from core.formula_safe import FormulaSafeCsvMixin

from .audit import RecordedExportMixin
from .models import AuditAction, AuditEvent, AuditResult

# Of the roles, only these two may delete a committee candidate (the table in
# content_types/roles/models.py): asked through Django's permission cache, holding it tells
# the settings menu who reads the log without a query on every admin page.
READER_PERMISSION = "committees.delete_committeecandidate"


def events_for(user: Any) -> QuerySet[AuditEvent]:
    """Every event for the street office; for a community office, its communities' events."""
    if is_street_office(user):
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(
        scope__in=pages_in_reach(user, [Role.COMMUNITY_OFFICE]).values("pk")
    )


class AuditLogPolicy(BasePermissionPolicy):
    """View only, for the street office and the community offices."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return self.user_has_any_permission(user, [action])

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        if "view" not in actions or not user.is_authenticated or not user.is_active:
            return False
        return is_street_office(user) or user.has_perm(READER_PERMISSION)

    def users_with_any_permission(self, actions: Any) -> QuerySet:
        users = get_user_model().objects.filter(is_active=True)
        if "view" not in actions:
            return users.none()
        return users.filter(
            Q(is_superuser=True) | Q(role_assignments__role__in=Role.COORDINATION_OFFICES)
        ).distinct()


register_permission_policy(AuditEvent, AuditLogPolicy(AuditEvent))


class AuditEventFilterSet(WagtailFilterSet):
    action = django_filters.MultipleChoiceFilter(label="事件", choices=AuditAction.choices)
    result = django_filters.ChoiceFilter(label="结果", choices=AuditResult.choices)
    username = django_filters.CharFilter(label="用户名", lookup_expr="icontains")
    time = django_filters.DateFromToRangeFilter(label="日期", widget=DateRangePickerWidget)

    class Meta:
        model = AuditEvent
        fields: list[str] = []


class AuditEventIndexView(RecordedExportMixin, FormulaSafeCsvMixin, IndexView):
    export_subject = "审计日志"

    def get_base_queryset(self) -> QuerySet[AuditEvent]:
        return events_for(self.request.user).select_related("scope")


class AuditEventViewSet(ModelViewSet):
    model = AuditEvent
    icon = "list-ul"
    menu_label = "审计日志"
    add_to_settings_menu = True
    menu_order = 920
    index_view_class = AuditEventIndexView
    filterset_class = AuditEventFilterSet
    list_display = ["time", "username", "client_address", "action", "result", "description"]
    list_per_page = 50
    list_export = [
        "time",
        "username",
        "client_address",
        "get_action_display",
        "get_result_display",
        "description",
        "scope",
        "details",
    ]
    export_headings = {"get_action_display": "事件", "get_result_display": "结果"}
    export_filename = "audit-log"
    exclude_form_fields: list[str] = []
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]
