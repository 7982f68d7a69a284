"""Each scope's pages beyond its own: its notices, current and archived, and each kind of
disclosure in full. Named by the scope's id, under ``/scope/`` (``cms.urls``)."""

from django.urls import path

from .views import archived_notice, disclosures, notices

app_name = "public_site"
urlpatterns = [
    path("<int:scope_id>/notices/", notices, name="notices"),
    path("<int:scope_id>/notices/archive/", notices, {"archive": True}, name="notice_archive"),
    path(
        "<int:scope_id>/notices/archive/<int:notice_id>/", archived_notice, name="archived_notice"
    ),
    path("<int:scope_id>/disclosures/<slug:kind>/", disclosures, name="disclosures"),
]
