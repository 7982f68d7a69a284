"""Wagtail's site history report (报告 › 站点历史), each download of it an audit event.

Which entries a reader sees is the log entry model's own (``roles.models``, through the one
policy); this view adds the audited export and lists as writers only those whose entries
the reader sees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wagtail.admin.views.reports.audit_logging import (
    LogEntriesView,
    SiteHistoryReportFilterSet,
    get_users_for_filter,
)

from core.formula_safe import FormulaSafeCsvMixin
from core.spreadsheets import admin_urlpatterns, listing_urls

from .audit import RecordedExportMixin

if TYPE_CHECKING:
    from django.db.models import QuerySet


class ScopedSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    def get_users_queryset(self) -> QuerySet:
        # Wagtail's own helper, left unused in 8.0: the writers of the entries the reader sees.
        return get_users_for_filter(self.request.user)


class ScopedLogEntriesView(RecordedExportMixin, FormulaSafeCsvMixin, LogEntriesView):
    filterset_class = ScopedSiteHistoryFilterSet
    export_subject = "站点历史"


# Under "admin/", in front of Wagtail's URLs.
urlpatterns = admin_urlpatterns(listing_urls("reports/site-history/", ScopedLogEntriesView))
