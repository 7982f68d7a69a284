"""Wagtail admin views that would name pages or people beyond the reader's reach.

Wagtail shows these to anyone who may open the admin: the move confirmation
shows the page and destination its address names, the page types report
counts and names pages site-wide, the workflow reports list every compound's
snippets in review, and the site history and workflow reports offer as
filters everyone who ever acted anywhere. Here they keep to the reader's
reach as the explorer does (``explorable_instances``), with formula-safe CSV
exports (``core.formula_safe``); ``cms.urls`` puts them before Wagtail's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.urls import path
from wagtail.admin.views.pages.move import MoveConfirmView
from wagtail.admin.views.reports.locked_pages import LockedPagesReportFilterSet, LockedPagesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowTasksView,
    WorkflowView,
)
from wagtail.models import Page
from wagtail.permissions import page_permission_policy

from core.formula_safe import FormulaSafeCsvMixin
from core.spreadsheets import admin_urlpatterns, listing_urls

from .permissions import workflow_states_outside_reach

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


class ScopedMoveConfirmView(MoveConfirmView):
    """Confirm only a move the reader may make; Wagtail checks that only on POST."""

    def dispatch(
        self, request: HttpRequest, page_to_move_id: int, destination_id: int, *args, **kwargs
    ) -> HttpResponse:
        page = get_object_or_404(Page, id=page_to_move_id)
        destination = get_object_or_404(Page, id=destination_id)
        if not page.permissions_for_user(request.user).can_move_to(destination):
            raise PermissionDenied
        return super().dispatch(request, page_to_move_id, destination_id, *args, **kwargs)


def _users(ids: Any) -> QuerySet:
    user_model = get_user_model()
    return user_model.objects.filter(pk__in=ids).order_by(user_model.USERNAME_FIELD)


class UserChoicesFromRowsMixin:
    """A report filter set whose user filter offers the users of the rows the reader may see."""

    user_filter = ""

    def __init__(self, *args: Any, users: QuerySet | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if users is not None:
            self.filters[self.user_filter].queryset = users  # type: ignore[attr-defined]


class ScopedWorkflowFilterSet(UserChoicesFromRowsMixin, WorkflowReportFilterSet):
    user_filter = "requested_by"


class ScopedWorkflowView(FormulaSafeCsvMixin, WorkflowView):
    filterset_class = ScopedWorkflowFilterSet

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().exclude(workflow_states_outside_reach(self.request.user))

    def get_filterset_kwargs(self) -> dict[str, Any]:
        # ``get_queryset`` is the reader's rows before any filter is applied.
        users = _users(self.get_queryset().values("requested_by"))
        return {**super().get_filterset_kwargs(), "users": users}


class ScopedLockedPagesFilterSet(UserChoicesFromRowsMixin, LockedPagesReportFilterSet):
    user_filter = "locked_by"


class ScopedLockedPagesView(FormulaSafeCsvMixin, LockedPagesView):
    filterset_class = ScopedLockedPagesFilterSet

    def get_filterset_kwargs(self) -> dict[str, Any]:
        # Wagtail's ``get_queryset`` applies the filters itself: its rows, unfiltered.
        user = self.request.user
        pages = self.permission_policy.instances_user_has_permission_for(user, "change")
        locked = Page.objects.filter(Q(pk__in=pages.values("pk")) | Q(locked_by=user), locked=True)
        return {**super().get_filterset_kwargs(), "users": _users(locked.values("locked_by"))}


class ScopedPageTypesUsageReportView(FormulaSafeCsvMixin, PageTypesUsageReportView):
    """Counts and last edited pages among the pages the reader can explore."""

    def get_queryset(self) -> QuerySet:
        # Wagtail's query (``page_types_usage``), with every page outside reach left out.
        reach = page_permission_policy.explorable_instances(self.request.user)
        pages = Page.objects.filter(pk__in=reach.values("pk"))
        queryset = ContentType.objects.filter(model__in=self.page_models)
        base_type = ContentType.objects.get_for_model(Page)
        if not pages.filter(depth__gt=1, content_type=base_type).exists():
            queryset = queryset.exclude(pk=base_type.pk)
        self.queryset = queryset
        queryset = self.filter_queryset(queryset)
        data = self.filters.form.cleaned_data
        if language_code := data.get("page_locale"):
            pages = pages.filter(locale__language_code=language_code)
        if site_root_path := data.get("site"):
            pages = pages.filter(path__startswith=site_root_path)
        latest_edited_page = pages.filter(content_type=OuterRef("pk")).order_by(
            F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk"
        )
        return queryset.annotate(
            count=Count("pages", filter=Q(pages__in=pages)),
            last_edited_page_id=Subquery(latest_edited_page.values("pk")[:1]),
        ).order_by("-count", "app_label", "model")


class ScopedWorkflowTasksView(FormulaSafeCsvMixin, WorkflowTasksView):
    def get_queryset(self) -> QuerySet:
        outside = workflow_states_outside_reach(self.request.user, "workflow_state__")
        return super().get_queryset().exclude(outside)


# Under "admin/", in front of Wagtail's URLs.
urlpatterns = admin_urlpatterns(
    [
        path(
            "pages/<int:page_to_move_id>/move/<int:destination_id>/confirm/",
            ScopedMoveConfirmView.as_view(),
        ),
        *listing_urls("reports/locked/", ScopedLockedPagesView),
        *listing_urls("reports/workflow/", ScopedWorkflowView),
        *listing_urls("reports/workflow_tasks/", ScopedWorkflowTasksView),
        *listing_urls("reports/page-types-usage/", ScopedPageTypesUsageReportView),
    ]
)
